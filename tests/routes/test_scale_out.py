"""Two server processes on one PostgreSQL (DESIGN.md §8): a session started on the first
continues over a websocket on the second and ends on the first. Nothing lives only in one
process's memory: the login, the transcript, the discovery state and idempotency are all in
the database."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer, fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.client import Api

pytestmark = pytest.mark.anyio


@pytest.fixture
def two_servers(pg_server: str, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    database = fresh_pg_database(pg_server)
    first = start_server(tmp_path, "first", database=database)
    second = start_server(tmp_path, "second", database=database, with_users=False)
    yield first, second
    first.stop()
    second.stop()


async def test_session_moves_between_processes_on_one_postgres(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_servers
    on_first = Api(first.url).login("trainee")
    session = on_first.start_session(language="zh", style="driver")
    on_second = Api(second.url)
    on_second.http.cookies.set("spin_session", on_first.http.cookies["spin_session"])
    on_second.csrf = on_first.csrf
    socket = await on_second.socket(session["id"])
    hello = await socket.recv()
    assert hello["session"]["id"] == session["id"]
    turn, reply = await socket.say("你们有几个工厂？", client_id="move-1")
    assert turn["label"]["label"] == "situation"
    assert reply.done is not None
    again, _ = await socket.say("你们有几个工厂？", client_id="move-1")
    assert again["duplicate"] is True
    await socket.close()
    ended = on_first.post(f"/api/sessions/{session['id']}/end").json()
    assert ended["status"] == "ended"
    assert [t["role"] for t in ended["turns"]] == ["buyer", "trainee", "buyer"]
    assert ended["state"]["moves"] == 1
    on_first.close()
    on_second.close()
