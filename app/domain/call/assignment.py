"""Assignments: a call (or a drill) a trainer asks a cohort or one trainee to practise, with
an optional due date, and how far each trainee has got with it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from app.domain.call.session import DrillKind, Mode, PracticeSession
from app.domain.language import Language

MAX_NOTE_CHARS = 500


class AssignmentStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"  # a call was started and not yet ended
    DONE = "done"  # at least one call ended


@dataclass(frozen=True, slots=True)
class Assignment:
    """`style` is a style name or "hidden". Exactly one of `cohort_id` (everyone in it,
    whenever they join) and `user_id` (one trainee) is set."""

    id: UUID
    scenario_id: str
    style: str
    language: Language
    mode: Mode
    drill: DrillKind | None
    cohort_id: UUID | None
    user_id: UUID | None
    due_on: date | None
    note: str
    created_by: UUID
    created_at: datetime

    def is_for(self, user_id: UUID, cohort_id: UUID | None) -> bool:
        if self.user_id is not None:
            return self.user_id == user_id
        return cohort_id is not None and self.cohort_id == cohort_id


@dataclass(frozen=True, slots=True)
class Completion:
    """One trainee's calls for one assignment: the best and the latest overall score of the
    ended ones, and the unfinished one to resume, if any."""

    user_id: UUID
    status: AssignmentStatus
    attempts: int
    best: int | None
    latest: int | None
    latest_session_id: UUID | None
    active_session_id: UUID | None
    last_at: datetime | None

    def is_overdue(self, due_on: date | None, today: date) -> bool:
        return due_on is not None and self.status is not AssignmentStatus.DONE and today > due_on


def completion(user_id: UUID, sessions: Sequence[PracticeSession]) -> Completion:
    """`sessions` are the trainee's calls started from the assignment, in any order."""
    mine = sorted((s for s in sessions if s.owner.user_id == user_id), key=lambda s: s.created_at)
    ended = [s for s in mine if s.is_ended and s.overall is not None]
    active = [s for s in mine if not s.is_ended]
    if ended:
        status = AssignmentStatus.DONE
    elif active:
        status = AssignmentStatus.IN_PROGRESS
    else:
        status = AssignmentStatus.NOT_STARTED
    latest = ended[-1] if ended else None
    return Completion(
        user_id=user_id,
        status=status,
        attempts=len(mine),
        best=max((s.overall for s in ended if s.overall is not None), default=None),
        latest=latest.overall if latest else None,
        latest_session_id=latest.id if latest else None,
        active_session_id=active[-1].id if active else None,
        last_at=(mine[-1].ended_at or mine[-1].created_at) if mine else None,
    )
