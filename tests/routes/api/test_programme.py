"""The training programme over HTTP against a live server: cohorts and invites, assignments
with completion, feedback that reaches the trainee (and only them), and user admin."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.support.accounts import PASSWORD
from tests.support.client import Api, join_new_cohort, play_and_end

pytestmark = pytest.mark.anyio
MOVES = [
    "How many operators run the lines on each shift?",
    "What problems do you have with keeping trained operators?",
]


def test_cohort_rename_members_invites_and_revocation(scripted_server: LiveServer) -> None:
    trainer = Api(scripted_server.url).login("trainer")
    trainee, username, cohort_id = join_new_cohort(
        trainer, cohort_name="Autumn", username_prefix="m-"
    )
    renamed = trainer.patch(f"/api/cohorts/{cohort_id}", {"name": "  Autumn   2026 "})
    assert renamed.json()["name"] == "Autumn 2026"
    members = trainer.get(f"/api/cohorts/{cohort_id}/members").json()
    assert [m["username"] for m in members] == [username]
    made = trainer.post(f"/api/cohorts/{cohort_id}/invites", {"max_uses": 3, "days": 2})
    invite = made.json()
    assert made.status_code == 201
    assert invite["link"] == f"{scripted_server.url}/register?code={invite['code']}"
    expires = datetime.fromisoformat(invite["expires_at"])
    assert timedelta(days=1) < expires - datetime.now(UTC) <= timedelta(days=2)
    assert trainer.post(f"/api/invites/{invite['code']}/revoke").json()["status"] == "revoked"
    late = Api(scripted_server.url).http.post(
        "/api/auth/register",
        json={
            "code": invite["code"],
            "username": f"late{uuid.uuid4().hex[:5]}",
            "password": PASSWORD,
        },
    )
    assert late.status_code == 422
    assert late.json()["code"] == "invalid_invite"
    statuses = {
        i["code"]: i["status"] for i in trainer.get(f"/api/cohorts/{cohort_id}/invites").json()
    }
    assert statuses[invite["code"]] == "revoked"
    assert trainee.get(f"/api/cohorts/{cohort_id}/members").status_code == 403


def test_another_trainer_cannot_touch_a_foreign_cohort(scripted_server: LiveServer) -> None:
    admin = Api(scripted_server.url).login("admin")
    name = f"coach{uuid.uuid4().hex[:5]}"
    admin.post("/api/users", {"username": name, "password": PASSWORD, "role": "trainer"})
    trainer = Api(scripted_server.url).login("trainer")
    _, _, cohort_id = join_new_cohort(trainer, cohort_name="Mine", username_prefix="f-")
    code = trainer.post(f"/api/cohorts/{cohort_id}/invites", {}).json()["code"]
    other = Api(scripted_server.url).login(name)
    assert other.patch(f"/api/cohorts/{cohort_id}", {"name": "Taken"}).status_code == 404
    assert other.get(f"/api/cohorts/{cohort_id}/members").status_code == 404
    assert other.post(f"/api/invites/{code}/revoke").status_code == 404
    body = {"scenario_id": "plant-operators", "style": "driver", "language": "en"}
    assert other.post("/api/assignments", body | {"cohort_id": cohort_id}).status_code == 404
    assert {c["id"] for c in admin.get("/api/cohorts").json()} >= {cohort_id}  # admins: all


async def test_assignment_reaches_the_trainee_and_reports_completion(
    scripted_server: LiveServer,
) -> None:
    trainer = Api(scripted_server.url).login("trainer")
    trainee, username, cohort_id = join_new_cohort(
        trainer, cohort_name="Assigned", username_prefix="a-"
    )
    due = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    body = {
        "scenario_id": "plant-operators",
        "style": "driver",
        "language": "en",
        "mode": "exam",
        "cohort_id": cohort_id,
        "due_on": due,
        "note": "Ask about costs.",
    }
    made = trainer.post("/api/assignments", body)
    assert made.status_code == 201, made.text
    assignment = made.json()
    mine = trainee.get("/api/me/assignments").json()
    assert [(a["id"], a["status"], a["due_on"]) for a in mine] == [
        (assignment["id"], "not_started", due)
    ]
    started = trainee.post(f"/api/assignments/{assignment['id']}/start")
    session = started.json()
    assert started.status_code == 201
    assert (session["mode"], session["options"]["assignment_id"]) == ("exam", assignment["id"])
    report = trainer.get(f"/api/assignments/{assignment['id']}").json()
    assert [(t["username"], t["status"]) for t in report["trainees"]] == [(username, "in_progress")]
    await play_and_end(trainee, session["id"], MOVES)
    report = trainer.get(f"/api/assignments/{assignment['id']}").json()
    row = report["trainees"][0]
    assert (row["status"], row["attempts"], row["overdue"]) == ("done", 1, False)
    assert row["best"] == row["latest"] is not None
    listed = trainer.get(f"/api/sessions?assignment={assignment['id']}").json()
    assert [s["id"] for s in listed] == [session["id"]]
    stranger = Api(scripted_server.url).login("trainee2")
    assert stranger.post(f"/api/assignments/{assignment['id']}/start").status_code == 404
    past = body | {"due_on": "2020-01-01"}
    assert trainer.post("/api/assignments", past).json()["code"] == "invalid_input"


def test_a_drill_assigned_to_one_trainee_starts_as_that_drill(scripted_server: LiveServer) -> None:
    trainer = Api(scripted_server.url).login("trainer")
    trainee, username, cohort_id = join_new_cohort(
        trainer, cohort_name="Drills", username_prefix="d-"
    )
    member = trainer.get(f"/api/cohorts/{cohort_id}/members").json()[0]
    body = {
        "scenario_id": "plant-operators",
        "style": "amiable",
        "language": "zh",
        "mode": "exam",
        "drill": "implication",
        "user_id": member["id"],
    }
    made = trainer.post("/api/assignments", body).json()
    assert (made["mode"], made["drill"]) == ("coach", "implication")  # drills coach
    session = trainee.post(f"/api/assignments/{made['id']}/start").json()
    assert session["kind"] == "drill"
    assert session["options"]["drill"] == "implication"
    assert session["options"]["assignment_id"] == made["id"]
    assert session["language"] == "zh"
    listed = [a["id"] for a in trainer.get(f"/api/assignments?cohort={cohort_id}").json()]
    assert made["id"] in listed  # a member's assignment shows on their cohort
    assert (
        trainer.http.delete(
            f"/api/assignments/{made['id']}", headers={"X-CSRF-Token": trainer.csrf}
        ).status_code
        == 204
    )
    assert trainee.get("/api/me/assignments").json() == []
    assert trainee.get(f"/api/sessions/{session['id']}").json()["id"] == session["id"]
    assert username


async def test_feedback_reaches_only_the_trainee_whose_call_it_is(
    scripted_server: LiveServer,
) -> None:
    trainer = Api(scripted_server.url).login("trainer")
    trainee, _, _ = join_new_cohort(trainer, cohort_name="Feedback", username_prefix="fb-")
    session = trainee.start_session()
    await play_and_end(trainee, session["id"], MOVES)
    turns = trainee.get(f"/api/sessions/{session['id']}").json()["turns"]
    first, second = (t for t in turns if t["role"] == "trainee")
    before = trainer.get(f"/api/sessions/{session['id']}").json()["overall"]
    relabel = trainer.patch(f"/api/turns/{first['id']}", {"label": "implication"}).json()
    trainer.post(f"/api/turns/{first['id']}/comments", {"text": "Nice opener."})
    assert trainee.get("/api/me/feedback").json()["total"] == 2
    page = trainee.get(f"/sessions/{session['id']}/scorecard").text
    after = relabel["scorecard"]["overall"]
    assert f"relabelled turn {first['seq'] + 1} as an implication question" in page
    assert f"the score changed {before} → {after}" in page
    assert "Nice opener." in page
    assert trainee.get("/api/me/feedback").json()["total"] == 0  # read on the scorecard
    reply = trainee.post(f"/api/turns/{first['id']}/replies", {"text": "Thanks!"})
    assert reply.status_code == 201
    no_comment = trainee.post(f"/api/turns/{second['id']}/replies", {"text": "Hm?"})
    assert no_comment.json()["code"] == "invalid_input"
    other = Api(scripted_server.url).login("trainee2")
    assert other.get(f"/sessions/{session['id']}/scorecard").status_code == 404
    assert other.get(f"/api/sessions/{session['id']}/audit").status_code == 404
    assert other.post(f"/api/turns/{first['id']}/replies", {"text": "x"}).status_code == 404
    assert trainer.post(f"/api/turns/{first['id']}/replies", {"text": "x"}).status_code == 403
    assert "Thanks!" in trainer.get(f"/review/{session['id']}").text  # the coach sees it


def _user_id(admin: Api, username: str) -> str:
    found: list[dict[str, Any]] = admin.get("/api/users").json()
    return next(str(u["id"]) for u in found if u["username"] == username)


def test_admin_deactivates_resets_and_cannot_demote_the_last_admin(
    scripted_server: LiveServer,
) -> None:
    admin = Api(scripted_server.url).login("admin")
    name = f"u{uuid.uuid4().hex[:6]}"
    admin.post("/api/users", {"username": name, "password": PASSWORD, "role": "trainee"})
    user = Api(scripted_server.url).login(name)
    user_id = _user_id(admin, name)
    assert (
        admin.http.put(
            f"/api/users/{user_id}/active",
            json={"active": False},
            headers={"X-CSRF-Token": admin.csrf},
        ).json()["username"]
        == name
    )
    assert user.get("/api/sessions").status_code == 401  # signed out at once
    admin.http.put(
        f"/api/users/{user_id}/active", json={"active": True}, headers={"X-CSRF-Token": admin.csrf}
    )
    link = admin.post(f"/api/users/{user_id}/password-reset").json()["link"]
    token = re.search(r"/reset\?token=([\w-]+)$", link)
    assert token, link
    assert "reset" in admin.http.get(f"/reset?token={token.group(1)}").text
    fresh = Api(scripted_server.url)
    done = fresh.http.post(
        "/reset",
        data={"token": token.group(1), "password": "new words for ana"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert fresh.get("/api/auth/me").json()["user"]["username"] == name
    again = Api(scripted_server.url).http.get(f"/reset?token={token.group(1)}")
    assert again.status_code == 404
    me = _user_id(admin, "admin")
    demote = admin.http.put(
        f"/api/users/{me}/role", json={"role": "trainer"}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert (demote.status_code, demote.json()["code"]) == (409, "last_admin")
    off = admin.http.put(
        f"/api/users/{me}/active", json={"active": False}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert off.status_code == 422


NEW_TRAINER_ROUTES = [
    ("GET", "/api/assignments"),
    ("POST", "/api/assignments"),
    ("GET", "/api/assignments/{id}"),
    ("DELETE", "/api/assignments/{id}"),
    ("PATCH", "/api/cohorts/{id}"),
    ("GET", "/api/cohorts/{id}/members"),
    ("POST", "/api/invites/abc/revoke"),
    ("GET", "/cohorts"),
    ("GET", "/cohorts/{id}"),
    ("GET", "/assignments/{id}"),
]
NEW_ADMIN_ROUTES = [
    ("PUT", "/api/users/{id}/active"),
    ("POST", "/api/users/{id}/password-reset"),
    ("GET", "/admin/users"),
]


def _send(api: Api, method: str, path: str) -> int:
    target = path.replace("{id}", str(uuid.uuid4()))
    headers = {"X-CSRF-Token": api.csrf, "Accept": "application/json"}
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return api.http.request(method, target, json=body, headers=headers).status_code


def test_every_new_route_declares_its_role(scripted_server: LiveServer) -> None:
    anonymous = Api(scripted_server.url)
    trainee = Api(scripted_server.url).login("trainee")
    trainer = Api(scripted_server.url).login("trainer")
    for method, path in NEW_TRAINER_ROUTES + NEW_ADMIN_ROUTES:
        assert _send(trainee, method, path) == 403, (method, path)
        assert _send(anonymous, method, path) in (401, 303), (method, path)
    for method, path in NEW_ADMIN_ROUTES:
        assert _send(trainer, method, path) == 403, (method, path)
    for method, path in (("GET", "/api/me/assignments"), ("GET", "/api/me/feedback")):
        assert _send(anonymous, method, path) == 401
        assert _send(trainee, method, path) == 200
    for method, path in (("PUT", "/api/me/password"), ("POST", "/api/turns/{id}/replies")):
        assert _send(anonymous, method, path) == 401
    no_csrf = trainee.http.put("/api/me/password", json={"current": "x", "new": "y" * 12})
    assert no_csrf.json()["code"] == "csrf_failed"
