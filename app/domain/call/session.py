"""A practice session and its stored turns: the call as the services and stores exchange it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.accounts.access import Owner
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, SpinLabel
from app.domain.language import Language
from app.domain.reading.reading import Reading
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.verdict import GuardOutcome, Violation


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


class DrillKind(StrEnum):
    """The one behaviour a drill trains (SPIN.md §3.10)."""

    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"

    @property
    def label(self) -> SpinLabel:
        return SpinLabel(self.value)


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    """A question of the trainee's pre-call plan, labelled when the call starts."""

    text: str
    label: Label


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """What a session adds to scenario, style and mode: the pre-call plan, the drill and the
    problem it hands over, the hidden-style guess made at the end, which call and move a
    retry starts from, and the trainer's assignment it was started from."""

    plan: tuple[PlannedQuestion, ...] = ()
    drill: DrillKind | None = None
    drill_problem: str | None = None
    style_guess: StyleName | None = None
    retry_of: UUID | None = None
    retry_from: int | None = None
    assignment_id: UUID | None = None  # the assignment this call answers (issue 15 item 3)


NO_OPTIONS = SessionOptions()


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
    options: SessionOptions = field(default_factory=SessionOptions)
    # An authored scenario's version the call started on (None: a shipped scenario): replays,
    # rescoring and overrides use it, so a later edit never changes an old call.
    scenario_version: int | None = None

    @property
    def is_ended(self) -> bool:
        return self.status is Status.ENDED


@dataclass(frozen=True, slots=True)
class ReplyMeta:
    """How a buyer turn was produced, stored with it: the voice, and for a model its name and
    the prompt's name and short hash (STYLE.md §7), so a change shows in the data; for a
    guarded model reply, what the guard did and the violations it found, in order."""

    voice: str = "scripted"
    model: str | None = None
    prompt: str | None = None
    prompt_hash: str | None = None
    guard: GuardOutcome | None = None
    violations: tuple[Violation, ...] = ()

    @property
    def intervened(self) -> bool:
        """Whether the guard changed what the model first said."""
        return self.guard in (GuardOutcome.REGENERATED, GuardOutcome.REPLACED)


SCRIPTED = ReplyMeta()


@dataclass(frozen=True, slots=True)
class GuardTally:
    """What the faithfulness guard did over many model replies (shown to trainers)."""

    checked: int = 0
    regenerated: int = 0
    replaced: int = 0

    @property
    def interventions(self) -> int:
        return self.regenerated + self.replaced


def guard_tally(metas: Iterable[ReplyMeta]) -> GuardTally:
    """Counts the guarded replies among `metas` (scripted ones are not checked)."""
    outcomes = [m.guard for m in metas if m.guard is not None]
    return GuardTally(
        checked=len(outcomes),
        regenerated=outcomes.count(GuardOutcome.REGENERATED),
        replaced=outcomes.count(GuardOutcome.REPLACED),
    )


@dataclass(frozen=True, slots=True)
class StoredTurn:
    id: UUID
    session_id: UUID
    turn: Turn
    client_id: str | None
    created_at: datetime
    meta: ReplyMeta = SCRIPTED
    reading: Reading | None = None  # a trainee move's reading, stored with its label

    @property
    def is_trainee(self) -> bool:
        return self.turn.role is Role.TRAINEE


def reply_pending(turns: list[StoredTurn]) -> bool:
    """A reply is pending when the call's last turn is the trainee's: derived, never stored,
    so a crash between storing the move and the reply cannot leave a stale flag."""
    return bool(turns) and turns[-1].is_trainee
