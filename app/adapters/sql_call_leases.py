"""CallLeases over the `call_lease` table: one writer per call across sockets and processes
(issue 14). A lease is claimed in one statement that is atomic on SQLite and PostgreSQL
alike (an upsert that takes a row over only when it has expired), so two tabs or two server
processes sending at the same instant cannot both hold it."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Table, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.tables import CallLeaseRow

LEASES: Table = CallLeaseRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it


class SqlCallLeases:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(
        self, session_id: UUID, *, holder: UUID, now: datetime, until: datetime
    ) -> bool:
        async with self._sessions.begin() as db:
            insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
            stmt = (
                insert(LEASES)
                .values(session_id=session_id, holder=holder, expires_at=until)
                .on_conflict_do_update(
                    index_elements=[LEASES.c.session_id],
                    set_={"holder": holder, "expires_at": until},
                    where=LEASES.c.expires_at < now,
                )
                .returning(LEASES.c.holder)
            )
            won = (await db.execute(stmt)).scalar_one_or_none()
        return won == holder

    async def renew(self, session_id: UUID, *, holder: UUID, until: datetime) -> bool:
        async with self._sessions.begin() as db:
            renewed = await db.exec(
                update(CallLeaseRow)
                .where(
                    col(CallLeaseRow.session_id) == session_id, col(CallLeaseRow.holder) == holder
                )
                .values(expires_at=until)
            )
            return bool(renewed.rowcount)

    async def release(self, session_id: UUID, *, holder: UUID) -> None:
        async with self._sessions.begin() as db:
            await db.exec(
                delete(CallLeaseRow).where(
                    col(CallLeaseRow.session_id) == session_id, col(CallLeaseRow.holder) == holder
                )
            )
