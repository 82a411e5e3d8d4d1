"""Live servers for the websocket and API tests: real uvicorn processes on a SQLite file,
one with the scripted buyer and one with the LLM buyer on the fake OpenAI server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.accounts.access import UserRole
from app.settings import Settings
from tests.conftest import LiveServer
from tests.fake_llm.server import FakeLlm, free_port
from tests.support.accounts import create_user

# Shared servers run many tests as the same few users within a minute: the per-user limits
# (issue 14) are set out of the way here and tested on servers of their own.
GENEROUS_LIMITS = {
    "max_active_calls": "1000",
    "max_sockets_per_user": "100",
    "classify_per_minute": "1000",
    "analyses_per_minute": "1000",
    "scenario_saves_per_minute": "1000",
}

USERS = [
    ("admin", UserRole.ADMIN),
    ("trainer", UserRole.TRAINER),
    ("trainee", UserRole.TRAINEE),
    ("trainee2", UserRole.TRAINEE),
]


def start_server(
    base: Path, name: str, *, database: str | None = None, with_users: bool = True, **extra: str
) -> LiveServer:
    database = database or f"sqlite+aiosqlite:///{base / (name + '.db')}"
    settings = Settings(
        data_dir=base / "data", database_url=database, secret_key="live-test-secret"
    )
    if with_users:
        for username, role in USERS:
            create_user(settings, username, role)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_") and k != "DATABASE_URL"}
    env.update(
        {
            "SPIN_DATA_DIR": str(base / "data"),
            "SPIN_DATABASE_URL": database,
            "SPIN_SECRET_KEY": "live-test-secret",
            "SPIN_LOG_LEVEL": "WARNING",
        }
    )
    env.update({f"SPIN_{k.upper()}": v for k, v in {**GENEROUS_LIMITS, **extra}.items()})
    return LiveServer(env=env, port=free_port(), log=base / f"{name}.log").start()


@pytest.fixture(scope="module")
def scripted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("scripted"), "scripted")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llm_server(
    tmp_path_factory: pytest.TempPathFactory, fake_llm_server: FakeLlm
) -> Iterator[LiveServer]:
    server = start_server(
        tmp_path_factory.mktemp("llm"),
        "llm",
        voice="llm",
        llm_base_url=fake_llm_server.url,
        llm_api_key="test",
        llm_model="fake-model",
        llm_timeout_s="2",
        llm_max_retries="0",
    )
    yield server
    server.stop()
