"""The practice websocket (DESIGN.md §6) through a real uvicorn server and the `websockets`
client: conversations in both languages, idempotent resends, refusals, ending the call."""

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import LiveServer
from tests.support.client import Api

pytestmark = pytest.mark.anyio


@pytest.fixture
def api(scripted_server: LiveServer) -> Iterator[Api]:
    client = Api(scripted_server.url).login("trainee")
    yield client
    client.close()


async def test_conversation_in_english_streams_labelled_turns(api: Api) -> None:
    session = api.start_session(language="en", style="analytical")
    socket = await api.socket(session["id"])
    hello = await socket.recv()
    assert hello["type"] == "session"
    assert hello["pending"] is False
    assert hello["session"]["turns"][0]["role"] == "buyer"
    turn, reply = await socket.say("How many operators work on each shift?", client_id="m1")
    assert turn["type"] == "turn"
    assert turn["label"]["label"] == "situation"
    assert reply.done is not None
    assert reply.deltas
    assert "".join(reply.deltas).strip() == reply.done["text"]
    assert reply.done["state"]["moves"] == 1
    await socket.close()
    stored = api.get(f"/api/sessions/{session['id']}").json()
    assert [t["role"] for t in stored["turns"]] == ["buyer", "trainee", "buyer"]


async def test_conversation_in_chinese(api: Api) -> None:
    session = api.start_session(language="zh", style="amiable")
    socket = await api.socket(session["id"])
    await socket.recv()
    turn, reply = await socket.say("你们现在有多少名操作工？")
    assert turn["label"]["label"] == "situation"
    assert reply.done is not None
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.done["text"])
    await socket.close()


async def test_resend_with_same_client_id_is_stored_once(api: Api) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    first, _ = await socket.say("How many plants do you run?", client_id="same")
    again, _ = await socket.say("How many plants do you run?", client_id="same")
    assert again["duplicate"] is True
    assert again["turn_id"] == first["turn_id"]
    await socket.close()
    turns = api.get(f"/api/sessions/{session['id']}").json()["turns"]
    assert sum(1 for t in turns if t["role"] == "trainee") == 1


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "message"}', "invalid_message"),
        ('{"type": "message", "text": "   "}', "empty_text"),
        ('{"type": "message", "text": "' + "x" * 2001 + '"}', "text_too_long"),
        ("[1, 2]", "invalid_message"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(
    api: Api, frame: str, code: str
) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    await socket.send_raw(frame)
    error = await socket.until("error")
    assert error["code"] == code
    await socket.send({"type": "ping"})
    assert (await socket.recv())["type"] == "pong"
    await socket.close()


async def test_binary_and_oversized_frames_are_refused(api: Api) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    await socket.send_raw(b"\x00\x01")
    assert (await socket.until("error"))["code"] == "binary_frame"
    await socket.send_raw('{"type": "ping", "pad": "' + "y" * 70_000 + '"}')
    assert (await socket.until("error"))["code"] == "frame_too_large"
    await socket.close()


async def test_end_returns_scorecard_and_later_moves_are_refused(api: Api) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    await socket.say("How many operators do you have today?")
    await socket.send({"type": "end"})
    card = await socket.until("scorecard")
    assert isinstance(card["scorecard"]["overall"], int)
    turn, _ = await socket.say("One more thing?")
    assert turn["type"] == "error"
    assert turn["code"] == "session_ended"
    await socket.close()
    stored = api.get(f"/api/sessions/{session['id']}").json()
    assert stored["status"] == "ended"
    assert stored["scorecard"]["overall"] == card["scorecard"]["overall"]


async def test_too_many_moves_in_a_burst_are_refused(api: Api) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    codes = []
    for i in range(12):
        turn, _ = await socket.say(f"How many lines run on shift {i}?")
        codes.append(turn.get("code"))
    assert "too_fast" in codes
    await socket.close()


async def test_foreign_session_is_closed_with_1008(scripted_server: LiveServer, api: Api) -> None:
    session = api.start_session()
    other = Api(scripted_server.url).login("trainee2")
    socket = await other.socket(session["id"])
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008
    other.close()


async def test_anonymous_socket_is_closed_with_1008(api: Api) -> None:
    session = api.start_session()
    socket = await api.socket(session["id"], cookie="spin_session=forged")
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def test_unknown_session_is_closed_with_1008(api: Api) -> None:
    socket = await api.socket(str(uuid.uuid4()))
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def test_exam_mode_hides_labels_until_the_end(api: Api) -> None:
    session = api.start_session(mode="exam", style="hidden")
    assert session["style"] == "hidden"
    socket = await api.socket(session["id"])
    hello = await socket.recv()
    assert hello["session"]["state"] is None
    turn, reply = await socket.say("How many operators do you employ?")
    assert turn["label"] is None
    assert reply.done is not None
    assert reply.done["state"] is None
    await socket.send({"type": "end"})
    await socket.until("scorecard")
    await socket.close()
    ended = api.get(f"/api/sessions/{session['id']}").json()
    assert ended["style"] in {"analytical", "driver", "amiable", "expressive"}
    assert ended["turns"][1]["label"]["label"] == "situation"


@pytest.mark.parametrize("size", [1_000_000, 15_000_000])
async def test_a_frame_over_the_protocol_limit_is_refused_while_it_arrives(
    api: Api, size: int
) -> None:
    """Issue 14: the limit is the server's (uvicorn's ws_max_size), so a huge frame is
    refused from its header with close code 1009, never buffered whole first. Frames between
    the app's limit and the protocol's get `frame_too_large` and the socket stays open (see
    test_binary_and_oversized_frames_are_refused)."""
    session = api.start_session()
    socket = await api.socket(session["id"])
    await socket.recv()
    with contextlib.suppress(ConnectionClosed):  # the server may close while it is sent
        await socket.send_raw('{"type": "message", "text": "' + "z" * size + '"}')
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
    again = await api.socket(session["id"])
    assert (await again.recv())["type"] == "session"
    await again.close()
