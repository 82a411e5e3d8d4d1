"""Cohorts and their invite codes: trainers create and rename cohorts, see who joined, and
make, list and revoke invites; admins see every cohort."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.accounts.access import Actor, UserRole, may_create_cohort, may_manage_cohort
from app.domain.accounts.users import Cohort, CohortSummary, Invite, Member
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.services.ports import CohortStore

MAX_COHORT_NAME_CHARS = 120
MAX_INVITE_USES = 1000
MAX_INVITE_DAYS = 365
INVITE_DAYS = 30
INVITE_USES = 50


def clean_cohort_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= MAX_COHORT_NAME_CHARS or "\x00" in cleaned:
        raise ValidationFailedError(f"a cohort name has 1-{MAX_COHORT_NAME_CHARS} characters")
    return cleaned


def new_invite_code() -> str:
    """12 characters from 72 random bits, without - and _ (they get lost when copied)."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


class Cohorts:
    def __init__(self, *, cohorts: CohortStore, clock: Callable[[], datetime]) -> None:
        self._cohorts = cohorts
        self._clock = clock

    async def _managed(self, actor: Actor, cohort_id: UUID) -> Cohort:
        """The cohort, if this actor runs it (or is an admin); else it does not exist."""
        cohort = await self._cohorts.cohort(cohort_id)
        if cohort is None or not may_manage_cohort(actor, cohort_id):
            raise NotFoundError("cohort")
        return cohort

    async def create(self, actor: Actor, *, name: str, trainer_id: UUID | None = None) -> Cohort:
        """A trainer's new cohort is theirs; an admin may name another trainer."""
        if not may_create_cohort(actor):
            raise ForbiddenError("only trainers create cohorts")
        owner = trainer_id if actor.role is UserRole.ADMIN and trainer_id else actor.id
        return await self._cohorts.create_cohort(name=clean_cohort_name(name), trainer_id=owner)

    async def rename(self, actor: Actor, cohort_id: UUID, *, name: str) -> Cohort:
        await self._managed(actor, cohort_id)
        return await self._cohorts.rename_cohort(cohort_id, clean_cohort_name(name))

    async def visible(self, actor: Actor) -> list[Cohort]:
        return [summary.cohort for summary in await self.summaries(actor)]

    async def summaries(self, actor: Actor) -> list[CohortSummary]:
        """Admins: every cohort; trainers: theirs."""
        if actor.role is UserRole.ADMIN:
            return await self._cohorts.cohort_summaries()
        if actor.role is UserRole.TRAINER:
            return await self._cohorts.cohort_summaries(trainer_id=actor.id)
        raise ForbiddenError("trainees have no cohorts to manage")

    async def get(self, actor: Actor, cohort_id: UUID) -> Cohort:
        return await self._managed(actor, cohort_id)

    async def members(self, actor: Actor, cohort_id: UUID) -> list[Member]:
        await self._managed(actor, cohort_id)
        return await self._cohorts.members(cohort_id)

    async def create_invite(
        self,
        actor: Actor,
        *,
        cohort_id: UUID,
        max_uses: int = INVITE_USES,
        days: int = INVITE_DAYS,
    ) -> Invite:
        await self._managed(actor, cohort_id)
        if not 1 <= max_uses <= MAX_INVITE_USES:
            raise ValidationFailedError(f"an invite allows 1-{MAX_INVITE_USES} uses")
        if not 1 <= days <= MAX_INVITE_DAYS:
            raise ValidationFailedError(f"an invite lasts 1-{MAX_INVITE_DAYS} days")
        return await self._cohorts.create_invite(
            cohort_id=cohort_id,
            created_by=actor.id,
            code=new_invite_code(),
            max_uses=max_uses,
            expires_at=self._clock() + timedelta(days=days),
        )

    async def invites(self, actor: Actor, cohort_id: UUID) -> list[Invite]:
        await self._managed(actor, cohort_id)
        return await self._cohorts.invites(cohort_id)

    async def revoke_invite(self, actor: Actor, code: str) -> Invite:
        """The code stops working at once; registrations made with it stay."""
        invite = await self._cohorts.invite(code)
        if invite is None or not may_manage_cohort(actor, invite.cohort_id):
            raise NotFoundError("invite")
        return await self._cohorts.revoke_invite(code, now=self._clock())

    def now(self) -> datetime:
        return self._clock()
