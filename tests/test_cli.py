"""The spin-practice console script, run as a real process."""

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from app.settings import Settings
from tests.conftest import LiveServer
from tests.fake_llm.server import free_port
from tests.support.accounts import create_user
from tests.support.client import Api
from tests.support.paths import ROOT


def run(
    *args: str, stdin: str = "", env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "db", "users", "classify", "eval", "simulate"):
        assert command in result.stdout


def test_usage_error_exits_2() -> None:
    assert run("users", "create", "x", "--role", "boss").returncode == 2
    assert run("no-such-command").returncode == 2


def test_users_create_reads_password_from_stdin(tmp_path: Path) -> None:
    env = {"SPIN_DATA_DIR": str(tmp_path), "SPIN_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    created = run(
        "users",
        "create",
        "alice",
        "--role",
        "trainer",
        "--password-stdin",
        stdin="a long enough password\n",
        env_extra=env,
    )
    assert created.returncode == 0, created.stderr
    assert "created trainer alice" in created.stdout
    again = run(
        "users",
        "create",
        "alice",
        "--role",
        "trainer",
        "--password-stdin",
        stdin="a long enough password\n",
        env_extra=env,
    )
    assert again.returncode == 1
    assert "taken" in again.stderr


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    env = {"SPIN_DATA_DIR": str(tmp_path), "SPIN_DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}
    assert run("db", "upgrade", env_extra=env).returncode == 0
    assert (tmp_path / "u.db").exists()


def test_classify_writes_one_json_line_per_move_in_order() -> None:
    moves = (
        'How many plants do you run?\n\n{"text": "贵公司有几个工厂？"}\nOur system never fails.\n'
    )
    result = run("classify", stdin=moves)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert [line["label"] for line in lines[:2]] == ["situation", "situation"]
    assert lines[2]["label"] == "other"
    assert all({"label", "kind", "open", "confidence"} <= set(line) for line in lines)


def test_eval_prints_macro_f1_last(tmp_path: Path) -> None:
    data = tmp_path / "mini.jsonl"
    rows = [
        {"text": "How many sites do you have?", "label": "situation", "lang": "en"},
        {"text": "What frustrates you most about the current scheduling?", "label": "problem"},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run("eval", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("macro_f1=")


def start_serve(tmp_path: Path) -> LiveServer:
    """`spin-practice serve` itself (not uvicorn started by hand), with one trainee."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    settings = Settings(data_dir=tmp_path / "data", database_url=database, secret_key="cli-test")
    create_user(settings, "trainee")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_")}
    env.update(
        {
            "SPIN_DATA_DIR": str(tmp_path / "data"),
            "SPIN_DATABASE_URL": database,
            "SPIN_SECRET_KEY": "cli-test",
            "SPIN_LOG_LEVEL": "WARNING",
        }
    )
    server = LiveServer(env=env, port=free_port(), log=tmp_path / "serve.log")
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
    with server.log.open("ab") as log:
        server.process = subprocess.Popen(
            [*command, "--port", str(server.port)], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        server.wait_ready()
    except RuntimeError:
        server.kill()
        raise
    return server


@pytest.mark.anyio
async def test_serve_refuses_a_huge_websocket_frame_as_it_arrives(tmp_path: Path) -> None:
    """Issue 14: `spin-practice serve` sets uvicorn's ws_max_size, so a 15 MB frame is refused
    from its header (close 1009) instead of being buffered whole first."""
    server = start_serve(tmp_path)
    try:
        api = Api(server.url).login("trainee")
        socket = await api.socket(api.start_session()["id"])
        await socket.recv()
        with contextlib.suppress(ConnectionClosed):  # the server may close while it is sent
            await socket.send_raw('{"type": "message", "text": "' + "z" * 15_000_000 + '"}')
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
        api.close()
    finally:
        server.stop()
