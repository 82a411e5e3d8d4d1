"""UserStore over SQLModel: users, cohorts, invite codes, browser sessions, sign-in attempts,
password resets."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, Table, delete, func
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import aware, must_get, steps_for
from app.adapters.tables import (
    AppSettingRow,
    AuthSessionRow,
    CohortRow,
    InviteCodeRow,
    LoginAttemptRow,
    PasswordResetRow,
    UserRow,
)
from app.domain.accounts.access import UserRole
from app.domain.accounts.names import username_key
from app.domain.accounts.users import Invite, SignedIn, User
from app.domain.errors import InvalidInviteError, LastAdminError, NotFoundError
from app.services.ports import AttemptKind, DuplicateError


def _user(row: UserRow | Row[Any]) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=UserRole(row.role),
        cohort_id=row.cohort_id,
        language=row.language,
        created_at=aware(row.created_at),
        is_active=row.is_active,
    )


def invite_of(row: InviteCodeRow) -> Invite:
    return Invite(
        code=row.code,
        cohort_id=row.cohort_id,
        max_uses=row.max_uses,
        uses=row.uses,
        expires_at=aware(row.expires_at) if row.expires_at else None,
        revoked_at=aware(row.revoked_at) if row.revoked_at else None,
        created_at=aware(row.created_at),
    )


async def _keep_an_admin(db: AsyncSession, user_id: UUID) -> None:
    """Refuses a change that would take the last active admin's role or access away. The
    admins' rows are locked (PostgreSQL), so two admins demoting each other at once cannot
    both succeed; SQLite runs one writer at a time anyway."""
    query = (
        select(UserRow.id)
        .where(UserRow.role == UserRole.ADMIN.value, col(UserRow.is_active).is_(True))
        .with_for_update()
    )
    admins = set((await db.exec(query)).all())
    if user_id in admins and admins <= {user_id}:
        raise LastAdminError("the installation needs at least one active admin")


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
            username=username,
            username_key=username_key(username),
            password_hash=password_hash,
            role=role.value,
            cohort_id=cohort_id,
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
        """By the exact name first, then by the canonical key: two accounts made before keys
        existed may fold onto one key (migration 0002), and each still signs in by its own
        exact name."""
        async with self._sessions() as db:
            exact = select(UserRow).where(UserRow.username == username.strip()[:64])
            row = (await db.exec(exact)).first()
            if row is None:
                by_key = select(UserRow).where(UserRow.username_key == username_key(username))
                row = (await db.exec(by_key)).first()
            return (_user(row), row.password_hash) if row else None

    async def name_taken(self, username: str) -> bool:
        key = select(UserRow.id).where(UserRow.username_key == username_key(username))
        async with self._sessions() as db:
            return (await db.exec(key)).first() is not None

    async def find(self, *, cohort_ids: frozenset[UUID] | None = None) -> list[User]:
        query = select(UserRow).order_by(col(UserRow.username))
        if cohort_ids is not None:
            query = query.where(col(UserRow.cohort_id).in_(cohort_ids))
        async with self._sessions() as db:
            return [_user(row) for row in await db.exec(query)]

    async def set_role(self, user_id: UUID, role: UserRole) -> User:
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            if role is not UserRole.ADMIN:
                await _keep_an_admin(db, user_id)
            row.role = role.value
            db.add(row)
            return _user(row)

    async def set_active(self, user_id: UUID, *, active: bool) -> User:
        """Deactivating ends every browser session of the user and any reset link, in the
        same transaction: a copied cookie stops working at once."""
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            if not active:
                await _keep_an_admin(db, user_id)
                await _end_sessions(db, user_id)
            row.is_active = active
            db.add(row)
            return _user(row)

    async def set_password(self, user_id: UUID, password_hash: str) -> None:
        """A new password ends every browser session and reset link of the user."""
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            row.password_hash = password_hash
            db.add(row)
            await _end_sessions(db, user_id)

    async def end_user_sessions(self, user_id: UUID) -> None:
        async with self._sessions.begin() as db:
            await _end_sessions(db, user_id)

    async def set_language(self, user_id: UUID, language: str | None) -> None:
        async with self._sessions.begin() as db:
            row = await must_get(db, UserRow, user_id, "user")
            row.language = language
            db.add(row)

    async def register_with_invite(
        self, *, code: str, username: str, password_hash: str, now: datetime
    ) -> User:
        try:
            async with self._sessions.begin() as db:
                query = select(InviteCodeRow).where(InviteCodeRow.code == code).with_for_update()
                invite = (await db.exec(query)).first()
                if invite is None or not invite_of(invite).is_usable(now):
                    raise InvalidInviteError("this invite code is unknown, used up or expired")
                invite.uses += 1
                db.add(invite)
                row = UserRow(
                    username=username,
                    username_key=username_key(username),
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
            if found is None or aware(found.expires_at) <= now or not found.is_active:
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

    async def claim_attempt(
        self, *, kind: AttemptKind, username: str, address: str, since: datetime
    ) -> tuple[UUID, int]:
        """Stores one attempt and commits it, then counts the attempts of this kind since
        `since` for the name (sign-in only) or the address, this one included. Committing
        before counting makes the check atomic without a lock: of N attempts racing, the
        k-th to commit counts at least k, so no more than the limit get through."""
        row = LoginAttemptRow(kind=kind.value, username=username[:64], address=address[:64])
        async with self._sessions.begin() as db:
            db.add(row)
        same = LoginAttemptRow.address == row.address
        if kind is AttemptKind.LOGIN:
            same = same | (LoginAttemptRow.username == row.username)
        query = (
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(
                LoginAttemptRow.kind == kind.value, same, col(LoginAttemptRow.created_at) >= since
            )
        )
        async with self._sessions() as db:
            return row.id, (await db.exec(query)).one()

    async def release_attempt(self, attempt_id: UUID) -> None:
        """Forgets an attempt that did not count (it succeeded, or was refused unchecked)."""
        async with self._sessions.begin() as db:
            await db.exec(delete(LoginAttemptRow).where(col(LoginAttemptRow.id) == attempt_id))

    async def clear_attempts(self, *, kind: AttemptKind, username: str) -> None:
        """A successful sign-in lifts the account's lock (not the address's)."""
        async with self._sessions.begin() as db:
            await db.exec(
                delete(LoginAttemptRow).where(
                    col(LoginAttemptRow.kind) == kind.value,
                    col(LoginAttemptRow.username) == username[:64],
                )
            )

    async def create_reset(
        self, *, user_id: UUID, created_by: UUID, token_hash: str, expires_at: datetime
    ) -> None:
        """One live reset link per user: a new one replaces the old."""
        async with self._sessions.begin() as db:
            await must_get(db, UserRow, user_id, "user")
            await db.exec(delete(PasswordResetRow).where(col(PasswordResetRow.user_id) == user_id))
            db.add(
                PasswordResetRow(
                    token_hash=token_hash,
                    user_id=user_id,
                    created_by=created_by,
                    expires_at=expires_at,
                )
            )

    async def reset_user(self, token_hash: str, *, now: datetime) -> User | None:
        """The active user a live reset link is for, or None."""
        async with self._sessions() as db:
            found = (
                await db.exec(
                    select(PasswordResetRow, UserRow)
                    .join(UserRow, col(UserRow.id) == PasswordResetRow.user_id)
                    .where(PasswordResetRow.token_hash == token_hash)
                )
            ).first()
        if found is None or aware(found[0].expires_at) <= now or not found[1].is_active:
            return None
        return _user(found[1])

    async def use_reset(self, token_hash: str, *, password_hash: str, now: datetime) -> User:
        """Sets the password through a live link and spends it (and ends the user's browser
        sessions), in one transaction; raises NotFoundError for a dead link."""
        async with self._sessions.begin() as db:
            reset = await db.get(PasswordResetRow, token_hash, with_for_update=True)
            user = await db.get(UserRow, reset.user_id) if reset else None
            if reset is None or user is None or not user.is_active:
                raise NotFoundError("this reset link is invalid or was already used")
            if aware(reset.expires_at) <= now:
                raise NotFoundError("this reset link has expired")
            user.password_hash = password_hash
            db.add(user)
            await _end_sessions(db, user.id)
            return _user(user)

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


async def _end_sessions(db: AsyncSession, user_id: UUID) -> None:
    """Every browser session and reset link of the user (the caller's transaction)."""
    await db.exec(delete(AuthSessionRow).where(col(AuthSessionRow.user_id) == user_id))
    await db.exec(delete(PasswordResetRow).where(col(PasswordResetRow.user_id) == user_id))
