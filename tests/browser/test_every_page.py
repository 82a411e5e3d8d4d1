"""Every page each role can reach, in English and in Chinese: axe-core finds no accessibility
violation, and no page shows a locale key, a raw id or code, or a sentence in the other
language. Pages are found by following links, so a new page is audited as soon as it is
linked."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import run_async, sign_in
from tests.browser.page_audit import axe_violations, crawl, page_texts, problems_in
from tests.conftest import LiveServer
from tests.support.client import Api, join_new_cohort, play_and_end

MOVES = {
    "en": [
        "How many operators work on each shift?",
        "What problems do you have with keeping trained operators?",
        "How does that turnover affect your overtime costs?",
    ],
    "zh": ["你们现在每个班有多少名操作工？", "留住熟练操作工方面有什么困难吗？"],
}


@pytest.fixture(scope="module")
def programme(server: LiveServer) -> Iterator[dict[str, Any]]:
    """A cohort trainee with ended calls in both languages (one relabelled and commented),
    an unfinished call, a drill, and a scenario the trainer authored."""
    trainer = Api(server.url).login("trainer")
    trainee, username, _ = join_new_cohort(
        trainer, cohort_name="Audit cohort", username_prefix="audit-"
    )
    for language, moves in MOVES.items():
        session = trainee.start_session("plant-operators", style="driver", language=language)
        play(trainee, session["id"], moves)
    view = trainer.get(f"/api/sessions/{session['id']}").json()
    first = next(t for t in view["turns"] if t["role"] == "trainee")
    assert trainer.patch(
        f"/api/turns/{first['id']}", {"label": "other", "move": "pitch"}
    ).is_success
    assert trainer.post(f"/api/turns/{first['id']}/comments", {"text": "Good start"}).is_success
    trainee.start_session("bank-vendor", style="amiable", language="en", mode="exam")
    drill = {"scenario_id": "telecom-enterprise", "kind": "implication", "language": "zh"}
    assert trainee.post("/api/drills", drill).is_success
    source = trainer.get("/api/scenarios/plant-operators/source").json()["yaml"]
    authored = source.replace("id: plant-operators", "id: audit-copy", 1)
    assert trainer.post("/api/scenarios", {"yaml": authored}).is_success
    yield {"trainee": username, "trainer": trainer}
    trainer.close()
    trainee.close()


def play(api: Api, session_id: str, moves: list[str]) -> None:
    run_async(lambda: play_and_end(api, session_id, moves))


def audit(page: Page, server: LiveServer, start: tuple[str, ...], language: str) -> list[str]:
    found: list[str] = []
    for path in crawl(page, server.url, start):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        found += [f"{language} {path}: {p}" for p in axe_violations(page)]
        found += [f"{language} {path}: {p}" for p in problems_in(page_texts(page), language)]
    return found


def set_language(page: Page, server: LiveServer, language: str) -> None:
    csrf = page.locator("meta[name=csrf-token]").get_attribute("content") or ""
    response = page.request.put(
        f"{server.url}/api/me/language",
        data={"language": language},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.ok, response.text()


@pytest.mark.parametrize("role", ["trainee", "trainer", "admin"])
def test_every_page_is_accessible_and_in_one_language(
    page: Page, server: LiveServer, programme: dict[str, Any], role: str
) -> None:
    sign_in(page, server, programme["trainee"] if role == "trainee" else role)
    found: list[str] = []
    for language in ("en", "zh"):
        set_language(page, server, language)
        found += audit(page, server, ("/",), language)
    assert found == [], "\n".join(found)


def test_public_pages_are_accessible_and_in_one_language(page: Page, server: LiveServer) -> None:
    found: list[str] = []
    for language in ("en", "zh"):
        page.goto(f"{server.url}/lang/{language}")
        for path in ("/login", "/register?code=ABC", "/setup?token=x", "/no-such-page"):
            page.goto(server.url + path)
            found += [f"{language} {path}: {p}" for p in axe_violations(page)]
            found += [f"{language} {path}: {p}" for p in problems_in(page_texts(page), language)]
    assert found == [], "\n".join(found)


def test_a_refused_registration_is_explained_in_the_page_language(
    page: Page, server: LiveServer
) -> None:
    """The server's refusal travels as a code; the page says it in Chinese, not the server's
    English message."""
    page.goto(f"{server.url}/lang/zh")
    page.goto(f"{server.url}/register?code=NOPE-NOPE")
    page.fill("#username", "newcomer")
    page.fill("#password", "a long enough password")
    page.click("form[action='/register'] button[type=submit]")
    alert = page.locator("p.error[role=alert]")
    expect(alert).to_have_text("邀请码不存在、已用完或已过期。请向培训师索取新的邀请码。")
    expect(page.locator("#code")).to_have_value("NOPE-NOPE")  # nothing typed is lost
    expect(page.locator("#username")).to_have_value("newcomer")
