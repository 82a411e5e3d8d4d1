"""/docs: the interactive API reference (Swagger UI), served from vendored files under
web/static/vendor/ so it works offline and under the Content-Security-Policy (no CDN, no
inline script). Public on purpose, like /openapi.json: it documents, it grants nothing."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.routes.deps import state

router = APIRouter(include_in_schema=False)

SWAGGER_UI_VERSION = "5.35.0"  # npm swagger-ui-dist; the files carry it in their names


@router.get("/docs")
async def api_docs(request: Request) -> HTMLResponse:
    """Public: Swagger UI over /openapi.json."""
    context = {"version": SWAGGER_UI_VERSION, "schema_url": request.app.openapi_url}
    return state(request)["templates"].TemplateResponse(request, "api_docs.html", context)
