"""Ports: what the services need from the outside world, as small Protocols, plus the errors
the adapters raise through them."""

from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar
from uuid import UUID

from app.domain.accounts.access import UserRole
from app.domain.accounts.users import Cohort, CohortSummary, Invite, Member, SignedIn, User
from app.domain.call.assignment import Assignment
from app.domain.call.session import PracticeSession, ReplyMeta, SessionOptions, StoredTurn
from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, MoveContext
from app.domain.language import Language
from app.domain.reading.reading import Reading
from app.domain.scenario import Scenario
from app.domain.scorecard.analysis import AnalysisSummary, SavedAnalysis
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Turn


class ChatModelUnavailableError(Exception):
    """The LLM endpoint failed (timeout, rate limit, server error, broken stream)."""

    def __init__(self, message: str, *, reason: str = "unavailable") -> None:
        super().__init__(message)
        self.reason = reason


class DuplicateError(Exception):
    """A unique constraint refused the write (username taken, id exists)."""


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str  # system | user | assistant
    content: str


class ChatModel(Protocol):
    model: str

    def stream(
        self, messages: Sequence[ChatMessage], *, temperature: float, max_tokens: int
    ) -> AsyncIterator[str]: ...

    async def complete_json(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: Mapping[str, object],
        name: str,
        max_tokens: int,
    ) -> str:
        """JSON text asked for as structured output constrained to `schema` (JSON Schema),
        in the most precise form the server accepts, detected once. Not validated: the
        caller validates and falls back."""
        ...


@dataclass(frozen=True, slots=True)
class Spoken:
    """A voice's last word on one reply: the text to store, which replaces the streamed
    chunks when a guard corrected them (issue 13), and how it was produced."""

    text: str
    meta: ReplyMeta


class Voice(Protocol):
    """Turns the director's decision into the buyer's words, streamed in small chunks.
    `provenance` says what produced them (voice, model, prompt hash), stored with the turn."""

    provenance: ReplyMeta

    def speak(
        self, direction: Direction, recent: Sequence[Turn], *, locked: Sequence[str] = ()
    ) -> AsyncIterator[str | Spoken]:
        """Streams chunks of text, then may end with one `Spoken`: the reply to store and
        its provenance (without one, the chunks joined are the reply, from `provenance`).
        `locked` holds the wordings still locked, for checking only: never put in a
        prompt."""
        ...


class PromptLibrary(Protocol):
    def render(self, name: str, variables: Mapping[str, object]) -> str: ...

    def fingerprint(self, name: str) -> str: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str) -> bool: ...


class Reader(Protocol):
    """Reads one trainee move in its call: which items it is about (DESIGN.md §2, step 0)."""

    async def read(
        self, text: str, *, director: Director, state: DiscoveryState, context: MoveContext
    ) -> Reading: ...


class Judge(Protocol):
    """Labels one trainee move in the context of the call so far."""

    async def label(
        self, text: str, *, context: MoveContext, language: Language | None
    ) -> Label: ...

    async def label_many(
        self, moves: Sequence[tuple[str, MoveContext]], *, language: Language | None
    ) -> list[Label]:
        """Labels a batch (bulk classify, a real call) without holding the event loop."""
        ...


@dataclass(frozen=True, slots=True)
class SessionFilter:
    user_ids: frozenset[UUID] | None = None
    cohort_ids: frozenset[UUID] | None = None
    scenario_id: str | None = None
    style: str | None = None
    language: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: int | None = None
    max_score: int | None = None
    assignment_id: UUID | None = None
    limit: int = 200


@dataclass(frozen=True, slots=True)
class LabelOverride:
    turn_id: UUID
    trainer_id: UUID
    trainer_name: str
    old_label: Label
    new_label: Label
    created_at: datetime
    score_before: int | None = None  # the call's overall before and after the correction
    score_after: int | None = None


