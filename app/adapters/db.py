"""The async engine and session factory, from a database URL. SQLite is set up to behave like
the production database: WAL, foreign keys and a busy timeout on every connection.

`Steps` runs the hot path's transactions (docs/performance.md): one synchronous function of
Core statements per transaction, so a step costs one hand-off to the driver, not one per
statement, cursor and commit as aiosqlite's does (a turn made ~40 of them)."""

import asyncio
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.errors import InvalidTextError, NotFoundError
from app.domain.text import unstorable_char

SQLITE_BUSY_TIMEOUT_MS = 10_000
RowT = TypeVar("RowT", bound=SQLModel)
T = TypeVar("T")
# SQLite steps run on these threads (shared by every engine of the process): the driver
# releases the GIL while SQLite works, and a step waiting on another process's write lock
# (busy_timeout) never blocks the event loop.
SQLITE_THREADS = 4
_sqlite_threads = ThreadPoolExecutor(max_workers=SQLITE_THREADS, thread_name_prefix="sqlite")


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes even for timezone-aware columns; they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    event.listen(engine.sync_engine, "before_cursor_execute", _refuse_unstorable_text)
    return engine


def _refuse_unstorable_text(
    _conn: object,
    _cursor: object,
    _statement: str,
    parameters: Any,
    _context: object,
    executemany: bool,
) -> None:
    """The last line of defence for text from anywhere (a query filter, a form field):
    PostgreSQL refuses NUL with a driver error and SQLite stores it; both refuse a lone
    surrogate while encoding. Refused here, the answer is one clear 4xx on both."""
    rows = parameters if executemany else [parameters]
    for row in rows:
        values = row.values() if isinstance(row, dict) else row or ()
        for value in values:
            if isinstance(value, str) and unstorable_char(value) is not None:
                raise InvalidTextError("text contains a NUL byte or a broken (unpaired) character")


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor: Any = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Steps:
    """One transaction = one call of a synchronous function over a Core connection. SQLite:
    the stdlib driver on a worker thread (one hand-off per step). PostgreSQL: the async
    driver through SQLAlchemy's greenlet bridge (no thread at all)."""

    def __init__(self, engine: AsyncEngine) -> None:
        # Weak: the per-engine cache below must not keep its key alive.
        self._engine_ref = weakref.ref(engine)
        self._dialect = engine.dialect.name
        self._sync: Engine | None = None
        if engine.dialect.name == "sqlite":
            self._sync = create_sync_engine(
                sync_url(engine.url.render_as_string(hide_password=False)),
                connect_args={
                    "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                    "check_same_thread": False,
                },
            )
            event.listen(self._sync, "connect", _sqlite_pragmas)
            event.listen(self._sync, "before_cursor_execute", _refuse_unstorable_text)

    @property
    def dialect(self) -> str:
        return self._dialect

    async def read(self, step: Callable[[Connection], T]) -> T:
        """`step` in a transaction that is rolled back: reads only."""
        return await self._run(step, commit=False)

    async def write(self, step: Callable[[Connection], T]) -> T:
        """`step` in a transaction committed when it returns (rolled back if it raises)."""
        return await self._run(step, commit=True)

    async def _run(self, step: Callable[[Connection], T], *, commit: bool) -> T:
        if self._sync is None:
            engine = self._engine_ref()
            assert engine is not None, "the engine was disposed of"
            begin = engine.begin() if commit else engine.connect()
            async with begin as conn:
                return await conn.run_sync(step)
        sync = self._sync

        def in_thread() -> T:
            with sync.begin() if commit else sync.connect() as conn:
                return step(conn)

        return await asyncio.get_running_loop().run_in_executor(_sqlite_threads, in_thread)

    def dispose(self) -> None:
        if self._sync is not None:
            self._sync.dispose()


_steps: "weakref.WeakKeyDictionary[AsyncEngine, Steps]" = weakref.WeakKeyDictionary()


def steps_for(sessions: async_sessionmaker[AsyncSession]) -> Steps:
    """The Steps of a session factory's engine, made once per engine (stores share it)."""
    engine = sessions.kw["bind"]
    assert isinstance(engine, AsyncEngine), "a session factory bound to an AsyncEngine"
    steps = _steps.get(engine)
    if steps is None:
        steps = _steps[engine] = Steps(engine)
        event.listen(engine.sync_engine, "engine_disposed", lambda _e: steps.dispose())
    return steps


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def sync_url(url: str) -> str:
    """The same database through a synchronous driver, for Alembic."""
    return url.replace("sqlite+aiosqlite", "sqlite", 1)


async def must_get(db: AsyncSession, table: type[RowT], key: UUID, what: str) -> RowT:
    """The row with this key; raises NotFoundError naming `what` when there is none."""
    row = await db.get(table, key)
    if row is None:
        raise NotFoundError(what)
    return row
