"""Migrations bring an empty database to head, and the models do not drift from them."""

import uuid
from pathlib import Path

from app.adapters.migrate import drift, upgrade


def test_migrations_upgrade_empty_database_without_drift(database_url: str) -> None:
    upgrade(database_url)
    assert drift(database_url) == []


def test_migrations_upgrade_twice_is_harmless(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    assert drift(database_url) == []


def test_drift_is_detected_on_an_unmigrated_database(sqlite_url: str) -> None:
    Path(sqlite_url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    assert drift(sqlite_url), "an empty database must differ from the models"


def test_existing_usernames_get_canonical_keys_and_clashes_stay_apart(
    database_url: str,
) -> None:
    """Before revision 0004 "Ana" and "ana" could both exist; after it each has a key (the
    later one suffixed) and the unique index holds."""
    from alembic import command
    from sqlalchemy import create_engine, pool, text

    from app.adapters.db import sync_url
    from app.adapters.migrate import alembic_config

    command.upgrade(alembic_config(database_url), "0001")
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    insert = text(
        "INSERT INTO user_account (id, username, password_hash, role, is_active, created_at) "
        "VALUES (:id, :name, 'h', 'trainee', true, :at)"
    )
    with engine.begin() as connection:
        for i, name in enumerate(["Ana", "ana", "Bob"]):
            at = f"2026-01-0{i + 1} 00:00:00"
            connection.execute(insert, {"id": uuid.uuid4().hex, "name": name, "at": at})
    upgrade(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT username, username_key FROM user_account ORDER BY created_at")
        ).all()
    engine.dispose()
    assert rows[0] == ("Ana", "ana")
    assert rows[1][0] == "ana"
    assert rows[1][1].startswith("ana#")
    assert rows[2] == ("Bob", "bob")
    assert drift(database_url) == []
