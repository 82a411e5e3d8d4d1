"""SQLModel tables (`...Row`). Rows never leave the adapters: stores map them to domain objects."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _at(*, nullable: bool = False, index: bool = False) -> Any:
    """A timezone-aware UTC timestamp column (STYLE.md §9)."""
    column = Column(DateTime(timezone=True), nullable=nullable, index=index)
    if nullable:
        return Field(default=None, sa_column=column)
    return Field(default_factory=utcnow, sa_column=column)


class UserRow(SQLModel, table=True):
    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    # NFKC + case fold (app/domain/accounts/names.py): "Ana" and "ana" are one account
    username_key: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    cohort_id: uuid.UUID | None = Field(default=None, foreign_key="cohort.id", index=True)
    language: str | None = Field(default=None, max_length=8)
    is_active: bool = True
    created_at: datetime = _at()


class CohortRow(SQLModel, table=True):
    __tablename__ = "cohort"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=120)
    trainer_id: uuid.UUID = Field(index=True)
    created_at: datetime = _at()


class InviteCodeRow(SQLModel, table=True):
    __tablename__ = "invite_code"

    code: str = Field(primary_key=True, max_length=32)
    cohort_id: uuid.UUID = Field(foreign_key="cohort.id", index=True)
    created_by: uuid.UUID
    max_uses: int = 50
    uses: int = 0
    created_at: datetime = _at()
    expires_at: datetime | None = _at(nullable=True)
    revoked_at: datetime | None = _at(nullable=True)


class AuthSessionRow(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its keyed hash is stored,
    so logout (or a stolen database) cannot be replayed."""

    __tablename__ = "auth_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _at()
    expires_at: datetime = _at()


class LoginAttemptRow(SQLModel, table=True):
    """Sign-in and registration attempts, per account and per address, for rate limiting
    across processes: claimed (committed) before any password is hashed; a success removes
    its row, so what stays are failures and attempts still in flight."""

    __tablename__ = "login_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(default="login", max_length=16, index=True)
    username: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64, index=True)
    created_at: datetime = _at(index=True)


class AppSettingRow(SQLModel, table=True):
    """Small key-value facts about the installation (e.g. the first-run setup token hash)."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=255)


class ScenarioRow(SQLModel, table=True):
    """A scenario authored in the UI, kept as its validated YAML text (the current version).
    Only its author or an admin changes it; a disabled one is offered for no new call."""

    __tablename__ = "scenario"

    id: str = Field(primary_key=True, max_length=64)
    yaml_text: str
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    enabled: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    created_at: datetime = _at()
    updated_at: datetime = _at()


class ScenarioVersionRow(SQLModel, table=True):
    """Every saved version of an authored scenario, so a call replays, rescores and is
    overridden against the version it started with (issue 14)."""

    __tablename__ = "scenario_version"

    scenario_id: str = Field(primary_key=True, max_length=64, foreign_key="scenario.id")
    version: int = Field(primary_key=True)
    yaml_text: str
    saved_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = _at()


class PracticeSessionRow(SQLModel, table=True):
    __tablename__ = "practice_session"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    cohort_id: uuid.UUID | None = Field(default=None, index=True)
    scenario_id: str = Field(max_length=64, index=True)
    scenario_version: int | None = None  # an authored scenario's version; None: a shipped one
    style: str = Field(max_length=16)
    style_hidden: bool = False
    language: str = Field(max_length=8)
    mode: str = Field(max_length=8)
    kind: str = Field(default="practice", max_length=16)
    # copied from options.assignment_id, as a column so that lists can filter on it
    assignment_id: uuid.UUID | None = Field(default=None, foreign_key="assignment.id", index=True)
    seed: int = 0
    status: str = Field(default="active", max_length=8, index=True)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    overall: int | None = None
    created_at: datetime = _at(index=True)
    ended_at: datetime | None = _at(nullable=True)


class TurnRow(SQLModel, table=True):
    __tablename__ = "turn"
    __table_args__ = (
        UniqueConstraint("session_id", "client_id", name="uq_turn_session_client"),
        UniqueConstraint("session_id", "seq", name="uq_turn_session_seq"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", index=True)
    seq: int
    role: str = Field(max_length=8)
    text: str
    client_id: str | None = Field(default=None, max_length=64)
    label: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reading: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reaction: str | None = Field(default=None, max_length=64)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _at()


class LabelOverrideRow(SQLModel, table=True):
    __tablename__ = "label_override"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    turn_id: uuid.UUID = Field(foreign_key="turn.id", index=True)
    trainer_id: uuid.UUID = Field(foreign_key="user_account.id")
    old_label: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    new_label: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # the call's overall score before and after the correction, shown to the trainee
    score_before: int | None = None
    score_after: int | None = None
    created_at: datetime = _at()


class CommentRow(SQLModel, table=True):
    __tablename__ = "turn_comment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    turn_id: uuid.UUID = Field(foreign_key="turn.id", index=True)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    text: str
    created_at: datetime = _at()


class ScorecardRow(SQLModel, table=True):
    __tablename__ = "scorecard"

    session_id: uuid.UUID = Field(foreign_key="practice_session.id", primary_key=True)
    overall: int
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    computed_at: datetime = _at()


class CallAnalysisRow(SQLModel, table=True):
    """A real call a trainer analysed: its labelled turns and scorecard, kept to list and
    reopen (issue 15.10)."""

    __tablename__ = "call_analysis"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=120)
    language: str = Field(max_length=8)
    overall: int
    turns: list[Any] = Field(sa_column=Column(JSON, nullable=False))
    speakers: list[Any] = Field(sa_column=Column(JSON, nullable=False))
    scorecard: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _at(index=True)


# --- the training programme: assignments, password resets, feedback read (issue 15) -------


class AssignmentRow(SQLModel, table=True):
    """A call or drill a trainer asks a cohort (or one trainee) to practise."""

    __tablename__ = "assignment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    cohort_id: uuid.UUID | None = Field(default=None, foreign_key="cohort.id", index=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id", index=True)
    scenario_id: str = Field(max_length=64)
    style: str = Field(max_length=16)
    language: str = Field(max_length=8)
    mode: str = Field(max_length=8)
    drill: str | None = Field(default=None, max_length=16)
    due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    note: str = Field(default="", max_length=500)
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = _at()


class PasswordResetRow(SQLModel, table=True):
    """A one-time reset link an admin made; only the token's keyed hash is stored."""

    __tablename__ = "password_reset"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = _at()
    expires_at: datetime = _at()


class FeedbackReadRow(SQLModel, table=True):
    """When a trainee last read a call's scorecard: comments and corrections after it are
    unread."""

    __tablename__ = "feedback_read"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", primary_key=True)
    seen_at: datetime = _at()


class CallLeaseRow(SQLModel, table=True):
    """The one writer of a call (a move, a resume, the end) across sockets and processes:
    claimed atomically, renewed while held, and free again once it expires (a crash)."""

    __tablename__ = "call_lease"

    session_id: uuid.UUID = Field(foreign_key="practice_session.id", primary_key=True)
    holder: uuid.UUID
    expires_at: datetime = _at()


class RateEventRow(SQLModel, table=True):
    """One use of an expensive action (bulk classify, call analysis, scenario save) by a
    user, for per-user rate limits that hold across processes."""

    __tablename__ = "rate_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    action: str = Field(max_length=32)
    created_at: datetime = _at(index=True)