@dataclass(frozen=True, slots=True)
class TurnComment:
    id: UUID
    turn_id: UUID
    author_id: UUID
    author_name: str
    text: str
    created_at: datetime


class SessionStore(Protocol):
    async def create(self, session: PracticeSession, *, max_active: int | None = None) -> None:
        """Stores a new call; with `max_active`, raises TooManyActiveCallsError when the
        owner would then have more active calls than that."""
        ...

    async def get(self, session_id: UUID) -> PracticeSession | None: ...

    async def search(self, query: SessionFilter) -> list[PracticeSession]: ...

    async def turns(self, session_id: UUID) -> list[StoredTurn]: ...

    async def reply_meta(self, session_ids: Collection[UUID]) -> list[ReplyMeta]:
        """How every buyer turn of these sessions was produced (one query)."""
        ...

    async def add_trainee_turn(
        self, session_id: UUID, *, text: str, client_id: str | None, seq: int | None = None
    ) -> tuple[StoredTurn, bool]:
        """Stores the move at `seq` (or the next free one); returns (turn, created). A resend
        with the same client_id returns the stored turn and False."""
        ...

    async def record_move(
        self,
        turn_id: UUID,
        label: Label,
        reading: Reading,
        *,
        session_id: UUID,
        state: DiscoveryState,
    ) -> None: ...

    async def set_label(self, turn_id: UUID, label: Label) -> StoredTurn: ...

    async def save_state(self, session_id: UUID, state: DiscoveryState) -> None: ...

    async def save_options(self, session_id: UUID, options: SessionOptions) -> None: ...

    async def add_buyer_turn(
        self,
        session_id: UUID,
        *,
        turn_id: UUID,
        seq: int,
        text: str,
        reaction: str | None,
        meta: ReplyMeta,
    ) -> StoredTurn:
        """Raises DuplicateError when a reply with this seq is already stored."""
        ...

    async def end(
        self, session_id: UUID, *, scorecard: Scorecard, state: DiscoveryState | None = None
    ) -> None:
        """Ends the call with its scorecard (and final state), in one transaction."""
        ...

    async def finish_with_reply(
        self, reply: StoredTurn, *, state: DiscoveryState, scorecard: Scorecard
    ) -> None:
        """The buyer's last turn, the state, the scorecard and the end, in one transaction
        (a call the buyer ends is ended; issue 14). DuplicateError when the turn exists."""
        ...

    async def discard(self, session_id: UUID) -> bool:
        """Deletes an unfinished session and everything on it; False if it has ended."""
        ...

    async def save_scorecard(self, session_id: UUID, *, scorecard: Scorecard) -> None: ...

    async def scorecard(self, session_id: UUID) -> Scorecard | None:
        """None when none is stored, or the stored one no longer reads as a Scorecard (an
        older shape): the caller recomputes it from the transcript."""
        ...

    async def override_label(
        self, turn_id: UUID, *, trainer_id: UUID, new_label: Label
    ) -> StoredTurn: ...

    async def overrides(self, session_id: UUID) -> list[LabelOverride]: ...

    async def record_override_scores(
        self, turn_id: UUID, *, before: int | None, after: int | None
    ) -> None:
        """Notes on the turn's latest override the call's overall before and after it."""
        ...

    async def all_overrides(self, cohort_ids: frozenset[UUID] | None) -> list[LabelOverride]: ...

    async def add_comment(self, turn_id: UUID, *, author_id: UUID, text: str) -> TurnComment: ...

    async def comments(self, session_id: UUID) -> list[TurnComment]: ...

    async def turn(self, turn_id: UUID) -> StoredTurn | None: ...


