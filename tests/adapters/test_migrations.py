"""Migrations bring an empty database to head, and the models do not drift from them."""

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
