"""Users, cohorts and invite codes as the rest of the product sees them."""

from dataclasses import dataclass
from datetime import datetime
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

    def is_usable(self, now: datetime) -> bool:
        return self.uses < self.max_uses and (self.expires_at is None or now < self.expires_at)


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


MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 256
