"""UserStore over SQLModel: users, cohorts, invite codes, browser sessions, failed logins."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, Table, delete, func
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import must_get, steps_for
from app.adapters.tables import (
    AppSettingRow,
    AuthSessionRow,
    CohortRow,
    InviteCodeRow,
    LoginAttemptRow,
    UserRow,
)
from app.domain.accounts.access import UserRole
from app.domain.accounts.users import Cohort, Invite, SignedIn, User
from app.domain.errors import InvalidInviteError, NotFoundError
from app.services.ports import DuplicateError


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes even for timezone-aware columns; they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _user(row: UserRow | Row[Any]) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=UserRole(row.role),
        cohort_id=row.cohort_id,
        language=row.language,
        created_at=_aware(row.created_at),
        is_active=row.is_active,
    )


def _cohort(row: CohortRow) -> Cohort:
    return Cohort(
        id=row.id, name=row.name, trainer_id=row.trainer_id, created_at=_aware(row.created_at)
    )


def _invite(row: InviteCodeRow) -> Invite:
    return Invite(
        code=row.code,
        cohort_id=row.cohort_id,
        max_uses=row.max_uses,
        uses=row.uses,
        expires_at=_aware(row.expires_at) if row.expires_at else None,
    )


class SqlUserStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._steps = steps_for(sessions)

    async def count(self) -> int:
        async with self._sessions() as db:
            return (await db.exec(select(func.count()).select_from(UserRow))).one()

    async def create(
        self, *, username: str, password_hash: str, role: UserRole, cohort_id: UUID | None
    ) -> User:
        row = UserRow(
            username=username, password_hash=password_hash, role=role.value, cohort_id=cohort_id
        )
        try:
            async with self._sessions.begin() as db:
                db.add(row)
        except IntegrityError as exc:
            raise DuplicateError(username) from exc
        return _user(row)

    async def get(self, user_id: UUID) -> User | None:
        async with self._sessions() as db:
            row = await db.get(UserRow, user_id)
            return _user(row) if row else None

    async def credentials(self, username: str) -> tuple[User, str] | None:
        async with self._sessions() as db:
            row = (await db.exec(select(UserRow).where(UserRow.username == username))).first()
            return (_user(row), row.password_hash) if row else None

    async def find(self, *, cohort_ids: frozenset[UUID] | None = None) -> list[User]:
        query = select(UserRow).order_by(col(UserRow.username))
        if cohort_ids is not None:
            query = query.where(col(UserRow.cohort_id).in_(cohort_ids))
        async with self._sessions() as db:
            return [_user(row) for row in await db.exec(query)]

    async def set_role(self, user_id: UUID, role: UserRole) -> User:
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            row.role = role.value
            db.add(row)
            return _user(row)

    async def set_language(self, user_id: UUID, language: str | None) -> None:
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            row.language = language
            db.add(row)

    async def create_cohort(self, *, name: str, trainer_id: UUID) -> Cohort:
        row = CohortRow(name=name, trainer_id=trainer_id)
        async with self._sessions.begin() as db:
            db.add(row)
        return _cohort(row)

    async def cohorts(self, *, trainer_id: UUID | None = None) -> list[Cohort]:
        query = select(CohortRow).order_by(col(CohortRow.created_at))
        if trainer_id is not None:
            query = query.where(CohortRow.trainer_id == trainer_id)
        async with self._sessions() as db:
            return [_cohort(row) for row in await db.exec(query)]

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
        return _invite(row)

    async def invites(self, cohort_id: UUID) -> list[Invite]:
        query = select(InviteCodeRow).where(InviteCodeRow.cohort_id == cohort_id)
        async with self._sessions() as db:
            return [_invite(row) for row in await db.exec(query)]

    async def register_with_invite(
        self, *, code: str, username: str, password_hash: str, now: datetime
    ) -> User:
        try:
            async with self._sessions.begin() as db:
                query = select(InviteCodeRow).where(InviteCodeRow.code == code).with_for_update()
                invite = (await db.exec(query)).first()
                if invite is None or not _invite(invite).is_usable(now):
                    raise InvalidInviteError("this invite code is unknown, used up or expired")
                invite.uses += 1
                db.add(invite)
                row = UserRow(
                    username=username,
                    password_hash=password_hash,
                    role=UserRole.TRAINEE.value,
                    cohort_id=invite.cohort_id,
                )
                db.add(row)
        except IntegrityError as exc:
            raise DuplicateError(username) from exc
        return _user(row)

    async def start_auth_session(
        self, *, user_id: UUID, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> None:
        row = AuthSessionRow(
            token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, expires_at=expires_at
        )
        async with self._sessions.begin() as db:
            db.add(row)

    async def signed_in(self, token_hash: str, *, now: datetime) -> SignedIn | None:
        """Every websocket frame asks this (issue 14): one Core step, not an ORM session."""
        users: Table = UserRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it
        auth: Table = AuthSessionRow.__table__  # type: ignore[attr-defined]
        cohorts: Table = CohortRow.__table__  # type: ignore[attr-defined]
        stmt = (
            core_select(users, auth.c.expires_at, auth.c.csrf_token)
            .join(auth, auth.c.user_id == users.c.id)
            .where(auth.c.token_hash == token_hash)
        )

        def step(conn: Connection) -> SignedIn | None:
            found = conn.execute(stmt).first()
            if found is None or _aware(found.expires_at) <= now or not found.is_active:
                return None
            owned: frozenset[UUID] = frozenset()
            if found.role in (UserRole.TRAINER.value, UserRole.ADMIN.value):
                ids = conn.execute(
                    core_select(cohorts.c.id).where(cohorts.c.trainer_id == found.id)
                ).scalars()
                owned = frozenset(ids)
            return SignedIn(user=_user(found), cohorts=owned, csrf_token=found.csrf_token)

        return await self._steps.read(step)

    async def end_auth_session(self, token_hash: str) -> None:
        async with self._sessions.begin() as db:
            await db.exec(
                delete(AuthSessionRow).where(col(AuthSessionRow.token_hash) == token_hash)
            )

    async def record_failed_login(self, *, username: str, address: str) -> None:
        async with self._sessions.begin() as db:
            db.add(LoginAttemptRow(username=username[:64], address=address[:64]))

    async def failed_logins(self, *, username: str, address: str, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(
                (LoginAttemptRow.username == username) | (LoginAttemptRow.address == address),
                col(LoginAttemptRow.created_at) >= since,
            )
        )
        async with self._sessions() as db:
            return (await db.exec(query)).one()

    async def clear_failed_logins(self, *, username: str) -> None:
        async with self._sessions.begin() as db:
            await db.exec(delete(LoginAttemptRow).where(col(LoginAttemptRow.username) == username))

    async def get_setting(self, key: str) -> str | None:
        async with self._sessions() as db:
            row = await db.get(AppSettingRow, key)
            return row.value if row else None

    async def set_setting(self, key: str, value: str | None) -> None:
        async with self._sessions.begin() as db:
            row = await db.get(AppSettingRow, key)
            if value is None:
                if row is not None:
                    await db.delete(row)
                return
            if row is None:
                row = AppSettingRow(key=key, value=value)
            row.value = value
            db.add(row)
