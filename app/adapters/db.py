"""The async engine and session factory, from a database URL. SQLite is set up to behave like
the production database: WAL, foreign keys and a busy timeout on every connection."""

from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.errors import InvalidTextError, NotFoundError
from app.domain.text import unstorable_char

SQLITE_BUSY_TIMEOUT_MS = 10_000
RowT = TypeVar("RowT", bound=SQLModel)


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
