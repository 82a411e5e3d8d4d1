"""Trainer and trainee work beyond the call, against a live server: overrides with audit and
a recomputed score, comments, exports, analytics, progress, practice loops, hidden-style
guesses, scenario authoring and real-call analysis."""

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from app.adapters.persona_files.catalog import load_catalog
from app.adapters.persona_files.scenarios import dump_scenario_yaml
from tests.conftest import LiveServer
from tests.support.accounts import PASSWORD
from tests.support.client import Api
from tests.support.paths import PERSONAS

pytestmark = pytest.mark.anyio
MOVES = [
    "How many operators run the lines on each shift?",
    "How satisfied are you with how long new operators take to become productive?",
    "What happens to your overtime when an experienced operator leaves?",
]


@dataclass
class Cohort:
    trainer: Api
    trainee: Api
    trainee_id: str


@pytest.fixture
def cohort(scripted_server: LiveServer) -> Iterator[Cohort]:
    trainer = Api(scripted_server.url).login("trainer")
    group = trainer.post("/api/cohorts", {"name": f"c-{uuid.uuid4().hex[:6]}"}).json()
    invite = trainer.post(f"/api/cohorts/{group['id']}/invites", {"max_uses": 1}).json()
    trainee = Api(scripted_server.url)
    name = f"t{uuid.uuid4().hex[:8]}"
    joined = trainee.http.post(
        "/api/auth/register", json={"code": invite["code"], "username": name, "password": PASSWORD}
    )
    assert joined.status_code == 200, joined.text
    trainee.csrf = joined.json()["csrf_token"]
    yield Cohort(trainer=trainer, trainee=trainee, trainee_id=joined.json()["user"]["id"])
    trainer.close()
    trainee.close()


async def play(api: Api, moves: list[str], **options: Any) -> dict[str, Any]:
    session = api.start_session(**options)
    socket = await api.socket(session["id"])
    await socket.recv()
    for move in moves:
        await socket.say(move)
    await socket.close()
    ended = api.post(f"/api/sessions/{session['id']}/end")
    assert ended.status_code == 200, ended.text
    result: dict[str, Any] = ended.json()
    return result


async def test_override_recomputes_score_and_is_audited(cohort: Cohort) -> None:
    ended = await play(cohort.trainee, MOVES)
    before = ended["scorecard"]["overall"]
    implication = next(
        t for t in ended["turns"] if t["label"] and t["label"]["label"] == "implication"
    )
    changed = cohort.trainer.patch(
        f"/api/turns/{implication['id']}", {"label": "other", "move": "pitch"}
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["turn"]["label"]["source"] == "trainer"
    assert body["scorecard"]["overall"] != before
    audit = cohort.trainer.get(f"/api/sessions/{ended['id']}/audit").json()
    [entry] = audit["overrides"]
    assert entry["old_label"]["label"] == "implication"
    assert entry["new_label"]["move"] == "pitch"
    assert entry["trainer_name"] == "trainer"
    stored = cohort.trainee.get(f"/api/sessions/{ended['id']}").json()
    assert stored["overall"] == body["scorecard"]["overall"]


async def test_only_the_cohort_trainer_may_override_or_comment(
    cohort: Cohort, scripted_server: LiveServer
) -> None:
    ended = await play(cohort.trainee, MOVES[:1])
    turn = ended["turns"][1]
    own = cohort.trainee.patch(f"/api/turns/{turn['id']}", {"label": "problem"})
    assert own.status_code == 403
    outsider = Api(scripted_server.url).login("admin")
    body = {"username": f"x{uuid.uuid4().hex[:6]}", "password": PASSWORD, "role": "trainer"}
    other_name = outsider.post("/api/users", body).json()["username"]
    other = Api(scripted_server.url).login(other_name)
    assert other.patch(f"/api/turns/{turn['id']}", {"label": "problem"}).status_code == 404
    assert other.get(f"/api/sessions/{ended['id']}").status_code == 404
    comment = cohort.trainer.post(f"/api/turns/{turn['id']}/comments", {"text": "<b>Good</b>"})
    assert comment.status_code == 201
    audit = cohort.trainer.get(f"/api/sessions/{ended['id']}/audit").json()
    assert audit["comments"][0]["text"] == "<b>Good</b>"
    outsider.close()
    other.close()


async def test_exports_csv_json_and_xapi(cohort: Cohort) -> None:
    ended = await play(cohort.trainee, MOVES[:2])
    one = cohort.trainee.get(f"/api/exports/sessions/{ended['id']}.csv")
    assert one.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(one.content.decode("utf-8-sig"))))
    assert [r["role"] for r in rows][:3] == ["buyer", "trainee", "buyer"]
    assert rows[1]["label"] == "situation"
    listed = cohort.trainer.get(f"/api/exports/sessions.json?trainee={cohort.trainee_id}").json()
    assert [d["session"]["id"] for d in listed] == [ended["id"]]
    [statement] = cohort.trainer.get(f"/api/exports/xapi.json?trainee={cohort.trainee_id}").json()
    assert statement["verb"]["id"].endswith("/completed")
    assert statement["result"]["score"]["raw"] == ended["overall"]
    assert cohort.trainee.get("/api/exports/sessions.json").status_code == 403


