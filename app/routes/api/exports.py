"""Exports: CSV and JSON for one session or a filtered list, and xAPI statements."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from app.routes.api.filters import ExportQuery
from app.routes.deps import CurrentUser, ExportsDep, TrainerUser
from app.services.exports import SessionDocument

router = APIRouter(prefix="/api/exports", tags=["exports"])


def _csv(body: str, name: str) -> Response:
    return Response(
        body.encode("utf-8-sig"),  # the BOM lets Excel open Chinese text correctly
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/sessions/{session_id}.json")
async def session_json(session_id: UUID, user: CurrentUser, exports: ExportsDep) -> SessionDocument:
    return await exports.session_json(user.actor, session_id)


@router.get("/sessions/{session_id}.csv", response_class=Response)
async def session_csv(session_id: UUID, user: CurrentUser, exports: ExportsDep) -> Response:
    return _csv(await exports.session_csv(user.actor, session_id), f"session-{session_id}.csv")


@router.get("/sessions.json")
async def sessions_json(
    user: TrainerUser,
    exports: ExportsDep,
    query: ExportQuery,
) -> list[SessionDocument]:
    return await exports.list_json(user.actor, query)


@router.get("/sessions.csv", response_class=Response)
async def sessions_csv(
    user: TrainerUser,
    exports: ExportsDep,
    query: ExportQuery,
) -> Response:
    return _csv(await exports.list_csv(user.actor, query), "sessions.csv")


@router.get("/xapi.json")
async def xapi(
    user: TrainerUser,
    exports: ExportsDep,
    query: ExportQuery,
) -> list[dict[str, object]]:
    """xAPI 1.0.3 statements, one per finished session, ready for an LRS."""
    return await exports.xapi(user.actor, query)
