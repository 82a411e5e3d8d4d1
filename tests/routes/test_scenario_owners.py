"""Scenarios have owners and calls keep their version (issue 14, items 1 and 5), through a live
server on SQLite and on PostgreSQL: another trainer's id is refused, never overwritten; only
the author or an admin edits, disables or deletes; a disabled scenario starts no call; a call
played on a scenario keeps it from deletion; and an edit made during a call changes neither
the buyer of that call nor its score after a later override."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from app.adapters.persona_files.catalog import load_catalog
from app.adapters.persona_files.scenarios import scenario_to_dict
from tests.conftest import LiveServer, fresh_pg_database
from tests.routes.conftest import start_server
from tests.support.accounts import PASSWORD
from tests.support.client import Api, join_new_cohort
from tests.support.paths import PERSONAS

pytestmark = pytest.mark.anyio

BASE = scenario_to_dict(load_catalog(PERSONAS).scenarios["plant-operators"])
CHANGED = "Version two answer."


def scenario_text(scenario_id: str, *, version_two: bool = False) -> str:
    data: dict[str, Any] = {**BASE, "id": scenario_id}
    if version_two:  # every fact answered differently, and one problem fewer
        data["facts"] = [
            {**fact, "answer": {"en": [CHANGED], "zh": ["第二版的回答。"]}}
            for fact in BASE["facts"]
        ]
        data["problems"] = BASE["problems"][:-1]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    base = tmp_path_factory.mktemp(f"owners-{request.param}")
    database = None
    if request.param == "postgres":
        database = fresh_pg_database(request.getfixturevalue("pg_server"))
    live = start_server(base, "owners", database=database)
    yield live
    live.stop()


@dataclass
class People:
    admin: Api
    author: Api
    other: Api  # a second trainer
    trainee: Api  # in the author's cohort


@pytest.fixture
def people(server: LiveServer) -> Iterator[People]:
    admin = Api(server.url).login("admin")
    name = f"tr{uuid.uuid4().hex[:6]}"
    made = admin.post("/api/users", {"username": name, "password": PASSWORD, "role": "trainer"})
    assert made.status_code == 201, made.text
    author = Api(server.url).login("trainer")
    other = Api(server.url).login(name)
    trainee, _, _ = join_new_cohort(author, cohort_name="owners", username_prefix="own")
    yield People(admin, author, other, trainee)
    for api in (admin, author, other, trainee):
        api.close()


def new_id() -> str:
    return f"acme-{uuid.uuid4().hex[:8]}"


def source(api: Api, scenario_id: str) -> str:
    response = api.get(f"/api/scenarios/{scenario_id}/source")
    assert response.status_code == 200, response.text
    text: str = response.json()["yaml"]
    return text


def test_another_trainer_cannot_overwrite_a_scenario(people: People) -> None:
    scenario_id = new_id()
    assert (
        people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)}).status_code
        == 201
    )
    hostile = scenario_text(scenario_id, version_two=True)
    refused = people.other.post("/api/scenarios", {"yaml": hostile})
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "forbidden"
    assert CHANGED not in source(people.author, scenario_id)
    assert (
        people.other.patch(f"/api/scenarios/{scenario_id}", {"enabled": False}).status_code == 403
    )
    assert (
        people.other.http.delete(
            f"/api/scenarios/{scenario_id}", headers={"X-CSRF-Token": people.other.csrf}
        ).status_code
        == 403
    )
    assert scenario_id in {s["id"] for s in people.trainee.get("/api/scenarios").json()}


def test_the_author_and_an_admin_may_change_a_scenario(people: People) -> None:
    scenario_id = new_id()
    assert (
        people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)}).status_code
        == 201
    )
    by_admin = people.admin.post(
        "/api/scenarios", {"yaml": scenario_text(scenario_id, version_two=True)}
    )
    assert by_admin.status_code == 201, by_admin.text
    assert CHANGED in source(people.author, scenario_id)
    again = people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)})
    assert again.status_code == 201, again.text  # the author stays the author
    assert CHANGED not in source(people.author, scenario_id)


def test_the_scenarios_page_offers_changes_only_to_the_author(people: People) -> None:
    scenario_id = new_id()
    people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)})
    mine = people.author.get("/scenarios").text
    theirs = people.other.get("/scenarios").text
    assert f'data-action="delete" data-id="{scenario_id}"' in mine
    assert f'data-action="delete" data-id="{scenario_id}"' not in theirs
    assert f"/scenarios/new?copy={scenario_id}" in theirs
    editing = people.other.http.get(f"/scenarios/{scenario_id}/edit", follow_redirects=False)
    assert editing.status_code == 303
    assert editing.headers["location"] == f"/scenarios/new?copy={scenario_id}"


async def test_a_disabled_scenario_starts_no_call_and_a_played_one_is_kept(
    people: People,
) -> None:
    scenario_id = new_id()
    people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)})
    call = people.trainee.start_session(scenario_id)
    path = f"/api/scenarios/{scenario_id}"
    deleted = people.author.http.delete(path, headers={"X-CSRF-Token": people.author.csrf})
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "scenario_in_use"
    assert people.author.patch(path, {"enabled": False}).status_code == 204
    assert scenario_id not in {s["id"] for s in people.trainee.get("/api/scenarios").json()}
    body = {"scenario_id": scenario_id, "style": "driver", "language": "en"}
    assert people.trainee.post("/api/sessions", body).status_code == 404
    socket = await people.trainee.socket(call["id"])  # the call already started goes on
    await socket.recv()
    turn, reply = await socket.say("How many operators run the lines on each shift?")
    assert turn["type"] == "turn"
    assert reply.done is not None
    await socket.close()
    assert people.author.patch(path, {"enabled": True}).status_code == 204
    assert people.trainee.post("/api/sessions", body).status_code == 201


def test_an_unplayed_scenario_is_deleted(people: People) -> None:
    scenario_id = new_id()
    people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)})
    path = f"/api/scenarios/{scenario_id}"
    deleted = people.author.http.delete(path, headers={"X-CSRF-Token": people.author.csrf})
    assert deleted.status_code == 204
    assert people.author.get(f"{path}/source").status_code == 404
    assert scenario_id not in {s["id"] for s in people.trainee.get("/api/scenarios").json()}


async def say(api: Api, session_id: str, text: str) -> str:
    socket = await api.socket(session_id)
    await socket.recv()
    _, reply = await socket.say(text)
    await socket.close()
    assert reply.done is not None
    buyer: str = reply.done["text"]
    return buyer


FACT_QUESTIONS = [
    "How many plants do you run, and where is the site?",
    "Which machines are in your fleet today?",
    "What controllers do the machines use?",
]


async def test_a_call_keeps_the_scenario_version_it_started_with(people: People) -> None:
    scenario_id = new_id()
    people.author.post("/api/scenarios", {"yaml": scenario_text(scenario_id)})
    old_call = people.trainee.start_session(scenario_id)["id"]
    edited = people.author.post(
        "/api/scenarios", {"yaml": scenario_text(scenario_id, version_two=True)}
    )
    assert edited.status_code == 201, edited.text
    new_call = people.trainee.start_session(scenario_id)["id"]
    old_replies = [await say(people.trainee, old_call, q) for q in FACT_QUESTIONS]
    new_replies = [await say(people.trainee, new_call, q) for q in FACT_QUESTIONS]
    # A lead-in may start the reply ("To be exact, version two answer."): compare caseless.
    assert not any(CHANGED.lower() in reply.lower() for reply in old_replies)
    assert any(CHANGED.lower() in reply.lower() for reply in new_replies)  # new calls see it
    old_card = people.trainee.post(f"/api/sessions/{old_call}/end").json()["scorecard"]
    new_card = people.trainee.post(f"/api/sessions/{new_call}/end").json()["scorecard"]
    problems = len(BASE["problems"])
    assert old_card["discovery"]["problems"]["total"] == problems
    assert new_card["discovery"]["problems"]["total"] == problems - 1
    turns = people.author.get(f"/api/sessions/{old_call}").json()["turns"]
    move = next(t for t in turns if t["role"] == "trainee")
    override = people.author.patch(f"/api/turns/{move['id']}", {"label": "problem"})
    assert override.status_code == 200, override.text
    assert override.json()["scorecard"]["discovery"]["problems"]["total"] == problems


def test_scenario_saves_are_rate_limited_per_trainer(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    live = start_server(tmp_path_factory.mktemp("saves"), "saves", scenario_saves_per_minute="2")
    try:
        trainer, admin = Api(live.url).login("trainer"), Api(live.url).login("admin")
        scenario_id = new_id()
        codes = [
            trainer.post("/api/scenarios", {"yaml": scenario_text(scenario_id)}).status_code
            for _ in range(3)
        ]
        assert codes == [201, 201, 429]
        limited = trainer.post("/api/scenarios", {"yaml": scenario_text(new_id())})
        assert limited.json()["code"] == "rate_limited"
        assert admin.post("/api/scenarios", {"yaml": scenario_text(new_id())}).status_code == 201
        trainer.close()
        admin.close()
    finally:
        live.stop()


def test_a_saved_scenario_is_checked_in_a_worker_and_its_thin_items_named(
    people: People,
) -> None:
    """The recognition check of a save runs in the worker processes (issue 14: a thread
    would hold the event loop's GIL); its warnings come back with the saved scenario."""
    scenario_id = new_id()
    data: dict[str, Any] = {**BASE, "id": scenario_id}
    first = dict(data["problems"][0])
    first["example_question"] = {"en": "What colour are the walls?", "zh": "墙是什么颜色？"}
    data["problems"] = [first, *data["problems"][1:]]
    saved = people.author.post(
        "/api/scenarios", {"yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}
    )
    assert saved.status_code == 201, saved.text
    warned = {(w["item_id"], w["code"]) for w in saved.json()["warnings"]}
    assert (first["id"], "own_question_missed") in warned
    clean = people.author.post("/api/scenarios", {"yaml": scenario_text(new_id())})
    assert clean.json()["warnings"] == []
