"""Wire schemas: API request and response models, and websocket messages (DESIGN.md §6)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.domain.call.session import SessionOptions
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard
from app.domain.scorecard.feedback import FeedbackLine
from app.domain.scorecard.progress import Progress
from app.domain.text import unstorable_char

Username = Annotated[str, Field(min_length=1, max_length=64)]
Password = Annotated[str, Field(min_length=1, max_length=256)]
NewUsername = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[\w.@-]+$")]
NewPassword = Annotated[str, Field(min_length=10, max_length=256)]


StyleChoice = Literal["analytical", "driver", "amiable", "expressive", "hidden"]
LanguageCode = Literal["en", "zh"]
INVALID_TEXT = "invalid_text"  # the error type (and code) of text no store can keep
# Pydantic's own refusal of a lone surrogate in a string, and ours of a NUL byte.
_UNSTORABLE_ERRORS = frozenset({INVALID_TEXT, "string_unicode"})


def error_code(error_type: str, default: str) -> str:
    """The code for a validation error: `invalid_text` for unstorable text, else `default`."""
    return INVALID_TEXT if error_type in _UNSTORABLE_ERRORS else default


def _refuse_unstorable(value: object) -> None:
    if isinstance(value, str):
        if unstorable_char(value) is not None:
            raise PydanticCustomError(
                INVALID_TEXT, "text contains a NUL byte or a broken (unpaired) character"
            )
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_unstorable(item)


class Strict(BaseModel):
    """Every request model: unknown fields are refused, and so is text with a character no
    store can keep, before any service sees it (the same answer on both databases)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: object) -> object:
        _refuse_unstorable(value)
        return value


class LoginIn(Strict):
    username: Username
    password: Password


class RegisterIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    username: NewUsername
    password: NewPassword


class UserOut(BaseModel):
    id: UUID
    username: str
    role: Literal["trainee", "trainer", "admin"]
    cohort_id: UUID | None
    language: str | None


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str


class UserCreateIn(Strict):
    username: NewUsername
    password: NewPassword
    role: Literal["trainee", "trainer", "admin"]


class RoleIn(Strict):
    role: Literal["trainee", "trainer", "admin"]


class LanguageIn(Strict):
    language: Literal["en", "zh"] | None


class CohortIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=120)]


class CohortOut(BaseModel):
    id: UUID
    name: str
    trainer_id: UUID
    created_at: datetime


class InviteIn(Strict):
    max_uses: Annotated[int, Field(ge=1, le=1000)] = 50
    days: Annotated[int, Field(ge=1, le=365)] = 30


class InviteOut(BaseModel):
    code: str
    cohort_id: UUID
    max_uses: int
    uses: int
    expires_at: datetime | None
    revoked_at: datetime | None = None
    status: Literal["active", "used_up", "expired", "revoked"] = "active"
    link: str = ""  # /register?code=…, to share


class MemberOut(BaseModel):
    id: UUID
    username: str
    role: Literal["trainee", "trainer", "admin"]
    is_active: bool
    created_at: datetime


class ActiveIn(Strict):
    active: bool


class PasswordChangeIn(Strict):
    current: Password
    new: NewPassword


class ResetLinkOut(BaseModel):
    """A one-time link to set a new password: shown once, give it to the user privately."""

    user_id: UUID
    link: str
    expires_at: datetime


class AssignmentIn(Strict):
    """Exactly one of `cohort_id` and `user_id`; a drill is always in coach mode."""

    scenario_id: Annotated[str, Field(min_length=1, max_length=64)]
    style: StyleChoice
    language: LanguageCode
    mode: Literal["coach", "exam"] = "coach"
    drill: Literal["implication", "need_payoff"] | None = None
    cohort_id: UUID | None = None
    user_id: UUID | None = None
    due_on: date | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class CompletionOut(BaseModel):
    user_id: UUID
    username: str
    status: Literal["not_started", "in_progress", "done"]
    attempts: int
    best: int | None
    latest: int | None
    latest_session_id: UUID | None
    overdue: bool


