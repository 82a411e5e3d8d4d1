"""Per-user limits and sockets that follow the account (issue 14, items 1, 7 and 11), through
live servers: the expensive routes are rate-limited per user across processes, heavy work
that would queue too long or run too long is refused with a code, a user's active calls and
open sockets are capped, and a socket closes once its sign-in ends (logout, deactivation),
also when that happens in another process."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import LiveServer, fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.client import Api, Socket

pytestmark = pytest.mark.anyio

TRANSCRIPT = "Seller: How many plants do you run?\nBuyer: Two.\n"


@pytest.fixture
def two_processes(pg_server: str, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    database = fresh_pg_database(pg_server)
    first = start_server(
        tmp_path, "first", database=database, classify_per_minute="2", analyses_per_minute="1"
    )
    second = start_server(
        tmp_path,
        "second",
        database=database,
        with_users=False,
        classify_per_minute="2",
        analyses_per_minute="1",
    )
    yield first, second
    first.stop()
    second.stop()


def same_user_on(api: Api, server: LiveServer) -> Api:
    other = Api(server.url)
    other.http.cookies.set("spin_session", api.http.cookies["spin_session"])
    other.csrf = api.csrf
    return other


def test_expensive_routes_are_rate_limited_per_user_across_processes(
    two_processes: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_processes
    trainer = Api(first.url).login("trainer")
    elsewhere = same_user_on(trainer, second)
    texts = {"texts": ["How many plants do you run?"]}
    assert trainer.post("/api/classify", texts).status_code == 200
    assert elsewhere.post("/api/classify", texts).status_code == 200
    limited = trainer.post("/api/classify", texts)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert elsewhere.post("/api/classify", texts).status_code == 429
    other = Api(first.url).login("trainee")  # another user has a count of their own
    assert other.post("/api/classify", texts).status_code == 200
    assert trainer.post("/api/analyses", {"text": TRANSCRIPT}).status_code == 200
    assert elsewhere.post("/api/analyses", {"text": TRANSCRIPT}).status_code == 429
    for api in (trainer, elsewhere, other):
        api.close()


def test_heavy_work_that_would_queue_is_refused_at_once(tmp_path: Path) -> None:
    live = start_server(tmp_path, "busy", worker_queue="0")
    try:
        trainer = Api(live.url).login("trainer")
        busy = trainer.post("/api/classify", {"texts": ["How many plants do you run?"]})
        assert busy.status_code == 503
        assert busy.json()["code"] == "server_busy"
        assert trainer.get("/api/scenarios").status_code == 200  # everything else goes on
        trainer.close()
    finally:
        live.stop()


def test_heavy_work_past_its_budget_is_stopped(tmp_path: Path) -> None:
    live = start_server(tmp_path, "slow", worker_timeout_s="0.000001")
    try:
        trainer = Api(live.url).login("trainer")
        for _ in range(2):  # the stopped worker is replaced: the next job gets the same answer
            stopped = trainer.post("/api/analyses", {"text": TRANSCRIPT})
            assert stopped.status_code == 422
            assert stopped.json()["code"] == "too_complex"
        assert trainer.get("/api/scenarios").status_code == 200
        trainer.close()
    finally:
        live.stop()


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(tmp_path, "capped", max_active_calls="2", max_sockets_per_user="2")
    yield live
    live.stop()


def test_active_calls_are_capped_per_user(capped: LiveServer) -> None:
    trainee, other = Api(capped.url).login("trainee"), Api(capped.url).login("trainee2")
    first = trainee.start_session()
    trainee.start_session()
    body = {"scenario_id": "plant-operators", "style": "driver", "language": "en"}
    refused = trainee.post("/api/sessions", body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "too_many_active_calls"
    drill = {"scenario_id": "plant-operators", "kind": "implication"}
    assert trainee.post("/api/drills", drill).status_code == 409
    assert other.post("/api/sessions", body).status_code == 201
    assert trainee.post(f"/api/sessions/{first['id']}/end").status_code == 200
    assert trainee.post("/api/sessions", body).status_code == 201  # one ended: room again
    trainee.close()
    other.close()


async def closed_code(socket: Socket) -> int | None:
    """Reads what is left until the server closes the socket; its close code (None: the
    socket stayed open while the server had nothing more to send)."""
    for _ in range(1000):
        try:
            await socket.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


async def test_open_sockets_are_capped_per_user(capped: LiveServer) -> None:
    trainee, other = Api(capped.url).login("trainee"), Api(capped.url).login("trainee2")
    session = trainee.start_session()
    sockets = [await trainee.socket(session["id"]) for _ in range(2)]
    for socket in sockets:
        assert (await socket.recv())["type"] == "session"
    extra = await trainee.socket(session["id"])
    assert await closed_code(extra) == 4008
    theirs = await other.socket(other.start_session()["id"])
    assert (await theirs.recv())["type"] == "session"
    await sockets[0].close()
    again = await trainee.socket(session["id"])
    hello = await again.recv()  # a slot was freed when a socket closed
    assert hello["type"] == "session"
    for socket in (sockets[1], again, theirs):
        await socket.close()
    trainee.close()
    other.close()


async def test_a_socket_closes_after_logout(scripted_server: LiveServer) -> None:
    trainee = Api(scripted_server.url).login("trainee")
    socket = await trainee.socket(trainee.start_session()["id"])
    await socket.recv()
    assert trainee.post("/api/auth/logout").status_code == 204
    await socket.send({"type": "message", "text": "How many plants do you run?"})
    assert await closed_code(socket) == 1008
    trainee.close()


def deactivate(database_url: str, username: str) -> None:
    """What an admin's deactivation does, written behind the servers' backs."""
    statement = "UPDATE user_account SET is_active = false WHERE username = 'trainee2'"
    assert username == "trainee2"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split(":///", 1)[1]) as connection:
            connection.execute(statement.replace("false", "0"))
        return
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(statement)


async def test_sockets_in_every_process_follow_logout_and_deactivation(
    pg_server: str, tmp_path: Path
) -> None:
    database = fresh_pg_database(pg_server)
    first = start_server(tmp_path, "first", database=database)
    second = start_server(tmp_path, "second", database=database, with_users=False)
    try:
        trainee = Api(first.url).login("trainee")
        socket = await same_user_on(trainee, second).socket(trainee.start_session()["id"])
        await socket.recv()
        assert trainee.post("/api/auth/logout").status_code == 204  # on the first process
        await socket.send({"type": "ping"})
        assert await closed_code(socket) == 1008  # on the second
        other = Api(first.url).login("trainee2")
        theirs = await same_user_on(other, second).socket(other.start_session()["id"])
        await theirs.recv()
        deactivate(database, "trainee2")
        await theirs.send({"type": "end"})
        assert await closed_code(theirs) == 1008
        stored = Api(first.url).login("admin").get("/api/sessions?limit=1000").json()
        assert all(s["status"] == "active" for s in stored)  # the `end` was not obeyed
        trainee.close()
        other.close()
    finally:
        first.stop()
        second.stop()
