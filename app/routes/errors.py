"""The one place that maps a PracticeError code to an HTTP status, a JSON body or a page."""

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.domain.errors import PracticeError
from app.routes.messages import error_code
from app.routes.security import SECURITY_HEADERS

logger = logging.getLogger(__name__)

# Renders error.html; given by the pages module so this one needs no templates.
ErrorPage = Callable[[Request, int, str, str], Response]

HTTP_STATUS: dict[str, int] = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_authenticated": status.HTTP_401_UNAUTHORIZED,
    "invalid_credentials": status.HTTP_401_UNAUTHORIZED,
    "too_many_attempts": status.HTTP_429_TOO_MANY_REQUESTS,
    "too_fast": status.HTTP_429_TOO_MANY_REQUESTS,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "server_busy": status.HTTP_503_SERVICE_UNAVAILABLE,
    "conflict": status.HTTP_409_CONFLICT,
    "last_admin": status.HTTP_409_CONFLICT,
    "scenario_in_use": status.HTTP_409_CONFLICT,
    "too_many_active_calls": status.HTTP_409_CONFLICT,
    "session_ended": status.HTTP_409_CONFLICT,
    "reply_pending": status.HTTP_409_CONFLICT,
    "llm_unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
    "csrf_failed": status.HTTP_403_FORBIDDEN,
    "bad_origin": status.HTTP_403_FORBIDDEN,
    "body_too_large": status.HTTP_413_CONTENT_TOO_LARGE,
}

# Documented once for every route, so the OpenAPI schema says what clients really get.
ERROR_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "Malformed request"},
    401: {"description": "Not signed in"},
    403: {"description": "Not allowed (role, CSRF token or Origin)"},
    404: {"description": "Unknown, or not yours"},
    405: {"description": "Method not allowed on this path"},
    409: {"description": "Conflict (taken name, ended call, reply pending, too many calls)"},
    413: {"description": "Request body too large"},
    422: {"description": "Invalid input"},
    429: {"description": "Too many requests"},
    503: {"description": "A dependency (the LLM endpoint) is unavailable, or the server is busy"},
}


def http_status(error: PracticeError) -> int:
    return HTTP_STATUS.get(error.code, status.HTTP_422_UNPROCESSABLE_CONTENT)


def error_body(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def install(app: FastAPI, *, render_error: ErrorPage) -> None:
    @app.exception_handler(PracticeError)
    async def practice_error(request: Request, exc: PracticeError) -> Response:
        code = http_status(exc)
        if wants_html(request):
            return render_error(request, code, exc.code, exc.message)
        body: dict[str, object] = dict(error_body(exc.code, exc.message))
        problems = getattr(exc, "problems", None)
        if problems:
            body["problems"] = list(problems)
        return JSONResponse(body, status_code=code)

    @app.exception_handler(RequestValidationError)
    async def invalid_input(_request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid input"
        code = error_code(str(first.get("type", "")), "invalid_input")
        body = error_body(code, printable(message)) | {"detail": jsonable(exc.errors())}
        return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(Exception)
    async def server_error(request: Request, _exc: Exception) -> Response:
        """A bug or a failed dependency. Starlette sends this from outside every middleware,
        so the security headers are added here; the traceback is logged by the server."""
        message = "something went wrong on our side; try again"
        response: Response = JSONResponse(error_body("internal_error", message), status_code=500)
        if wants_html(request):
            try:
                response = render_error(request, 500, "internal_error", message)
            except Exception:  # the page itself failed (e.g. the database is gone): JSON
                logger.exception("error page failed")
        for key, value in SECURITY_HEADERS:
            response.headers.setdefault(key.decode(), value.decode())
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}.get(
            exc.status_code, "http_error"
        )
        if wants_html(request):
            return render_error(request, exc.status_code, code, str(exc.detail))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=headers
        )


def allowed_methods(request: Request) -> list[str]:
    """Every method any route serves on this path: Starlette's own 405 names only the first
    matching route's, which misleads clients when one path has several routes."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            match, _ = route.matches({**request.scope, "method": method})
            if match is Match.FULL:
                methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def printable(text: str) -> str:
    """Text that encodes as UTF-8: an echoed input may hold a lone surrogate."""
    return text.encode("utf-8", "replace").decode("utf-8")


def jsonable(errors: object) -> object:
    """Validation errors may carry exception objects in `ctx`, and echo inputs that do not
    encode (lone surrogates); keep only encodable strings."""
    if isinstance(errors, list):
        return [jsonable(e) for e in errors]
    if isinstance(errors, dict):
        return {printable(str(k)): jsonable(v) for k, v in errors.items() if k != "url"}
    if isinstance(errors, str):
        return printable(errors)
    if isinstance(errors, int | float | bool) or errors is None:
        return errors
    if isinstance(errors, tuple):
        return [jsonable(e) for e in errors]
    return printable(str(errors))
