"""Property tests (issue 14, items 9 and 10): any text at all (NUL bytes, lone surrogates,
control and zero-width characters, scripts of every kind) sent as a comment, a cohort name or
a move gets the same answer from a server on SQLite and one on PostgreSQL, and that answer is
a stored text or a 4xx with a code: never a 500, never a closed socket."""

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.client import Api, Socket

REFUSALS = {"invalid_text", "invalid_input", "empty_text", "text_too_long"}
# Any code point, surrogates included, plus the characters that broke things before.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None),
        st.sampled_from(["\x00", "\ud800", "\udfff", "\u200b", "\ufeff", "\u00ad", " "]),
    ),
    max_size=40,
)
PROPERTIES = settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@dataclass
class Pair:
    """The same user, turn and call on a SQLite server and on a PostgreSQL one."""

    admins: tuple[Api, Api]
    turns: tuple[str, str]
    trainees: tuple[Api, Api]
    calls: tuple[str, str]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, pg_server: str) -> Iterator[Pair]:
    base = tmp_path_factory.mktemp("properties")
    servers = (
        start_server(base, "sqlite", messages_per_10s="100000"),
        start_server(
            base, "postgres", database=fresh_pg_database(pg_server), messages_per_10s="100000"
        ),
    )
    admins = tuple(Api(s.url).login("admin") for s in servers)
    trainees = tuple(Api(s.url).login("trainee") for s in servers)
    calls = tuple(t.start_session()["id"] for t in trainees)
    turns = tuple(
        t.get(f"/api/sessions/{c}").json()["turns"][0]["id"]
        for t, c in zip(trainees, calls, strict=True)
    )
    yield Pair(
        (admins[0], admins[1]),
        (turns[0], turns[1]),
        (trainees[0], trainees[1]),
        (calls[0], calls[1]),
    )
    for api in (*admins, *trainees):
        api.close()
    for server in servers:
        server.stop()


def answer(status: int, body: dict[str, object]) -> tuple[int, object]:
    assert status < 500, body
    if status >= 400:
        assert body.get("code") in REFUSALS, body
        return status, body["code"]
    return status, None


def raw(api: Api, path: str, field: str, text: str) -> tuple[int, dict[str, object]]:
    """`text` as a JSON string, escapes and all (json.dumps writes a lone surrogate as one)."""
    body = json.dumps({field: text})
    headers = {"X-CSRF-Token": api.csrf, "Content-Type": "application/json"}
    response = api.http.post(path, content=body.encode(), headers=headers)
    return response.status_code, response.json()


@PROPERTIES
@given(text=TEXT)
def test_any_comment_gets_the_same_answer_on_both_databases(pair: Pair, text: str) -> None:
    answers = [
        answer(*raw(admin, f"/api/turns/{turn}/comments", "text", text))
        for admin, turn in zip(pair.admins, pair.turns, strict=True)
    ]
    assert answers[0] == answers[1], text


@PROPERTIES
@given(text=TEXT)
def test_any_cohort_name_gets_the_same_answer_on_both_databases(pair: Pair, text: str) -> None:
    answers = [answer(*raw(admin, "/api/cohorts", "name", text)) for admin in pair.admins]
    assert answers[0] == answers[1], text


async def one_move(trainee: Api, call: str, text: str) -> tuple[str, object]:
    socket: Socket = await trainee.socket(call)
    try:
        await socket.recv()
        await socket.send_raw(json.dumps({"type": "message", "text": text}))
        frame = await socket.until("turn", "error")
        if frame["type"] == "error":
            assert frame["code"] in REFUSALS, frame
            return "error", frame["code"]
        reply = await socket.reply()
        assert reply.done is not None, reply
        await socket.send({"type": "ping"})  # still open
        assert (await socket.until("pong"))["type"] == "pong"
        return "turn", frame["text"]
    finally:
        await socket.close()


@PROPERTIES
@given(text=TEXT)
def test_any_move_gets_the_same_answer_on_both_databases(pair: Pair, text: str) -> None:
    answers = [
        asyncio.run(one_move(trainee, call, text))
        for trainee, call in zip(pair.trainees, pair.calls, strict=True)
    ]
    assert answers[0] == answers[1], text
