"""Drills and retries say their goal at the top of the chat; a trainee discards an unfinished
call from the home page after confirming; a trainer's real-call analyses are kept, listed and
reopened."""

import re

from playwright.sync_api import Page, expect

from app.adapters.persona_files.catalog import load_catalog
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_trainee_pages import ENGLISH_MOVES, end_call, play, start_call
from tests.browser.test_trainer_tools import ENGLISH_CALL
from tests.conftest import LiveServer
from tests.support.paths import PERSONAS


def test_a_drill_states_its_goal_in_the_chat(page: Page, server: LiveServer) -> None:
    problem = load_catalog(PERSONAS).scenarios["bank-vendor"].problems[1]
    sign_in(page, server, "trainee")
    page.select_option("#drill-scenario", "bank-vendor")
    page.select_option("#drill-problem", problem.id)
    page.check("#drill-form input[name=kind][value=implication]")
    page.check("#drill-form input[name=language][value=en]")
    page.click("#drill-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    goal = page.locator("#call-goal")
    expect(goal).to_contain_text("Drill:")
    expect(goal).to_contain_text(f"ask three implication questions about “{problem.title.en}”")


def test_a_retry_states_the_turn_and_a_question_to_try(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "trainee2")
    start_call(page, language="en", mode="coach")
    play(page, ENGLISH_MOVES)
    end_call(page)
    tip = page.locator(".coaching li").filter(has=page.locator("button.retry-turn")).first
    better = tip.locator(".better q").inner_text()
    turn = int(re.sub(r"\D", "", tip.locator("button.retry-turn").inner_text()))
    tip.locator("button.retry-turn").click()
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    goal = page.locator("#call-goal")
    expect(goal).to_contain_text(f"Retry from turn {turn}:")
    expect(goal.locator("q")).to_have_text(better)
    expect(goal.locator("q")).to_have_attribute("lang", "en")


def test_a_trainee_discards_an_unfinished_call_after_confirming(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="exam")
    call_url = page.url
    page.goto(f"{server.url}/")
    row = page.locator("#resume-title + .sessions li").filter(
        has=page.locator(f"a[href='{call_url.removeprefix(server.url)}']")
    )
    expect(row).to_have_count(1)
    row.locator("button.discard-call").click()
    expect(page.locator("#discard-dialog")).to_be_visible()
    page.click("#discard-dialog button[value=cancel]")  # changed their mind: nothing happens
    expect(row).to_have_count(1)
    row.locator("button.discard-call").click()
    page.click("#discard-confirm")
    expect(row).to_have_count(0)
    expect(page.locator("#discard-status")).to_have_text("The call was discarded.")
    page.goto(call_url)
    expect(page.locator("h1")).to_have_text("Something went wrong")  # gone for good


def test_real_call_analyses_are_kept_listed_and_reopened(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "trainer")
    page.click("nav a[href='/analyses']")
    expect(page).to_have_url(re.compile(r"/analyses$"))
    page.click("#new-analysis")
    page.fill("#analysis-name", "Plant call, March")
    page.fill("#transcript", ENGLISH_CALL)
    page.click("#analyse")
    expect(page.locator("#analysis-result")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/analyses/[0-9a-f-]{36}$"))
    score = page.locator("#analysis-overall").inner_text()
    page.goto(f"{server.url}/analyses")
    row = page.locator(".analyses-table tbody tr", has_text="Plant call, March")
    expect(row).to_have_count(1)
    expect(row.locator(".score-badge")).to_have_text(score)
    screenshot(page, "analyses")
    row.locator("a").click()
    expect(page.locator("h1")).to_have_text("Plant call, March")
    expect(page.locator("#analysis-result")).to_be_visible()
    expect(page.locator("#analysis-overall")).to_have_text(score)
    expect(page.locator("#analysis-turns li")).to_have_count(5)
    expect(page.locator("#analysis-turns .chip")).to_have_text(
        ["Situation", "Problem", "Implication"]
    )
