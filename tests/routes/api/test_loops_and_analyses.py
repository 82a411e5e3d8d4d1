"""Discarding an unfinished call (the owner only, never an ended one) and saved real-call
analyses (kept, listed newest first, seen only by the trainer who made them and admins),
against a live server."""

import pytest

from tests.conftest import LiveServer
from tests.routes.api.test_review import MOVES, Cohort, cohort, play
from tests.support.client import Api

pytestmark = pytest.mark.anyio
__all__ = ["cohort"]  # the fixture, shared with test_review

CALL = "Seller: How many branches use the core system?\nCustomer: Forty.\nSeller: What problems?"


async def test_a_trainee_discards_an_unfinished_call_with_all_its_turns(cohort: Cohort) -> None:
    session = cohort.trainee.start_session()
    socket = await cohort.trainee.socket(session["id"])
    await socket.recv()
    turn, _ = await socket.say(MOVES[0])
    await socket.close()
    assert cohort.trainer.post(f"/api/turns/{turn['turn_id']}/comments", {"text": "ok"}).is_success

    gone = cohort.trainee.http.delete(
        f"/api/sessions/{session['id']}", headers={"X-CSRF-Token": cohort.trainee.csrf}
    )
    assert gone.status_code == 204, gone.text
    assert cohort.trainee.get(f"/api/sessions/{session['id']}").status_code == 404
    assert cohort.trainer.get(f"/api/sessions/{session['id']}").status_code == 404
    listed = cohort.trainee.get("/api/sessions").json()
    assert session["id"] not in {s["id"] for s in listed}


async def test_an_ended_or_foreign_call_cannot_be_discarded(
    cohort: Cohort, scripted_server: LiveServer
) -> None:
    ended = await play(cohort.trainee, MOVES[:1])
    refused = cohort.trainee.http.delete(
        f"/api/sessions/{ended['id']}", headers={"X-CSRF-Token": cohort.trainee.csrf}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "session_ended"
    active = cohort.trainee.start_session()
    for other in (cohort.trainer, Api(scripted_server.url).login("trainee2")):
        foreign = other.http.delete(
            f"/api/sessions/{active['id']}", headers={"X-CSRF-Token": other.csrf}
        )
        assert foreign.status_code == 404
    no_csrf = cohort.trainee.http.delete(f"/api/sessions/{active['id']}")
    assert no_csrf.status_code == 403
    assert cohort.trainee.get(f"/api/sessions/{active['id']}").status_code == 200


def test_analyses_are_saved_and_listed_for_their_trainer_only(
    cohort: Cohort, scripted_server: LiveServer
) -> None:
    first = cohort.trainer.post("/api/analyses", {"text": CALL, "name": "Bank, first call"})
    assert first.status_code == 200, first.text
    second = cohort.trainer.post(
        "/api/analyses", {"text": "销售：你们现在用几套系统？\n客户：两套。"}
    )
    saved = second.json()
    assert saved["id"]
    assert saved["name"] == "你们现在用几套系统？"  # the seller's first words
    listed = cohort.trainer.get("/api/analyses").json()
    assert [a["id"] for a in listed][:2] == [saved["id"], first.json()["id"]]
    assert listed[1] | {"created_at": None} == {
        "id": first.json()["id"],
        "name": "Bank, first call",
        "language": "en",
        "overall": first.json()["overall"],
        "turns": 3,
        "created_at": None,
    }
    again = cohort.trainer.get(f"/api/analyses/{saved['id']}").json()
    assert again["turns"] == saved["turns"]
    assert again["scorecard"] == saved["scorecard"]

    admin = Api(scripted_server.url).login("admin")
    assert admin.get(f"/api/analyses/{saved['id']}").status_code == 200
    assert saved["id"] in {a["id"] for a in admin.get("/api/analyses").json()}
    assert cohort.trainee.get(f"/api/analyses/{saved['id']}").status_code == 403
    assert cohort.trainee.get("/api/analyses").status_code == 403
    admin.close()
