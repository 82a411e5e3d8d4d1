"""The spin-practice console script, run as a real process."""

import contextlib
import json
import os
import re
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
    for command in ("serve", "db", "users", "cohorts", "invites", "demo", "classify", "simulate"):
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


def test_classify_reads_the_buyers_turn_as_context() -> None:
    move = "And what does that do to the delivery dates?"
    admitted = {"text": move, "context": "Honestly the presses break down every week."}
    result = run("classify", stdin=json.dumps(admitted) + "\n" + move + "\n")
    assert result.returncode == 0, result.stderr
    with_context, alone = (json.loads(line) for line in result.stdout.splitlines())
    assert with_context["label"] == "implication"
    assert with_context["scores"]["implication"] > alone["scores"]["implication"]


def test_eval_prints_one_line_per_source_when_the_file_has_sources(tmp_path: Path) -> None:
    data = tmp_path / "calls.jsonl"
    rows = [
        {"text": "How many sites?", "label": "situation", "source": "dialogue:a"},
        {
            "text": "What does that cost you?",
            "label": "implication",
            "context": "It breaks twice a week.",
            "source": "dialogue:b",
        },
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run("eval", str(data))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("dialogue:a ") for line in lines)
    assert any(line.startswith("dialogue:b ") for line in lines)
    assert "1 with the buyer's previous turn as context" in lines[0]
    assert lines[-1].startswith("macro_f1=")


def test_cohorts_and_invites_from_the_console(tmp_path: Path) -> None:
    env = {"SPIN_DATA_DIR": str(tmp_path), "SPIN_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"}
    made = run(
        "users",
        "create",
        "coach",
        "--role",
        "trainer",
        "--password-stdin",
        stdin="a long enough password\n",
        env_extra=env,
    )
    assert made.returncode == 0, made.stderr
    created = run("cohorts", "create", "Spring 2027", "--trainer", "coach", env_extra=env)
    assert created.returncode == 0, created.stderr
    assert "created cohort Spring 2027" in created.stdout
    listed = run("cohorts", "list", env_extra=env)
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert rows[0] == ["id", "name", "trainer", "members"]
    assert rows[1][1:] == ["Spring 2027", "coach", "0"]
    invite = run("invites", "create", "Spring 2027", "--uses", "3", "--days", "7", env_extra=env)
    assert invite.returncode == 0, invite.stderr
    assert re.match(
        r"^http://127\.0\.0\.1:8000/register\?code=\w{12}$", invite.stdout.splitlines()[0]
    )
    assert "3 uses" in invite.stdout
    by_id = run("invites", "create", rows[1][0], env_extra=env)
    assert by_id.returncode == 0, by_id.stderr
    unknown = run("invites", "create", "No such cohort", env_extra=env)
    assert unknown.returncode == 1
    assert "0 cohorts match" in unknown.stderr
    nobody = run("cohorts", "create", "X", "--trainer", "ghost", env_extra=env)
    assert nobody.returncode == 1


def test_demo_seeds_a_trainer_cohort_invite_and_trainee_with_a_warning(tmp_path: Path) -> None:
    env = {
        "SPIN_DATA_DIR": str(tmp_path),
        "SPIN_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
        "SPIN_PUBLIC_ORIGIN": "https://spin.example.test",
    }
    seeded = run("demo", env_extra=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "FOR TRIALS ONLY" in seeded.stderr
    out = seeded.stdout
    assert re.search(r"trainer  demo-trainer / demo-\S+", out)
    assert re.search(r"trainee  demo-trainee / demo-\S+", out)
    assert "https://spin.example.test/register?code=" in out
    listed = run("cohorts", "list", env_extra=env)
    assert "Demo cohort\tdemo-trainer\t1" in listed.stdout  # the trainee joined it
    again = run("demo", env_extra=env)
    assert again.returncode == 1
    assert "taken" in again.stderr


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
