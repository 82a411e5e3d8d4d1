"""One call, one writer (issue 14, items 6 and 8), through live servers on SQLite and on
PostgreSQL, and two server processes on one PostgreSQL: moves sent on one call at the same
instant from several sockets never interleave, a refused one gets `reply_pending`, every
`buyer_done` carries the buyer's own line, the per-call move limit holds, no reply task dies;
and a call the buyer ends is ended with its last reply, whatever the socket does next."""

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer, fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.client import Api, Reply, Socket

pytestmark = pytest.mark.anyio

QUESTIONS = [
    "How many operators run the lines on each shift?",
    "How many plants do you run today?",
    "Which machines are in your fleet?",
    "What controllers do your machines use?",
    "How many shifts do you run a day?",
    "How many new operators did you hire this year?",
]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    base = tmp_path_factory.mktemp(f"writer-{request.param}")
    database = None
    if request.param == "postgres":
        database = fresh_pg_database(request.getfixturevalue("pg_server"))
    live = start_server(base, "writer", database=database)
    yield live
    live.stop()


@pytest.fixture
def trainee(server: LiveServer) -> Iterator[Api]:
    api = Api(server.url).login("trainee")
    yield api
    api.close()


async def open_sockets(apis: list[Api], session_id: str) -> list[Socket]:
    sockets = [await api.socket(session_id) for api in apis]
    for socket in sockets:
        assert (await socket.recv())["type"] == "session"
    return sockets


def check_alternation(turns: list[dict[str, Any]]) -> None:
    """Buyer, trainee, buyer, trainee...: no move was stored while another awaited its reply."""
    roles = [t["role"] for t in turns]
    assert roles == ["buyer", "trainee"] * (len(roles) // 2) + ["buyer"] * (len(roles) % 2)
    assert roles[-1] == "buyer"  # no reply left pending


async def race(sockets: list[Socket], round_: int) -> list[tuple[dict[str, Any], Reply]]:
    """Every socket sends its move at the same instant."""
    return list(
        await asyncio.gather(
            *(
                socket.say(QUESTIONS[(round_ + n) % len(QUESTIONS)], client_id=f"r{round_}s{n}")
                for n, socket in enumerate(sockets)
            )
        )
    )


async def play_races(apis: list[Api], owner: Api, rounds: int) -> list[dict[str, Any]]:
    session = owner.start_session(style="analytical")
    sockets = await open_sockets(apis, session["id"])
    for round_ in range(rounds):
        for turn, reply in await race(sockets, round_):
            if turn["type"] == "error":
                assert turn["code"] in ("reply_pending", "too_fast"), turn
                continue
            assert reply.done is not None, reply
            assert reply.done["text"] != turn["text"]  # the buyer's line, not the move
    for socket in sockets:  # every socket (and its reply task) is alive
        await socket.send({"type": "ping"})
        assert (await socket.until("pong"))["type"] == "pong"
        await socket.close()
    turns: list[dict[str, Any]] = owner.get(f"/api/sessions/{session['id']}").json()["turns"]
    check_alternation(turns)
    by_id = {t["id"]: t for t in turns}
    assert all(by_id[t["id"]]["role"] == t["role"] for t in turns)
    return turns


async def test_two_tabs_sending_at_once_never_interleave(trainee: Api) -> None:
    turns = await play_races([trainee, trainee], trainee, rounds=4)
    assert sum(1 for t in turns if t["role"] == "trainee") >= 4  # each round stored one


async def test_many_sockets_keep_the_move_limit_and_one_writer(trainee: Api) -> None:
    turns = await play_races([trainee] * 6, trainee, rounds=3)
    assert sum(1 for t in turns if t["role"] == "trainee") <= 10  # messages_per_10s


@pytest.fixture
def two_processes(pg_server: str, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    database = fresh_pg_database(pg_server)
    first = start_server(tmp_path, "first", database=database)
    second = start_server(tmp_path, "second", database=database, with_users=False)
    yield first, second
    first.stop()
    second.stop()


async def test_two_processes_on_one_postgres_keep_one_writer(
    two_processes: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_processes
    on_first = Api(first.url).login("trainee")
    on_second = Api(second.url)
    on_second.http.cookies.set("spin_session", on_first.http.cookies["spin_session"])
    on_second.csrf = on_first.csrf
    await play_races([on_first, on_second], on_first, rounds=4)
    on_first.close()
    on_second.close()


@pytest.fixture
def patient_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Room for the driver's whole streak of situation questions (no move limit in the way)."""
    live = start_server(tmp_path, "patient", messages_per_10s="100")
    yield live
    live.stop()


async def test_a_call_the_buyer_ends_is_ended_even_if_the_socket_closes_at_once(
    patient_server: LiveServer,
) -> None:
    trainee = Api(patient_server.url).login("trainee")
    session = trainee.start_session(style="driver")
    socket = await trainee.socket(session["id"])
    await socket.recv()
    done: dict[str, Any] | None = None
    for question in QUESTIONS * 2:  # a driver ends the call after a streak of these
        turn, reply = await socket.say(question)
        assert turn["type"] == "turn", turn
        assert reply.done is not None
        if reply.done["ends_call"]:
            done = reply.done
            break
    assert done is not None, "the driver never ended the call"
    await socket.close()  # at once: before the scorecard frame is even read
    stored = trainee.get(f"/api/sessions/{session['id']}").json()
    assert stored["status"] == "ended"
    assert stored["scorecard"] is not None
    assert stored["turns"][-1]["id"] == done["turn_id"]
    again = await trainee.socket(session["id"])
    hello = await again.recv()
    assert hello["session"]["status"] == "ended"
    assert hello["pending"] is False
    turn, _ = await again.say("One more question?")
    assert turn["type"] == "error"
    assert turn["code"] == "session_ended"
    await again.close()
    trainee.close()


async def test_buyer_done_says_when_the_call_goes_on(trainee: Api) -> None:
    session = trainee.start_session()
    socket = await trainee.socket(session["id"])
    await socket.recv()
    _, reply = await socket.say(QUESTIONS[0])
    assert reply.done is not None
    assert reply.done["ends_call"] is False
    await socket.close()


async def test_a_closed_socket_mid_call_leaves_no_writer_behind(trainee: Api) -> None:
    """The lease is released when its socket goes: the next socket may move at once."""
    session = trainee.start_session()
    socket = await trainee.socket(session["id"])
    await socket.recv()
    await socket.send({"type": "message", "text": QUESTIONS[0], "client_id": "cut"})
    await socket.until("turn")
    await socket.close()  # mid-reply
    again = await trainee.socket(session["id"])
    hello = await again.recv()
    if hello["pending"]:  # the cut reply is regenerated first
        reply = await again.reply()
        assert reply.done is not None
    turn, reply = await again.say(QUESTIONS[1])
    assert turn["type"] == "turn", (hello["pending"], turn)
    assert reply.done is not None
    await again.close()
