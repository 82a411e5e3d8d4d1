"""Shared fixtures: settings, real databases (a SQLite file, a PostgreSQL server started by the
test run), the fake LLM server and live uvicorn servers."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from app.settings import Settings
from tests.fake_llm.server import FakeLlm, free_port, serve_fake_llm
from tests.support.paths import ROOT
from tests.support.postgres import temp_postgres

WS_MAX_MESSAGE_BYTES = Settings.model_fields["ws_max_message_bytes"].default


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with temp_postgres() as url:
        yield url


def fresh_pg_database(server_url: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every store test runs on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'spin.db'}"
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'spin.db'}"


@pytest.fixture(scope="session")
def fake_llm_server() -> Iterator[FakeLlm]:
    with serve_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake_llm(fake_llm_server: FakeLlm) -> FakeLlm:
    fake_llm_server.reset()
    return fake_llm_server


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=sqlite_url,
        secret_key="test-secret-key-not-for-production",
        log_level="WARNING",
    )


class LiveServer:
    """A real uvicorn process serving create_app() with the given environment."""

    def __init__(self, *, env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"
        self.log = log
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "LiveServer":
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws",
            "websockets-sansio",
            "--ws-max-size",  # as `spin-practice serve` sets it (app/cli.py)
            self.env.get("SPIN_WS_MAX_MESSAGE_BYTES", str(WS_MAX_MESSAGE_BYTES)),
            "--log-level",
            "warning",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self.wait_ready()
        except BaseException:
            self.kill()  # a server that never became ready must not outlive the test
            raise
        return self

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)  # polling readiness with a deadline
        raise RuntimeError(f"server not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


LiveServerFactory = Callable[..., LiveServer]


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[LiveServerFactory]:
    servers: list[LiveServer] = []

    def make(*, database_url: str | None = None, **extra: str) -> LiveServer:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("SPIN_") and key != "DATABASE_URL"
        }
        env.update(
            {
                "SPIN_DATA_DIR": str(tmp_path / "data"),
                "SPIN_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path / 'live.db'}",
                "SPIN_SECRET_KEY": "live-test-secret",
                "SPIN_LOG_LEVEL": "WARNING",
            }
        )
        env.update({f"SPIN_{k.upper()}": v for k, v in extra.items()})
        server = LiveServer(env=env, port=free_port(), log=tmp_path / f"server{len(servers)}.log")
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running on the main
    thread for the rest of the session, which async tests and asyncio.run cannot share."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
