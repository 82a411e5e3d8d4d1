"""The authorisation matrix over HTTP and the websocket, against a live server: trainee →
another trainee's session, trainee → trainer routes, trainer → a cohort not theirs,
anonymous → anything private, a logged-out cookie. 404 for objects one may not know exist,
403 for roles, 401 when not signed in, 1008 on the socket."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import LiveServer
from tests.support.accounts import PASSWORD
from tests.support.client import Api

pytestmark = pytest.mark.anyio


@dataclass
class World:
    server: LiveServer
    owner: Api  # a trainee in the trainer's cohort, with one finished session
    other_trainee: Api
    trainer: Api  # runs the owner's cohort
    stranger_trainer: Api  # runs another cohort
    anonymous: Api
    session_id: str
    turn_id: str
    cohort_id: str
    other_cohort_id: str


@pytest.fixture(scope="module")
def world(scripted_server: LiveServer) -> Iterator[World]:
    url = scripted_server.url
    admin = Api(url).login("admin")
    stranger_name = f"st{uuid.uuid4().hex[:6]}"
    admin.post("/api/users", {"username": stranger_name, "password": PASSWORD, "role": "trainer"})
    trainer = Api(url).login("trainer")
    cohort = trainer.post("/api/cohorts", {"name": "matrix"}).json()
    invite = trainer.post(f"/api/cohorts/{cohort['id']}/invites", {}).json()
    stranger = Api(url).login(stranger_name)
    other_cohort = stranger.post("/api/cohorts", {"name": "elsewhere"}).json()
    owner = Api(url)
    name = f"o{uuid.uuid4().hex[:6]}"
    joined = owner.http.post(
        "/api/auth/register", json={"code": invite["code"], "username": name, "password": PASSWORD}
    )
    owner.csrf = joined.json()["csrf_token"]
    session = owner.start_session()
    ended = owner.post(f"/api/sessions/{session['id']}/end").json()
    analysis = owner.post("/api/classify", {"texts": ["How many sites?"]})
    assert analysis.status_code == 200
    world = World(
        server=scripted_server,
        owner=owner,
        other_trainee=Api(url).login("trainee2"),
        trainer=trainer,
        stranger_trainer=stranger,
        anonymous=Api(url),
        session_id=session["id"],
        turn_id=ended["turns"][0]["id"],
        cohort_id=cohort["id"],
        other_cohort_id=other_cohort["id"],
    )
    yield world
    for api in (admin, owner, world.other_trainee, trainer, stranger, world.anonymous):
        api.close()


def session_paths(w: World) -> list[tuple[str, str, dict[str, Any] | None]]:
    sid = w.session_id
    return [
        ("GET", f"/api/sessions/{sid}", None),
        ("POST", f"/api/sessions/{sid}/end", {}),
        ("GET", f"/api/sessions/{sid}/audit", None),
        ("GET", f"/api/exports/sessions/{sid}.json", None),
        ("GET", f"/api/exports/sessions/{sid}.csv", None),
        ("POST", f"/api/sessions/{sid}/again", {}),
        ("POST", f"/api/sessions/{sid}/retry", {"seq": 1}),
        ("PATCH", f"/api/turns/{w.turn_id}", {"label": "problem"}),
        ("POST", f"/api/turns/{w.turn_id}/comments", {"text": "hi"}),
    ]


def call(api: Api, method: str, path: str, body: dict[str, Any] | None) -> int:
    if method == "GET":
        return api.get(path).status_code
    if method == "PATCH":
        return api.patch(path, body or {}).status_code
    return api.post(path, body).status_code


def test_another_trainee_cannot_know_the_session_exists(world: World) -> None:
    for method, path, body in session_paths(world):
        assert call(world.other_trainee, method, path, body) == 404, path


def test_a_trainer_of_another_cohort_cannot_know_the_session_exists(world: World) -> None:
    for method, path, body in session_paths(world):
        assert call(world.stranger_trainer, method, path, body) == 404, path
    invite = f"/api/cohorts/{world.cohort_id}/invites"
    assert world.stranger_trainer.post(invite, {}).status_code == 404
    assert world.stranger_trainer.get(invite).status_code == 404
    analytics = f"/api/analytics?cohort={world.cohort_id}"
    assert world.stranger_trainer.get(analytics).status_code == 404


def test_anonymous_requests_are_unauthenticated(world: World) -> None:
    for method, path, body in session_paths(world):
        assert call(world.anonymous, method, path, body) == 401, path
    for path in ("/api/sessions", "/api/users", "/api/scenarios", "/api/progress", "/api/personas"):
        assert world.anonymous.get(path).status_code == 401, path
    assert world.anonymous.post("/api/classify", {"texts": ["x"]}).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/users", None),
        ("POST", "/api/users", {"username": "zz", "password": PASSWORD, "role": "admin"}),
        ("GET", "/api/cohorts", None),
        ("POST", "/api/cohorts", {"name": "mine"}),
        ("GET", "/api/analytics", None),
        ("GET", "/api/exports/sessions.json", None),
        ("GET", "/api/exports/sessions.csv", None),
        ("GET", "/api/exports/xapi.json", None),
        ("POST", "/api/scenarios", {"yaml": "id: x"}),
        ("GET", "/api/scenarios/plant-operators/source", None),
        ("POST", "/api/analyses", {"text": "Seller: hi"}),
    ],
)
def test_trainee_is_refused_trainer_routes(
    world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    assert call(world.owner, method, path, body) == 403


def test_trainer_is_refused_admin_routes(world: World) -> None:
    body = {"username": "nope1", "password": PASSWORD, "role": "admin"}
    assert world.trainer.post("/api/users", body).status_code == 403
    assert (
        world.trainer.http.put(
            f"/api/users/{uuid.uuid4()}/role",
            json={"role": "admin"},
            headers={"X-CSRF-Token": world.trainer.csrf},
        ).status_code
        == 403
    )


def test_the_cohort_trainer_and_the_owner_are_allowed(world: World) -> None:
    assert world.trainer.get(f"/api/sessions/{world.session_id}").status_code == 200
    assert world.owner.get(f"/api/sessions/{world.session_id}").status_code == 200
    assert world.owner.get("/api/progress").status_code == 200


def test_logged_out_cookie_is_dead_over_http_and_websocket(scripted_server: LiveServer) -> None:
    api = Api(scripted_server.url).login("trainee2")
    session = api.start_session()
    cookie = api.cookie
    assert api.post("/api/auth/logout").status_code == 204
    api.http.cookies.clear()
    api.http.cookies.set("spin_session", cookie.split("=", 1)[1])
    assert api.get(f"/api/sessions/{session['id']}").status_code == 401
    api.close()


async def assert_socket_refused(api: Api, session_id: str, cookie: str | None = None) -> None:
    socket = await api.socket(session_id, cookie=cookie)
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


async def test_websocket_matrix(world: World) -> None:
    active = world.owner.start_session()
    await assert_socket_refused(world.other_trainee, active["id"])
    await assert_socket_refused(world.trainer, active["id"])  # reviewers do not speak
    await assert_socket_refused(world.stranger_trainer, active["id"])
    await assert_socket_refused(world.anonymous, active["id"], cookie="spin_session=")
    logged_out = Api(world.server.url).login("trainee2")
    stale = logged_out.cookie
    logged_out.post("/api/auth/logout")
    await assert_socket_refused(logged_out, active["id"], cookie=stale)
    logged_out.close()


async def test_cross_origin_websocket_is_refused(world: World) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    active = world.owner.start_session()
    url = world.server.ws_url + f"/ws/sessions/{active['id']}"
    with pytest.raises(InvalidStatus) as refused:
        await connect(
            url, additional_headers={"Cookie": world.owner.cookie, "Origin": "https://evil.example"}
        )
    assert refused.value.response.status_code == 403
