"""Users, cohorts and invite codes as the rest of the product sees them."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.accounts.access import Actor, UserRole


@dataclass(frozen=True, slots=True)
class User:
    id: UUID
    username: str
    role: UserRole
    cohort_id: UUID | None
    language: str | None
    created_at: datetime
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Cohort:
    id: UUID
    name: str
    trainer_id: UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    cohort_id: UUID
    max_uses: int
    uses: int
    expires_at: datetime | None
    revoked_at: datetime | None = None
    created_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.status(now) is InviteStatus.ACTIVE

    def status(self, now: datetime) -> "InviteStatus":
        if self.revoked_at is not None:
            return InviteStatus.REVOKED
        if self.uses >= self.max_uses:
            return InviteStatus.USED_UP
        if self.expires_at is not None and now >= self.expires_at:
            return InviteStatus.EXPIRED
        return InviteStatus.ACTIVE


class InviteStatus(StrEnum):
    ACTIVE = "active"
    USED_UP = "used_up"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A user with what access rules need: the cohorts a trainer runs, and the CSRF token
    of this browser session."""

    user: User
    cohorts: frozenset[UUID]
    csrf_token: str

    @property
    def actor(self) -> Actor:
        return Actor(
            id=self.user.id,
            role=self.user.role,
            cohort_id=self.user.cohort_id,
            cohorts=self.cohorts,
        )


@dataclass(frozen=True, slots=True)
class Member:
    """A user as a cohort's page lists them."""

    id: UUID
    username: str
    role: UserRole
    is_active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CohortSummary:
    """A cohort with its trainer's name and how many members it has."""

    cohort: Cohort
    trainer_name: str
    members: int
