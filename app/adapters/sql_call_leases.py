"""CallLeases over the `call_lease` table: one writer per call across sockets and processes
(issue 14). A lease is claimed in one statement that is atomic on SQLite and PostgreSQL
alike (an upsert that takes a row over only when it has expired), so two tabs or two server
processes sending at the same instant cannot both hold it. Each method is one Core step (a
turn claims and releases once: docs/performance.md)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, Table, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import steps_for
from app.adapters.tables import CallLeaseRow

LEASES: Table = CallLeaseRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it


class SqlCallLeases:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._steps = steps_for(sessions)
        self._insert = pg_insert if self._steps.dialect == "postgresql" else sqlite_insert

    async def claim(
        self, session_id: UUID, *, holder: UUID, now: datetime, until: datetime
    ) -> bool:
        stmt = (
            self._insert(LEASES)
            .values(session_id=session_id, holder=holder, expires_at=until)
            .on_conflict_do_update(
                index_elements=[LEASES.c.session_id],
                set_={"holder": holder, "expires_at": until},
                where=LEASES.c.expires_at < now,
            )
            .returning(LEASES.c.holder)
        )

        def step(conn: Connection) -> object:
            return conn.execute(stmt).scalar_one_or_none()

        return await self._steps.write(step) == holder

    async def renew(self, session_id: UUID, *, holder: UUID, until: datetime) -> bool:
        stmt = (
            update(LEASES)
            .where(LEASES.c.session_id == session_id, LEASES.c.holder == holder)
            .values(expires_at=until)
        )

        def step(conn: Connection) -> bool:
            return bool(conn.execute(stmt).rowcount)

        return await self._steps.write(step)

    async def release(self, session_id: UUID, *, holder: UUID) -> None:
        stmt = delete(LEASES).where(LEASES.c.session_id == session_id, LEASES.c.holder == holder)

        def step(conn: Connection) -> None:
            conn.execute(stmt)

        await self._steps.write(step)