class UserStore(Protocol):
    async def count(self) -> int: ...

    async def create(
        self, *, username: str, password_hash: str, role: UserRole, cohort_id: UUID | None
    ) -> User: ...

    async def get(self, user_id: UUID) -> User | None: ...

    async def credentials(self, username: str) -> tuple[User, str] | None: ...

    async def find(self, *, cohort_ids: frozenset[UUID] | None = None) -> list[User]: ...

    async def set_role(self, user_id: UUID, role: UserRole) -> User: ...

    async def set_language(self, user_id: UUID, language: str | None) -> None: ...

    async def register_with_invite(
        self, *, code: str, username: str, password_hash: str, now: datetime
    ) -> User:
        """Atomically consumes one use of the invite and creates a trainee in its cohort."""
        ...

    async def start_auth_session(
        self, *, user_id: UUID, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> None: ...

    async def signed_in(self, token_hash: str, *, now: datetime) -> SignedIn | None: ...

    async def end_auth_session(self, token_hash: str) -> None: ...

    async def claim_attempt(
        self, *, kind: "AttemptKind", username: str, address: str, since: datetime
    ) -> tuple[UUID, int]:
        """Stores an attempt (committed), then returns its id and the count of attempts of
        this kind since `since` by the name (sign-in) or the address, itself included."""
        ...

    async def release_attempt(self, attempt_id: UUID) -> None: ...

    async def clear_attempts(self, *, kind: "AttemptKind", username: str) -> None: ...

    async def name_taken(self, username: str) -> bool: ...

    async def set_active(self, user_id: UUID, *, active: bool) -> User:
        """Deactivating ends the user's browser sessions; raises LastAdminError."""
        ...

    async def set_password(self, user_id: UUID, password_hash: str) -> None:
        """Also ends every browser session and reset link of the user."""
        ...

    async def end_user_sessions(self, user_id: UUID) -> None: ...

    async def create_reset(
        self, *, user_id: UUID, created_by: UUID, token_hash: str, expires_at: datetime
    ) -> None: ...

    async def reset_user(self, token_hash: str, *, now: datetime) -> User | None: ...

    async def use_reset(self, token_hash: str, *, password_hash: str, now: datetime) -> User:
        """Sets the password, spends the link and ends the user's sessions, atomically."""
        ...

    async def get_setting(self, key: str) -> str | None: ...

    async def set_setting(self, key: str, value: str | None) -> None: ...


class CohortStore(Protocol):
    """Cohorts, their members and invite codes (registering with a code is UserStore's)."""

    async def create_cohort(self, *, name: str, trainer_id: UUID) -> Cohort: ...

    async def cohorts(self, *, trainer_id: UUID | None = None) -> list[Cohort]: ...

    async def create_invite(
        self, *, cohort_id: UUID, created_by: UUID, code: str, max_uses: int, expires_at: datetime
    ) -> Invite: ...

    async def invites(self, cohort_id: UUID) -> list[Invite]: ...

    async def cohort(self, cohort_id: UUID) -> Cohort | None: ...

    async def rename_cohort(self, cohort_id: UUID, name: str) -> Cohort: ...

    async def cohort_summaries(self, *, trainer_id: UUID | None = None) -> list[CohortSummary]: ...

    async def members(self, cohort_id: UUID) -> list[Member]: ...

    async def invite(self, code: str) -> Invite | None: ...

    async def revoke_invite(self, code: str, *, now: datetime) -> Invite: ...


class AttemptKind(StrEnum):
    """What a rate-limited attempt was (app/adapters/tables.py LoginAttemptRow)."""

    LOGIN = "login"
    REGISTER = "register"


class AssignmentStore(Protocol):
    async def create(self, assignment: Assignment) -> None: ...

    async def get(self, assignment_id: UUID) -> Assignment | None: ...

    async def find(
        self,
        *,
        cohort_ids: frozenset[UUID] | None = None,
        user_ids: frozenset[UUID] | None = None,
    ) -> list[Assignment]:
        """Assignments to any of these cohorts or people (None: no restriction on that
        side; both None: all), newest first."""
        ...

    async def delete(self, assignment_id: UUID) -> None:
        """Removes the assignment; its calls stay, no longer linked to it."""
        ...


class FeedbackStore(Protocol):
    """What a trainee has read of the comments and corrections on their calls."""

    async def unread(self, owner_id: UUID) -> dict[UUID, int]:
        """Per call of `owner_id`: comments by others and label corrections made since the
        owner last read its scorecard (calls with none are left out)."""
        ...

    async def mark_seen(self, *, user_id: UUID, session_id: UUID, at: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class ScenarioRecord:
    """A scenario with what authoring needs: its version and author (None for a shipped
    file) and whether new calls may use it."""

    scenario: Scenario
    version: int | None
    author_id: UUID | None
    enabled: bool = True

    @property
    def shipped(self) -> bool:
        return self.version is None


class ScenarioCatalog(Protocol):
    """Shipped scenarios (files) and authored ones (database), so every process sees a
    scenario a trainer just saved. Authored scenarios are parsed once per version."""

    async def scenarios(self) -> list[Scenario]:
        """The scenarios new calls may use (disabled ones left out)."""
        ...

    async def records(self) -> list[ScenarioRecord]:
        """Every scenario, disabled ones too, for the authoring page."""
        ...

    async def record(self, scenario_id: str) -> ScenarioRecord | None: ...

    async def scenario(self, scenario_id: str, version: int | None = None) -> Scenario | None:
        """The scenario as of `version` (an authored one's; None: the current one)."""
        ...

    async def scenario_yaml(self, scenario_id: str) -> str | None: ...

    async def validate(self, yaml_text: str) -> Scenario:
        """Parses and checks a scenario off the event loop; ScenarioInvalidError with field
        paths when it is invalid."""
        ...

    async def save(
        self,
        *,
        scenario: Scenario,
        yaml_text: str,
        saved_by: UUID,
        replaces: int | None,
    ) -> ScenarioRecord:
        """Creates the scenario (`replaces` None) or stores its next version, if its current
        version is still `replaces`; ConflictError when it exists or changed meanwhile."""
        ...

    async def set_enabled(self, scenario_id: str, *, enabled: bool) -> None: ...

    async def delete(self, scenario_id: str) -> None:
        """Removes a scenario no call used; ScenarioInUseError otherwise."""
        ...


# --- one writer per call, heavy work and rate limits (issue 14) ----------------------------


class CallLeases(Protocol):
    """The writer lease of a call: moves, resumes and the end of one call never interleave,
    whichever socket or process they come from."""

    async def claim(
        self, session_id: UUID, *, holder: UUID, now: datetime, until: datetime
    ) -> bool:
        """Atomically takes the lease unless another holder's has not expired yet; True
        when `holder` now holds it, until `until`."""
        ...

    async def renew(self, session_id: UUID, *, holder: UUID, until: datetime) -> bool: ...

    async def release(self, session_id: UUID, *, holder: UUID) -> None: ...


T = TypeVar("T")


class Workers(Protocol):
    """Runs a CPU-heavy pure function (a picklable zero-argument callable) away from the
    event loop, bounded in time and in how many jobs wait. Raises ServerBusyError when too
    many wait, TooComplexError when the job runs past its time budget."""

    async def run(self, job: Callable[[], T]) -> T: ...


class RateLimiter(Protocol):
    async def claim(
        self, *, user_id: UUID, action: str, limit: int, window: timedelta, now: datetime
    ) -> bool:
        """Records one use of `action` by the user and returns True, or returns False (and
        records nothing) when the user already made `limit` uses within `window`."""
        ...


class AnalysisStore(Protocol):
    """Saved real-call analyses (issue 15.10)."""

    async def save(self, analysis: SavedAnalysis) -> None: ...

    async def get(self, analysis_id: UUID) -> SavedAnalysis | None: ...

    async def summaries(
        self, *, owner_id: UUID | None, limit: int = 200
    ) -> list[AnalysisSummary]: ...
