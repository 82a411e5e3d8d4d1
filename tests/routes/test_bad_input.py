"""Hostile input gets a 4xx with a code, never a 500 or a 1011, and the same answer on SQLite
and on PostgreSQL (issue 14, items 9, 10 and 11): lone surrogates and NUL bytes in any text,
non-ASCII CSRF tokens, deeply nested YAML and JSON, oversized CSV fields, ids over the column
length, and moves of only invisible characters. A refused move is never half stored."""

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import LiveServer, fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.client import Api

pytestmark = pytest.mark.anyio

SURROGATE = "\\ud800"  # as a JSON escape: json.loads turns it into a lone surrogate
NUL = "\\u0000"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    base = tmp_path_factory.mktemp(f"bad-{request.param}")
    database = None
    if request.param == "postgres":
        database = fresh_pg_database(request.getfixturevalue("pg_server"))
    live = start_server(base, "bad", database=database)
    yield live
    live.stop()


@pytest.fixture
def trainer(server: LiveServer) -> Iterator[Api]:
    client = Api(server.url).login("trainer")
    yield client
    client.close()


@pytest.fixture
def trainee(server: LiveServer) -> Iterator[Api]:
    client = Api(server.url).login("trainee")
    yield client
    client.close()


def raw_post(api: Api, path: str, body: str) -> httpx.Response:
    """A JSON body written by hand, so it can carry escapes json.dumps would never write."""
    headers = {"X-CSRF-Token": api.csrf, "Content-Type": "application/json"}
    return api.http.post(path, content=body.encode(), headers=headers)


def assert_refused(response: httpx.Response, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("code"), str)
    return body


@pytest.mark.parametrize(
    "body",
    [
        '{"username": "' + SURROGATE + '", "password": "x"}',
        '{"username": "' + SURROGATE + '"}',  # a 422 that echoes its input
        '{"username": "a' + NUL + '", "password": "x"}',
    ],
)
def test_login_with_unstorable_text_is_refused(server: LiveServer, body: str) -> None:
    with httpx.Client(base_url=server.url) as http:
        response = http.post(
            "/api/auth/login", content=body, headers={"Content-Type": "application/json"}
        )
    assert_refused(response)


# (path, JSON body with {bad} where the hostile text goes); each is a trainer's request.
TEXT_FIELDS = [
    ("/api/cohorts", '{"name": "c{bad}"}'),
    ("/api/sessions", '{"scenario_id": "plant{bad}", "style": "driver", "language": "en"}'),
    (
        "/api/sessions",
        '{"scenario_id": "plant-operators", "style": "driver", "language": "en",'
        ' "plan": ["How many{bad}?"]}',
    ),
    ("/api/classify", '{"texts": ["How many plants{bad}?"]}'),
    ("/api/scenarios", '{"yaml": "id: x{bad}"}'),
    ("/api/analyses", '{"text": "Seller: hi{bad}\\nBuyer: yes"}'),
    ("/api/analyses", '{"text": "Seller: hi\\nBuyer: yes", "seller": "S{bad}"}'),
    (
        "/api/drills",
        '{"scenario_id": "plant-operators", "kind": "implication", "problem_id": "p{bad}"}',
    ),
    ("/api/users", '{"username": "newbie", "password": "long enough{bad}", "role": "trainee"}'),
]


@pytest.mark.parametrize("bad", [SURROGATE, NUL], ids=["surrogate", "nul"])
@pytest.mark.parametrize(("path", "template"), TEXT_FIELDS)
def test_unstorable_text_in_any_json_field_is_refused(
    server: LiveServer, path: str, template: str, bad: str
) -> None:
    admin = Api(server.url).login("admin")
    response = raw_post(admin, path, template.replace("{bad}", bad))
    body = assert_refused(response)
    assert body["code"] == "invalid_text"
    admin.close()


async def test_unstorable_text_in_a_comment_is_refused(server: LiveServer) -> None:
    trainee = Api(server.url).login("trainee")
    session = trainee.start_session()
    turn_id = trainee.get(f"/api/sessions/{session['id']}").json()["turns"][0]["id"]
    admin = Api(server.url).login("admin")
    for bad in (NUL, SURROGATE):
        response = raw_post(admin, f"/api/turns/{turn_id}/comments", '{"text": "ok' + bad + '"}')
        assert assert_refused(response)["code"] == "invalid_text"
    assert admin.get(f"/api/sessions/{session['id']}/audit").json()["comments"] == []
    trainee.close()
    admin.close()


def test_nul_in_a_query_filter_is_refused(trainer: Api) -> None:
    response = trainer.get("/api/sessions?scenario=plant%00")
    assert assert_refused(response)["code"] == "invalid_text"


