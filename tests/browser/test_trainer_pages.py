"""A trainer in a real browser: the review desk lists a cohort trainee's call; on the
transcript the trainer changes a label, sees the score recomputed and the correction marked
with the original label, and comments on a turn."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import run_async, screenshot, sign_in
from tests.conftest import LiveServer
from tests.support.accounts import PASSWORD
from tests.support.client import Api, join_new_cohort, play_and_end

MOVES = [
    "How many operators work on each shift?",
    "What problems do you have with keeping trained operators?",
    "How does that turnover affect your overtime costs?",
]


@pytest.fixture(scope="module")
def reviewed_call(server: LiveServer) -> Iterator[dict[str, Any]]:
    """The trainer's cohort, a trainee who joined it with an invite, and one ended call."""
    trainer = Api(server.url).login("trainer")
    trainee, username, _ = join_new_cohort(
        trainer, cohort_name="Browser cohort", username_prefix="cohort-"
    )
    session = trainee.start_session("plant-operators", style="driver", language="en")
    run_async(lambda: play_and_end(trainee, session["id"], MOVES))
    yield {"id": session["id"], "trainee": username}
    trainer.close()
    trainee.close()


def test_trainer_changes_a_label_and_sees_the_score_change(
    page: Page, server: LiveServer, reviewed_call: dict[str, Any]
) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#username", "trainer")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(f"{server.url}/review")
    row = page.locator("table.sessions-table tbody tr", has_text=reviewed_call["trainee"])
    expect(row).to_have_count(1)
    page.click("table.sessions-table thead a.sort >> nth=5")  # sort by score
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    screenshot(page, "review-desk")
    page.select_option("#f-language", "zh")  # the call was in English
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"language=zh"))
    expect(page.locator("table.sessions-table")).to_have_count(0)
    page.click("form.filters a.button")  # reset
    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(rf"/review/{reviewed_call['id']}$"))

    first = page.locator(".rt.trainee").first
    expect(first.locator(".chip")).to_have_text("Situation")
    before = page.locator("#overall-score").inner_text()
    first.locator("select[name=label]").select_option("implication")
    first.locator("form.relabel button[type=submit]").click()
    expect(first.locator(".chip")).to_have_text("Implication")
    expect(page.locator("#score-note")).to_contain_text(before)
    expect(page.locator("#overall-score")).not_to_have_text(before)
    expect(first.locator(".corrected")).to_have_text(
        re.compile(r"Corrected by trainer \(originally Situation\)")
    )

    first.locator("details.comment-box summary").click()
    first.locator("form.comment textarea").fill("Good opener; ask about the rota next.")
    first.locator("form.comment button[type=submit]").click()
    expect(first.locator(".comments li")).to_contain_text(["Good opener; ask about the rota next."])

    page.reload()  # the override and the comment are stored, with who made them
    expect(first.locator(".chip")).to_have_text("Implication")
    expect(first.locator(".corrected")).to_contain_text(
        "Corrected by trainer (originally Situation)"
    )
    expect(first.locator(".comments li")).to_contain_text(["trainer"])
    screenshot(page, "review-transcript")


def test_trainee_cannot_open_the_review_desk(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "trainee")
    expect(page.locator("nav a[href='/review']")).to_have_count(0)
    response = page.goto(f"{server.url}/review")
    assert response is not None
    assert response.status == 403


def test_admin_sees_the_users_page_and_the_review_desk(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "admin")
    expect(page.locator("nav a[href='/review']")).to_be_visible()
    page.click("nav a[href='/admin/users']")
    expect(page.locator("#user-rows")).to_contain_text("trainee2")
    screenshot(page, "admin-users")
