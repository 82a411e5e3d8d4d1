"""One visibility rule everywhere (issue 14, item 4): every representation of a call shows what
app/domain/call/visibility.py allows, as a matrix of representation × mode × hidden style ×
viewer × ended. In exam mode the trainee sees no labels or mood until the end; a hidden style
stays hidden from its trainee until the end, even to a list filtered by the real style; the
cohort's trainer sees everything."""

import asyncio
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.support.client import Api, join_new_cohort

pytestmark = pytest.mark.anyio

STYLES = ("analytical", "driver", "amiable", "expressive")
STYLE_NAMES = {
    "analytical": "Analytical",
    "driver": "Driver",
    "amiable": "Amiable",
    "expressive": "Expressive",
}
MOVE = "How many operators run the lines on each shift?"


@dataclass(frozen=True)
class Call:
    id: str
    mode: str
    hidden: bool
    ended: bool
    style: str  # the real style, as the trainer sees it

    @property
    def name(self) -> str:
        return (
            f"{self.mode}-{'hidden' if self.hidden else 'open'}-{'ended' if self.ended else 'live'}"
        )


@dataclass(frozen=True)
class World:
    trainer: Api
    trainee: Api
    calls: tuple[Call, ...]


@pytest.fixture(scope="module")
def world(scripted_server: LiveServer) -> Iterator[World]:
    trainer = Api(scripted_server.url).login("trainer")
    trainee, _, _ = join_new_cohort(trainer, cohort_name="matrix", username_prefix="mx")
    calls = []
    for mode, hidden, ended in product(("coach", "exam"), (False, True), (False, True)):
        session = trainee.start_session(style="hidden" if hidden else "driver", mode=mode)
        play(trainee, session["id"], end=ended)
        real = trainer.get(f"/api/sessions/{session['id']}").json()["style"]
        calls.append(Call(session["id"], mode, hidden, ended, real))
    yield World(trainer, trainee, tuple(calls))
    trainer.close()
    trainee.close()


def play(api: Api, session_id: str, *, end: bool) -> None:
    async def run() -> None:
        socket = await api.socket(session_id)
        await socket.recv()
        await socket.say(MOVE)
        await socket.close()

    asyncio.run(run())
    if end:
        assert api.post(f"/api/sessions/{session_id}/end").status_code == 200


def style_shown(call: Call, viewer: str) -> bool:
    return not (call.hidden and not call.ended and viewer == "trainee")


def live_shown(call: Call, viewer: str) -> bool:
    return call.mode == "coach" or call.ended or viewer == "trainer"


# --- each representation: (style it shows, labels shown?, mood shown?); None: not there ----

Seen = tuple[str, bool | None, bool | None]


def trainee_labels(turns: list[dict[str, Any]]) -> bool:
    return any(t["label"] for t in turns if t["role"] == "trainee")


def session_api(api: Api, call: Call) -> Seen:
    body = api.get(f"/api/sessions/{call.id}").json()
    return body["style"], trainee_labels(body["turns"]), body["state"] is not None


def export_json(api: Api, call: Call) -> Seen:
    response = api.get(f"/api/exports/sessions/{call.id}.json")
    assert response.status_code == 200, response.text
    body = response.json()
    return body["session"]["style"], trainee_labels(body["turns"]), body["state"] is not None


def export_csv(api: Api, call: Call) -> Seen:
    response = api.get(f"/api/exports/sessions/{call.id}.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels = any(r["label"] or r["confidence"] for r in rows if r["role"] == "trainee")
    return rows[0]["style"], labels, None  # the CSV has no mood columns


def websocket_frame(api: Api, call: Call) -> Seen:
    async def run() -> dict[str, Any]:
        socket = await api.socket(call.id)
        frame: dict[str, Any] = await socket.recv()
        await socket.close()
        return frame

    session = asyncio.run(run())["session"]
    return session["style"], trainee_labels(session["turns"]), session["state"] is not None


def listing(api: Api, call: Call) -> Seen:
    rows = {s["id"]: s for s in api.get("/api/sessions?limit=1000").json()}
    return rows[call.id]["style"], None, None


REPRESENTATIONS: dict[str, Callable[[Api, Call], Seen]] = {
    "session_api": session_api,
    "export_json": export_json,
    "export_csv": export_csv,
    "websocket": websocket_frame,
    "listing": listing,
}
# Only the call's trainee may open its socket; the trainer reads the same through the API.
VIEWS = [(r, v) for r in sorted(REPRESENTATIONS) for v in ("trainee", "trainer")]
VIEWS.remove(("websocket", "trainer"))


@pytest.mark.parametrize(("representation", "viewer"), VIEWS)
def test_every_representation_follows_the_visibility_rule(
    world: World, representation: str, viewer: str
) -> None:
    api = world.trainee if viewer == "trainee" else world.trainer
    for call in world.calls:
        style, labels, mood = REPRESENTATIONS[representation](api, call)
        expected_style = call.style if style_shown(call, viewer) else "hidden"
        assert style == expected_style, (call.name, representation)
        if labels is not None:
            assert labels is live_shown(call, viewer), (call.name, representation)
        if mood is not None:
            assert mood is live_shown(call, viewer), (call.name, representation)


@pytest.mark.parametrize("style", STYLES)
def test_a_filter_by_the_real_style_does_not_reveal_a_hidden_one(world: World, style: str) -> None:
    """A trainee listing ?style=X must not learn which live hidden call is X."""
    found = {s["id"] for s in world.trainee.get(f"/api/sessions?style={style}&limit=1000").json()}
    for call in world.calls:
        if call.hidden and not call.ended:
            assert call.id not in found, call.name
        elif call.style == style:
            assert call.id in found, call.name
    hidden = {s["id"] for s in world.trainee.get("/api/sessions?style=hidden&limit=1000").json()}
    assert hidden == {c.id for c in world.calls if c.hidden and not c.ended}
    by_trainer = {
        s["id"] for s in world.trainer.get(f"/api/sessions?style={style}&limit=1000").json()
    }
    assert by_trainer >= {c.id for c in world.calls if c.style == style}


def test_pages_show_the_style_as_the_trainee_may_see_it(world: World) -> None:
    home = world.trainee.get("/").text
    for call in world.calls:
        if call.ended:
            continue
        row = re.search(rf'href="/practice/{call.id}" class="session-link">(.*?)</a>', home, re.S)
        assert row is not None, call.name
        page = world.trainee.get(f"/practice/{call.id}").text
        tag = f'<li class="tag">{STYLE_NAMES[call.style]}</li>'
        if call.hidden:
            assert STYLE_NAMES[call.style] not in row.group(1), call.name
            assert tag not in page, call.name
        else:
            assert STYLE_NAMES[call.style] in row.group(1), call.name
            assert tag in page, call.name


def test_xapi_statements_are_for_ended_calls_only(world: World) -> None:
    statements = world.trainer.get("/api/exports/xapi.json?limit=1000").json()
    by_id = {s["id"]: s for s in statements}
    for call in world.calls:
        assert (call.id in by_id) is call.ended, call.name
        if call.ended:
            extensions = by_id[call.id]["context"]["extensions"]
            assert call.style in extensions.values(), call.name
    assert world.trainee.get("/api/exports/xapi.json").status_code == 403


def test_progress_lists_ended_calls_with_their_style(world: World) -> None:
    listed = {s["id"]: s for s in world.trainee.get("/api/progress").json()["sessions"]}
    for call in world.calls:
        assert (call.id in listed) is call.ended, call.name
        if call.ended:
            assert listed[call.id]["style"] == call.style
