"""Exports: CSV and JSON for one session or a filtered list, and xAPI statements."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.routes.deps import CurrentUser, ExportsDep, TrainerUser
from app.services.ports import SessionFilter

router = APIRouter(prefix="/api/exports", tags=["exports"])


def _csv(body: str, name: str) -> Response:
    return Response(
        body.encode("utf-8-sig"),  # the BOM lets Excel open Chinese text correctly
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filter(
    trainee: UUID | None,
    scenario: str | None,
    style: str | None,
    language: str | None,
    since: datetime | None,
    until: datetime | None,
) -> SessionFilter:
    return SessionFilter(
        user_ids=frozenset({trainee}) if trainee else None,
        scenario_id=scenario,
        style=style,
        language=language,
        since=since,
        until=until,
        limit=5000,
    )


@router.get("/sessions/{session_id}.json")
async def session_json(session_id: UUID, user: CurrentUser, exports: ExportsDep) -> dict[str, Any]:
    return await exports.session_json(user.actor, session_id)


@router.get("/sessions/{session_id}.csv", response_class=Response)
async def session_csv(session_id: UUID, user: CurrentUser, exports: ExportsDep) -> Response:
    return _csv(await exports.session_csv(user.actor, session_id), f"session-{session_id}.csv")


@router.get("/sessions.json")
async def sessions_json(
    user: TrainerUser,
    exports: ExportsDep,
    trainee: UUID | None = None,
    scenario: Annotated[str | None, Query(max_length=64)] = None,
    style: Annotated[str | None, Query(max_length=16)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    query = _filter(trainee, scenario, style, language, since, until)
    return await exports.list_json(user.actor, query)


@router.get("/sessions.csv", response_class=Response)
async def sessions_csv(
    user: TrainerUser,
    exports: ExportsDep,
    trainee: UUID | None = None,
    scenario: Annotated[str | None, Query(max_length=64)] = None,
    style: Annotated[str | None, Query(max_length=16)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Response:
    query = _filter(trainee, scenario, style, language, since, until)
    return _csv(await exports.list_csv(user.actor, query), "sessions.csv")


@router.get("/xapi.json")
async def xapi(
    user: TrainerUser,
    exports: ExportsDep,
    trainee: UUID | None = None,
    scenario: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    """xAPI 1.0.3 statements, one per finished session, ready for an LRS."""
    query = _filter(trainee, scenario, None, None, since, until)
    return await exports.xapi(user.actor, query)
