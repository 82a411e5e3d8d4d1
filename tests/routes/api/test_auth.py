"""Accounts over HTTP with the real app and a real SQLite file: sign-in, CSRF, Origin,
rotation, logout, invites, roles, rate limiting, health and security headers."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.domain.accounts.access import UserRole
from app.main import create_app
from app.settings import Settings
from tests.support.accounts import PASSWORD, create_user


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    create_user(settings, "admin", UserRole.ADMIN)
    create_user(settings, "trainer", UserRole.TRAINER)
    create_user(settings, "trainee", UserRole.TRAINEE)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


def test_login_sets_httponly_cookie_and_me_works(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    me = client.get("/api/auth/me").json()
    assert me["user"]["username"] == "admin"
    assert me["user"]["role"] == "admin"


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = client.post("/api/auth/login", json={"username": "admin", "password": "nope-nope-1"})
    unknown = client.post("/api/auth/login", json={"username": "ghost", "password": "nope-nope-1"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_state_changing_request_needs_csrf_token(client: TestClient) -> None:
    csrf = login(client, "admin")
    body = {"username": "newtrainer", "password": PASSWORD, "role": "trainer"}
    refused = client.post("/api/users", json=body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    accepted = client.post("/api/users", json=body, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201
    assert accepted.json()["role"] == "trainer"


def test_cross_origin_write_is_refused(client: TestClient) -> None:
    csrf = login(client, "admin")
    response = client.post(
        "/api/cohorts",
        json={"name": "x"},
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "bad_origin"


def test_logout_invalidates_session_server_side(client: TestClient) -> None:
    csrf = login(client, "trainee")
    stolen = client.cookies.get("spin_session")
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    client.cookies.set("spin_session", stolen or "")
    assert client.get("/api/sessions").status_code == 401


def test_login_rotates_the_session(client: TestClient) -> None:
    login(client, "trainee")
    first = client.cookies.get("spin_session")
    login(client, "trainee")
    second = client.cookies.get("spin_session")
    assert first != second
    client.cookies.clear()
    client.cookies.set("spin_session", first or "")
    assert client.get("/api/sessions").status_code == 401


def test_roles_are_enforced(client: TestClient) -> None:
    csrf = login(client, "trainee")
    headers = {"X-CSRF-Token": csrf}
    assert client.get("/api/users").status_code == 403
    assert client.post("/api/cohorts", json={"name": "mine"}, headers=headers).status_code == 403
    body = {"username": "x2", "password": PASSWORD, "role": "admin"}
    assert client.post("/api/users", json=body, headers=headers).status_code == 403


def test_trainer_invites_trainee_who_joins_the_cohort(client: TestClient) -> None:
    csrf = login(client, "trainer")
    headers = {"X-CSRF-Token": csrf}
    cohort = client.post("/api/cohorts", json={"name": "Shanghai Q1"}, headers=headers).json()
    invite = client.post(
        f"/api/cohorts/{cohort['id']}/invites", json={"max_uses": 2}, headers=headers
    ).json()
    client.cookies.clear()
    joined = client.post(
        "/api/auth/register",
        json={"code": invite["code"], "username": "newbie", "password": PASSWORD},
    )
    assert joined.status_code == 200
    assert joined.json()["user"]["cohort_id"] == cohort["id"]
    client.cookies.clear()
    login(client, "trainer")
    names = [u["username"] for u in client.get("/api/users").json()]
    assert names == ["newbie"]  # trainers see only their cohorts' trainees


def test_other_trainer_cannot_invite_into_foreign_cohort(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client, "trainer")}
    cohort = client.post("/api/cohorts", json={"name": "A"}, headers=headers).json()
    client.cookies.clear()
    admin_headers = {"X-CSRF-Token": login(client, "admin")}
    body = {"username": "trainer2", "password": PASSWORD, "role": "trainer"}
    client.post("/api/users", json=body, headers=admin_headers)
    client.cookies.clear()
    other = {"X-CSRF-Token": login(client, "trainer2")}
    response = client.post(f"/api/cohorts/{cohort['id']}/invites", json={}, headers=other)
    assert response.status_code == 404


def test_short_password_is_refused_with_clear_error(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client, "admin")}
    body = {"username": "shorty", "password": "short", "role": "trainee"}
    response = client.post("/api/users", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "password" in response.json()["message"]
    assert "10 characters" in response.json()["message"]


def test_login_is_rate_limited(client: TestClient) -> None:
    for _ in range(10):
        client.post("/api/auth/login", json={"username": "trainee", "password": "wrong-pass-1"})
    response = client.post("/api/auth/login", json={"username": "trainee", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"


def test_security_headers_on_pages_and_api(client: TestClient) -> None:
    for path in ("/login", "/healthz"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_oversized_body_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login",
        content=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_pages_redirect_anonymous_users_to_login(client: TestClient) -> None:
    response = client.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_first_run_setup_link_creates_admin_once(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path_factory.mktemp("firstrun")
    settings = Settings(
        data_dir=base, database_url=f"sqlite+aiosqlite:///{base / 'db.sqlite'}", log_level="WARNING"
    )
    with TestClient(create_app(settings)) as client:
        printed = capsys.readouterr().err
        match = re.search(r"/setup\?token=([\w-]+)", printed)
        assert match, printed
        token = match.group(1)
        form = {"token": token, "username": "boss", "password": PASSWORD}
        created = client.post("/setup", data=form, follow_redirects=False)
        assert created.status_code == 303
        assert client.get("/api/auth/me").json()["user"]["role"] == "admin"
        client.cookies.clear()
        again = client.post("/setup", data=form | {"username": "boss2"}, follow_redirects=False)
        assert again.status_code == 400
    key_file = base / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_login_is_rate_limited_per_address_across_accounts(client: TestClient) -> None:
    for i in range(10):
        client.post("/api/auth/login", json={"username": f"guess{i}", "password": "wrong-pass-1"})
    response = client.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "15 minutes" in response.json()["message"]


def test_classify_api_labels_moves_in_both_languages(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client, "trainee")}
    texts = ["How many plants do you run?", "如果故障一小时内就能在线诊断，对您意味着什么？"]
    response = client.post("/api/classify", json={"texts": texts}, headers=headers)
    assert response.status_code == 200
    assert [r["label"] for r in response.json()] == ["situation", "need_payoff"]
    empty = client.post("/api/classify", json={"texts": ["  "]}, headers=headers)
    assert empty.status_code == 422
    assert empty.json()["code"] == "empty_text"
