"""A practice session and its stored turns: the call as the services and stores exchange it."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.domain.accounts.access import Owner
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn


class Mode(StrEnum):
    COACH = "coach"  # labels and the buyer's mood are shown live
    EXAM = "exam"  # nothing is shown until the scorecard


class SessionKind(StrEnum):
    PRACTICE = "practice"
    RETRY = "retry"  # a targeted retry from a chosen turn of an earlier session
    DRILL = "drill"  # one behaviour at a time (SPIN.md §3.10)
    ANALYSIS = "analysis"  # an uploaded real call, scored with the same rubric


class Status(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(slots=True)
class PracticeSession:
    id: UUID
    owner: Owner
    scenario_id: str
    style: StyleName
    style_hidden: bool
    language: Language
    mode: Mode
    kind: SessionKind
    seed: int
    status: Status
    state: DiscoveryState
    created_at: datetime
    ended_at: datetime | None = None
    overall: int | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_ended(self) -> bool:
        return self.status is Status.ENDED


@dataclass(frozen=True, slots=True)
class StoredTurn:
    id: UUID
    session_id: UUID
    turn: Turn
    client_id: str | None
    created_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_trainee(self) -> bool:
        return self.turn.role is Role.TRAINEE


def reply_pending(turns: list[StoredTurn]) -> bool:
    """A reply is pending when the call's last turn is the trainee's: derived, never stored,
    so a crash between storing the move and the reply cannot leave a stale flag."""
    return bool(turns) and turns[-1].is_trainee
