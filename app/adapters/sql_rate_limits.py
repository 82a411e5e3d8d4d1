"""RateLimiter over the `rate_event` table: one row per use, so a limit holds across
processes. Check and record are one transaction, serialised per user and action (an advisory
lock on PostgreSQL; SQLite has one writer at a time), so concurrent requests cannot all pass."""

import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.tables import RateEventRow


def _lock_key(user_id: UUID, action: str) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock, stable across processes."""
    digest = hashlib.blake2b(f"{user_id}:{action}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class SqlRateLimiter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(
        self, *, user_id: UUID, action: str, limit: int, window: timedelta, now: datetime
    ) -> bool:
        since = now - window
        # A refusal reads only: a flood of refused requests takes no write lock (SQLite has
        # one writer for everyone); the count is taken again, exactly, before a use is kept.
        async with self._sessions() as db:
            if await self._used(db, user_id, action, since) >= limit:
                return False
        async with self._sessions.begin() as db:
            if db.get_bind().dialect.name == "postgresql":
                await db.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(user_id, action)}
                )
            # Old uses go first; on SQLite this write also takes the database's write lock,
            # so the count below sees every committed use.
            await db.exec(
                delete(RateEventRow).where(
                    col(RateEventRow.user_id) == user_id,
                    col(RateEventRow.action) == action,
                    col(RateEventRow.created_at) < since,
                )
            )
            if await self._used(db, user_id, action, since) >= limit:
                return False
            db.add(RateEventRow(user_id=user_id, action=action, created_at=now))
        return True

    @staticmethod
    async def _used(db: AsyncSession, user_id: UUID, action: str, since: datetime) -> int:
        used = await db.exec(
            select(func.count())
            .select_from(RateEventRow)
            .where(
                col(RateEventRow.user_id) == user_id,
                col(RateEventRow.action) == action,
                col(RateEventRow.created_at) >= since,
            )
        )
        return used.one()