def test_scenario_id_over_the_column_length_is_refused(trainer: Api) -> None:
    scenario = trainer.get("/api/scenarios/plant-operators/source").json()["yaml"]
    long_id = "x" * 65
    text = scenario.replace("id: plant-operators", f"id: {long_id}", 1)
    response = trainer.post("/api/scenarios", {"yaml": text})
    body = assert_refused(response)
    assert body["code"] == "scenario_invalid"
    assert any(p.startswith("id:") for p in body["problems"])


def test_non_ascii_csrf_header_is_refused(trainer: Api) -> None:
    response = trainer.http.post(
        "/api/cohorts",
        content=b'{"name": "x"}',
        headers={b"X-CSRF-Token": b"\xc3\xa9t\xc3\xa9", b"Content-Type": b"application/json"},
    )
    assert assert_refused(response, 403)["code"] == "csrf_failed"


def test_non_ascii_csrf_form_value_is_refused(trainer: Api) -> None:
    response = trainer.http.post(
        "/lang",
        data={"language": "en", "csrf_token": "été"},
        headers={"Accept": "application/json"},
    )
    assert assert_refused(response, 403)["code"] == "csrf_failed"


def test_yaml_nested_a_thousand_deep_is_refused(trainer: Api) -> None:
    response = trainer.post("/api/scenarios", {"yaml": "id: " + "[" * 1000 + "]" * 1000})
    body = assert_refused(response)
    assert body["code"] == "scenario_invalid"
    assert "deep" in " ".join(body["problems"])


def test_csv_field_over_the_csv_module_limit_is_refused(trainer: Api) -> None:
    text = 'speaker,text\nSeller,"' + "x" * 140_000 + '"\n'
    response = trainer.post("/api/analyses", {"text": text, "format": "csv"})
    assert assert_refused(response)["code"] == "invalid_input"


async def test_deeply_nested_json_frame_gets_an_error_and_the_socket_stays_open(
    trainee: Api,
) -> None:
    session = trainee.start_session()
    socket = await trainee.socket(session["id"])
    await socket.recv()
    await socket.send_raw("[" * 30_000 + "]" * 30_000)
    error = await socket.recv()
    assert error["type"] == "error"
    assert error["code"] == "bad_json"
    await socket.send({"type": "ping"})
    assert (await socket.recv())["type"] == "pong"
    await socket.close()


@pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["nul", "surrogate"])
async def test_unstorable_move_is_refused_and_nothing_is_stored(trainee: Api, bad: str) -> None:
    session = trainee.start_session()
    socket = await trainee.socket(session["id"])
    await socket.recv()
    frame = json.dumps({"type": "message", "text": f"How many{bad} plants?", "client_id": "m1"})
    await socket.send_raw(frame)
    error = await socket.recv()
    assert error["type"] == "error"
    assert error["code"] == "invalid_text"
    turn, reply = await socket.say("How many plants do you run?", client_id="m2")
    assert turn["type"] == "turn"
    assert reply.done is not None
    await socket.close()
    turns = trainee.get(f"/api/sessions/{session['id']}").json()["turns"]
    assert [t["role"] for t in turns] == ["buyer", "trainee", "buyer"]


@pytest.mark.parametrize("text", ["\u200b\u200b", "\u200d \ufeff\u2060", "\u00ad\u3000"])
async def test_move_of_only_invisible_characters_counts_as_empty(trainee: Api, text: str) -> None:
    session = trainee.start_session()
    socket = await trainee.socket(session["id"])
    await socket.recv()
    turn, _ = await socket.say(text)
    assert turn["type"] == "error"
    assert turn["code"] == "empty_text"
    await socket.close()
    assert len(trainee.get(f"/api/sessions/{session['id']}").json()["turns"]) == 1


def break_comments_table(database_url: str) -> None:
    """A real fault behind the server's back: the comments table disappears."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split(":///", 1)[1]) as connection:
            connection.execute("DROP TABLE turn_comment")
        return
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("DROP TABLE turn_comment")


def test_server_error_carries_the_security_headers(tmp_path: Path, pg_server: str) -> None:
    for database in (f"sqlite+aiosqlite:///{tmp_path / 'broken.db'}", fresh_pg_database(pg_server)):
        base = tmp_path / uuid.uuid4().hex
        base.mkdir()
        live = start_server(base, "broken", database=database)
        try:
            trainee = Api(live.url).login("trainee")
            session = trainee.start_session()
            break_comments_table(database)
            response = trainee.get(f"/api/sessions/{session['id']}/audit")
            assert response.status_code == 500
            assert response.json()["code"] == "internal_error"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "default-src 'self'" in response.headers["content-security-policy"]
            trainee.close()
        finally:
            live.stop()
