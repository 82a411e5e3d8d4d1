"""CohortStore over SQLModel: cohorts, their members as a cohort's page lists them, and
invite codes (created, listed, revoked). Registering with a code is the user store's: it
creates the account in the same transaction."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import aware, must_get
from app.adapters.sql_users import invite_of
from app.adapters.tables import CohortRow, InviteCodeRow, UserRow
from app.domain.accounts.access import UserRole
from app.domain.accounts.users import Cohort, CohortSummary, Invite, Member
from app.domain.errors import NotFoundError


def cohort_of(row: CohortRow) -> Cohort:
    return Cohort(
        id=row.id, name=row.name, trainer_id=row.trainer_id, created_at=aware(row.created_at)
    )


def member_of(row: UserRow) -> Member:
    return Member(
        id=row.id,
        username=row.username,
        role=UserRole(row.role),
        is_active=row.is_active,
        created_at=aware(row.created_at),
    )


class SqlCohortStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def cohort(self, cohort_id: UUID) -> Cohort | None:
        async with self._sessions() as db:
            row = await db.get(CohortRow, cohort_id)
            return cohort_of(row) if row else None

    async def rename_cohort(self, cohort_id: UUID, name: str) -> Cohort:
        async with self._sessions.begin() as db:
            row = await must_get(db, CohortRow, cohort_id, "cohort")
            row.name = name
            db.add(row)
            return cohort_of(row)

    async def cohort_summaries(self, *, trainer_id: UUID | None = None) -> list[CohortSummary]:
        members = (
            select(UserRow.cohort_id, func.count().label("n"))
            .group_by(col(UserRow.cohort_id))
            .subquery()
        )
        trainer = UserRow.__table__.alias("trainer")  # type: ignore[attr-defined]  # SQLModel table
        query = (
            select(CohortRow, trainer.c.username, members.c.n)
            .join(trainer, trainer.c.id == CohortRow.trainer_id, isouter=True)
            .join(members, members.c.cohort_id == CohortRow.id, isouter=True)
            .order_by(col(CohortRow.created_at))
        )
        if trainer_id is not None:
            query = query.where(CohortRow.trainer_id == trainer_id)
        async with self._sessions() as db:
            return [
                CohortSummary(cohort=cohort_of(row), trainer_name=name or "", members=n or 0)
                for row, name, n in await db.exec(query)
            ]

    async def members(self, cohort_id: UUID) -> list[Member]:
        query = (
            select(UserRow)
            .where(UserRow.cohort_id == cohort_id)
            .order_by(col(UserRow.username_key))
        )
        async with self._sessions() as db:
            return [member_of(row) for row in await db.exec(query)]

    async def create_cohort(self, *, name: str, trainer_id: UUID) -> Cohort:
        row = CohortRow(name=name, trainer_id=trainer_id)
        async with self._sessions.begin() as db:
            db.add(row)
        return cohort_of(row)

    async def cohorts(self, *, trainer_id: UUID | None = None) -> list[Cohort]:
        query = select(CohortRow).order_by(col(CohortRow.created_at))
        if trainer_id is not None:
            query = query.where(CohortRow.trainer_id == trainer_id)
        async with self._sessions() as db:
            return [cohort_of(row) for row in await db.exec(query)]

    async def create_invite(
        self, *, cohort_id: UUID, created_by: UUID, code: str, max_uses: int, expires_at: datetime
    ) -> Invite:
        row = InviteCodeRow(
            code=code,
            cohort_id=cohort_id,
            created_by=created_by,
            max_uses=max_uses,
            expires_at=expires_at,
        )
        try:
            async with self._sessions.begin() as db:
                db.add(row)
        except IntegrityError as exc:  # the cohort does not exist
            raise NotFoundError("cohort") from exc
        return invite_of(row)

    async def invites(self, cohort_id: UUID) -> list[Invite]:
        query = (
            select(InviteCodeRow)
            .where(InviteCodeRow.cohort_id == cohort_id)
            .order_by(col(InviteCodeRow.created_at).desc())
        )
        async with self._sessions() as db:
            return [invite_of(row) for row in await db.exec(query)]

    async def invite(self, code: str) -> Invite | None:
        async with self._sessions() as db:
            row = await db.get(InviteCodeRow, code[:32])
            return invite_of(row) if row else None

    async def revoke_invite(self, code: str, *, now: datetime) -> Invite:
        async with self._sessions.begin() as db:
            row = await db.get(InviteCodeRow, code[:32])
            if row is None:
                raise NotFoundError("invite")
            if row.revoked_at is None:
                row.revoked_at = now
                db.add(row)
            return invite_of(row)