class AssignmentOut(BaseModel):
    id: UUID
    scenario_id: str
    style: str
    language: LanguageCode
    mode: Literal["coach", "exam"]
    drill: Literal["implication", "need_payoff"] | None
    cohort_id: UUID | None
    user_id: UUID | None
    due_on: date | None
    note: str
    created_at: datetime
    status: Literal["not_started", "in_progress", "done"] | None = None  # the trainee's own
    trainees: list[CompletionOut] | None = None  # a trainer's report


class ReplyIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class UnreadOut(BaseModel):
    """Calls of mine with feedback I have not read, and how many items each."""

    total: int
    sessions: dict[UUID, int]


class ErrorOut(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str


# --- practice sessions -------------------------------------------------------------------

SpinLabelCode = Literal["situation", "problem", "implication", "need_payoff", "other"]
MoveCode = Literal["pitch", "rapport", "summary", "commitment", "other"]


class SessionCreateIn(Strict):
    scenario_id: Annotated[str, Field(min_length=1, max_length=64)]
    style: StyleChoice
    language: LanguageCode
    mode: Literal["coach", "exam"] = "coach"
    plan: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=30)] = Field(
        default_factory=list
    )


class LabelOut(BaseModel):
    kind: Literal["question", "statement"]
    label: SpinLabelCode
    move: MoveCode | None
    open: bool | None
    confidence: float
    topics: list[str]
    source: str


class TurnOut(BaseModel):
    id: UUID
    seq: int
    role: Literal["trainee", "buyer"]
    text: str
    label: LabelOut | None = None
    reaction: str | None = None
    created_at: datetime


class SessionSummaryOut(BaseModel):
    id: UUID
    user_id: UUID
    scenario_id: str
    style: str
    language: LanguageCode
    mode: Literal["coach", "exam"]
    kind: str
    status: Literal["active", "ended"]
    overall: int | None
    created_at: datetime
    ended_at: datetime | None


class SessionOut(SessionSummaryOut):
    """A session with what the viewer may see of it (app/domain/call/visibility.py)."""

    style_hidden: bool
    pending: bool = False
    turns: list[TurnOut] = Field(default_factory=list)
    state: DiscoveryState | None = None
    scorecard: Scorecard | None = None
    feedback: list[FeedbackLine] = Field(default_factory=list)
    options: SessionOptions = Field(default_factory=SessionOptions)


class LabelOverrideIn(Strict):
    label: SpinLabelCode
    move: MoveCode | None = None


class OverrideOut(BaseModel):
    turn: TurnOut
    scorecard: Scorecard | None


class CommentIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class CommentOut(BaseModel):
    id: UUID
    turn_id: UUID
    author_name: str
    text: str
    created_at: datetime


class ClassifyIn(Strict):
    texts: Annotated[
        list[Annotated[str, Field(max_length=2000)]], Field(min_length=1, max_length=500)
    ]
    lang: LanguageCode | Literal["auto"] = "auto"


class ScenarioSummaryOut(BaseModel):
    id: str
    title: dict[str, str]
    brief: dict[str, str]
    company: dict[str, str]
    buyer_role: dict[str, str]
    product: dict[str, str]
    problems: int
    source: str


class RecognitionWarningOut(BaseModel):
    item_id: str
    language: Language
    code: str  # few_words | own_question_missed
    words: int


class ScenarioSavedOut(ScenarioSummaryOut):
    warnings: list[RecognitionWarningOut]  # items hard to recognise (saved all the same)


class StyleOut(BaseModel):
    id: str
    label: dict[str, str]
    description: dict[str, str]
    assertiveness: str
    responsiveness: str
    pace: str


# --- websocket -----------------------------------------------------------------------------


