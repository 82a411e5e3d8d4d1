"""Fixtures for the real-model tests (`make test-llm`): the local model, a recording proxy in
front of it, and the app served by uvicorn with the LLM voice and the LLM judge pointed at the
proxy. `llm_app_factory` takes extra settings, so a test of another LLM part (the reading of
issue 11, say `reader="llm"`) starts its own app the same way."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import LiveServer
from tests.fake_llm.server import free_port
from tests.llm.local_model import MODEL_ALIAS, LocalModel
from tests.llm.recording_proxy import RecordingProxy, serve_proxy
from tests.routes.conftest import USERS
from tests.support.accounts import create_user

LlmAppFactory = Callable[..., LiveServer]
SECRET = "llm-test-secret"
MODEL_TIMEOUT_S = "240"  # one completion on a busy 2-core machine; no retries: the guard decides


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalModel]:
    with LocalModel(tmp_path_factory.mktemp("model") / "llama.log") as model:
        yield model


@pytest.fixture(scope="session")
def recorder(local_model: LocalModel) -> Iterator[RecordingProxy]:
    with serve_proxy(local_model.url) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def llm_app_factory(
    tmp_path_factory: pytest.TempPathFactory, recorder: RecordingProxy
) -> Iterator[LlmAppFactory]:
    servers: list[LiveServer] = []

    def make(**extra: str) -> LiveServer:
        base: Path = tmp_path_factory.mktemp("llm-app")
        settings = {
            "voice": "llm",
            "judge": "llm",
            "llm_base_url": recorder.url,
            "llm_api_key": "local",
            "llm_model": MODEL_ALIAS,
            "llm_timeout_s": MODEL_TIMEOUT_S,
            "llm_max_retries": "0",
            **extra,
        }
        server = _start(base, settings)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def _start(base: Path, settings: dict[str, str]) -> LiveServer:
    """The app on a fresh SQLite file with the usual users, as tests/routes/ starts it."""
    database = f"sqlite+aiosqlite:///{base / 'llm-app.db'}"
    accounts = Settings(data_dir=base / "data", database_url=database, secret_key=SECRET)
    for username, role in USERS:
        create_user(accounts, username, role)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_") and k != "DATABASE_URL"}
    env.update(
        {
            "SPIN_DATA_DIR": str(base / "data"),
            "SPIN_DATABASE_URL": database,
            "SPIN_SECRET_KEY": SECRET,
            "SPIN_LOG_LEVEL": "WARNING",
        }
    )
    env.update({f"SPIN_{key.upper()}": value for key, value in settings.items()})
    return LiveServer(env=env, port=free_port(), log=base / "llm-app.log").start()
