"""The session filter every listing and export accepts, as one query dependency."""

from dataclasses import replace
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from app.services.ports import SessionFilter

EXPORT_LIMIT = 5000  # an export is a whole cohort's history, not a page


def session_filter(
    trainee: UUID | None = None,
    scenario: Annotated[str | None, Query(max_length=64)] = None,
    style: Annotated[str | None, Query(max_length=16)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    status: Annotated[str | None, Query(max_length=8)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    assignment: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> SessionFilter:
    return SessionFilter(
        user_ids=frozenset({trainee}) if trainee else None,
        scenario_id=scenario,
        style=style,
        language=language,
        status=status,
        since=since,
        until=until,
        min_score=min_score,
        max_score=max_score,
        assignment_id=assignment,
        limit=limit,
    )


def export_filter(query: Annotated[SessionFilter, Depends(session_filter)]) -> SessionFilter:
    return replace(query, limit=EXPORT_LIMIT)


SessionQuery = Annotated[SessionFilter, Depends(session_filter)]
ExportQuery = Annotated[SessionFilter, Depends(export_filter)]
