"""Alembic environment: the URL comes from the caller (`app.adapters.migrate`), never a file."""

from alembic import context
from sqlalchemy import create_engine, pool, text
from sqlmodel import SQLModel

import app.adapters.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

# Serialises concurrent upgrades when several processes start on one PostgreSQL (DESIGN.md §8).
PG_MIGRATION_LOCK = 727_341


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        is_postgres = connection.dialect.name == "postgresql"
        if is_postgres:
            connection.execute(text(f"SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=True,  # SQLite cannot ALTER most things
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if is_postgres:
                connection.execute(text(f"SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))
                connection.commit()
    engine.dispose()


run_migrations_online()