class MessageIn(Strict):
    type: Literal["message"]
    text: Annotated[str, Field(max_length=20_000)]
    client_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class EndIn(Strict):
    type: Literal["end"]
    style_guess: Literal["analytical", "driver", "amiable", "expressive"] | None = None


class PingIn(Strict):
    type: Literal["ping"]


class RetryIn(Strict):
    """Regenerate a reply that failed (LLM unavailable) or was cut off."""

    type: Literal["retry"]


ClientMessage = Annotated[MessageIn | EndIn | PingIn | RetryIn, Field(discriminator="type")]


class PongOut(BaseModel):
    type: Literal["pong"] = "pong"


class SessionFrameOut(BaseModel):
    """`advance_agreed`: the buyer has accepted the advance, so the page suggests ending the
    call (in either mode: the buyer said so in words)."""

    type: Literal["session"] = "session"
    session: SessionOut
    pending: bool
    advance_agreed: bool = False


class TurnFrameOut(BaseModel):
    type: Literal["turn"] = "turn"
    role: Literal["trainee", "buyer"] = "trainee"
    turn_id: UUID
    seq: int
    text: str
    label: LabelOut | None = None
    duplicate: bool = False


class BuyerDeltaOut(BaseModel):
    type: Literal["buyer_delta"] = "buyer_delta"
    turn_id: UUID
    delta: str


class BuyerDoneOut(BaseModel):
    type: Literal["buyer_done"] = "buyer_done"
    turn_id: UUID
    seq: int
    text: str
    state: DiscoveryState | None = None
    advance_agreed: bool = False
    ends_call: bool = False  # the buyer ended the call: a scorecard follows (DESIGN.md §6)


class ScorecardOut(BaseModel):
    type: Literal["scorecard"] = "scorecard"
    session_id: UUID
    scorecard: Scorecard


# --- practice loops, review, authoring, analysis -----------------------------------------------


class EndSessionIn(Strict):
    style_guess: Literal["analytical", "driver", "amiable", "expressive"] | None = None


class RetryFromIn(Strict):
    seq: Annotated[int, Field(ge=1, le=10_000)]


class DrillIn(Strict):
    scenario_id: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["implication", "need_payoff"]
    style: StyleChoice = "analytical"
    language: LanguageCode = "en"
    problem_id: Annotated[str, Field(max_length=64)] | None = None


class ScenarioYamlIn(Strict):
    yaml: Annotated[str, Field(min_length=1, max_length=200_000)]


class ScenarioEnabledIn(Strict):
    enabled: bool


class ScenarioSourceOut(BaseModel):
    id: str
    yaml: str


class AnalysisIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=200_000)]
    name: Annotated[str, Field(max_length=120)] | None = None
    format: Literal["text", "csv"] = "text"
    language: LanguageCode | None = None
    seller: Annotated[str, Field(max_length=30)] | None = None


class AnalysedTurnOut(BaseModel):
    seq: int
    role: Literal["trainee", "buyer"]
    speaker: str
    text: str
    label: LabelOut | None


class AnalysisOut(BaseModel):
    """A real call's labels and scorecard; `id`, `name` and `created_at` once it is saved."""

    id: UUID | None = None
    name: str = ""
    created_at: datetime | None = None
    language: LanguageCode
    overall: int
    turns: list[AnalysedTurnOut]
    scorecard: Scorecard


class AnalysisSummaryOut(BaseModel):
    id: UUID
    name: str
    language: LanguageCode
    overall: int
    turns: int
    created_at: datetime


class ProgressOut(BaseModel):
    """A trainee's ended calls over time (`progress`, oldest first) and the calls listed."""

    progress: Progress
    sessions: list[SessionSummaryOut]


class OverrideAuditOut(BaseModel):
    turn_id: UUID
    trainer_name: str
    old_label: LabelOut
    new_label: LabelOut
    created_at: datetime


class AuditOut(BaseModel):
    overrides: list[OverrideAuditOut]
    comments: list[CommentOut]