async def test_progress_and_cohort_analytics(cohort: Cohort) -> None:
    first = await play(cohort.trainee, MOVES[:1])
    second = await play(cohort.trainee, MOVES)
    mine = cohort.trainee.get("/api/progress").json()["progress"]
    assert mine["first"]["session_id"] == first["id"]
    assert mine["latest"]["session_id"] == second["id"]
    assert mine["lift"] == second["overall"] - first["overall"]
    turn = second["turns"][1]
    cohort.trainer.patch(f"/api/turns/{turn['id']}", {"label": "problem"})
    report = cohort.trainer.get("/api/analytics").json()
    row = next(r for r in report["trainees"] if r["user_id"] == cohort.trainee_id)
    assert row["sessions"] == 2
    assert report["agreement"]["pairs"] >= 1
    assert report["agreement"]["confusion"]["situation"]["problem"] >= 1
    # The scripted buyer is not a model: nothing for the faithfulness guard to check.
    assert report["guard"] == {"checked": 0, "regenerated": 0, "replaced": 0}
    assert cohort.trainee.get("/api/analytics").status_code == 403


async def test_practise_again_retry_and_drill(cohort: Cohort) -> None:
    ended = await play(cohort.trainee, MOVES)
    again = cohort.trainee.post(f"/api/sessions/{ended['id']}/again").json()
    assert again["scenario_id"] == ended["scenario_id"]
    assert again["id"] != ended["id"]
    retry = cohort.trainee.post(f"/api/sessions/{ended['id']}/retry", {"seq": 3})
    assert retry.status_code == 201, retry.text
    copied = retry.json()["turns"]
    assert [t["text"] for t in copied] == [t["text"] for t in ended["turns"][:3]]
    assert retry.json()["kind"] == "retry"
    drill = cohort.trainee.post(
        "/api/drills", {"scenario_id": "plant-operators", "kind": "implication"}
    ).json()
    assert drill["kind"] == "drill"
    assert drill["state"]["handed_problems"]
    socket = await cohort.trainee.socket(drill["id"])
    await socket.recv()
    for text in MOVES[2:] * 3:
        await socket.say(text)
    await socket.send({"type": "end"})
    card = (await socket.until("scorecard"))["scorecard"]
    assert card["extras"]["drill"]["hits"] >= 1
    await socket.close()


async def test_hidden_style_guess_is_judged(cohort: Cohort) -> None:
    session = cohort.trainee.start_session(style="hidden", mode="exam")
    socket = await cohort.trainee.socket(session["id"])
    await socket.recv()
    await socket.say(MOVES[0])
    await socket.send({"type": "end", "style_guess": "driver"})
    card = (await socket.until("scorecard"))["scorecard"]
    await socket.close()
    verdict = card["extras"]["style_guess"]
    actual = cohort.trainee.get(f"/api/sessions/{session['id']}").json()["style"]
    assert verdict["correct"] is (actual == "driver")


def test_authoring_validates_and_adds_a_playable_scenario(cohort: Cohort) -> None:
    broken = cohort.trainer.post("/api/scenarios", {"yaml": "id: Bad Id\ntitle: 3\n"})
    assert broken.status_code == 422
    assert broken.json()["code"] == "scenario_invalid"
    assert broken.json()["problems"]
    scenario = load_catalog(PERSONAS).scenarios["bank-vendor"]
    text = dump_scenario_yaml(scenario).replace("id: bank-vendor", "id: bank-vendor-copy", 1)
    created = cohort.trainer.post("/api/scenarios", {"yaml": text})
    assert created.status_code == 201, created.text
    ids = [s["id"] for s in cohort.trainee.get("/api/scenarios").json()]
    assert "bank-vendor-copy" in ids
    session = cohort.trainee.start_session("bank-vendor-copy")
    assert session["scenario_id"] == "bank-vendor-copy"
    source = cohort.trainer.get("/api/scenarios/bank-vendor-copy/source").json()
    assert "bank-vendor-copy" in source["yaml"]
    shipped = cohort.trainer.post("/api/scenarios", {"yaml": dump_scenario_yaml(scenario)})
    assert shipped.status_code == 409
    assert cohort.trainee.post("/api/scenarios", {"yaml": text}).status_code == 403


def test_real_call_analysis_uses_the_same_rubric(cohort: Cohort) -> None:
    transcript = (
        "Seller: Good morning, thanks for your time.\n"
        "Customer: Sure.\n"
        "Seller: How many branches use the current core system?\n"
        "Customer: Forty.\n"
        "Seller: What problems do you have with month-end closing?\n"
        "Customer: It takes too long.\n"
        "Seller: How does that delay affect your reporting to the regulator?\n"
    )
    result = cohort.trainer.post("/api/analyses", {"text": transcript}).json()
    labels = [t["label"]["label"] for t in result["turns"] if t["label"]]
    assert labels == ["other", "situation", "problem", "implication"]
    discovery = next(c for c in result["scorecard"]["components"] if c["component"] == "discovery")
    assert discovery["applicable"] is False
    chinese = cohort.trainer.post(
        "/api/analyses", {"text": "销售：您好。\n客户：你好。\n销售：你们现在用几套系统？"}
    ).json()
    assert chinese["language"] == "zh"
