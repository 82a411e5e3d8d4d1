"""The whole programme in a real browser, no API call made by hand (issue 15): `serve` on a
fresh database, the setup link from its console; admin → trainer; the trainer makes a cohort,
an invite link and an assignment; a trainee registers through the link, sees the assignment,
plays and ends the call; the trainer comments and relabels; the trainee sees both on the
scorecard and the unread badge clears. In English and Chinese, at desktop and phone sizes."""

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_trainee_pages import CHINESE_MOVES, ENGLISH_MOVES, OVERFLOW, end_call, say
from tests.fake_llm.server import free_port
from tests.support.paths import ROOT

PASSWORD = "a long pass phrase 42"
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
START_TIMEOUT_S = 60.0


@dataclass
class Served:
    """`spin-practice serve` as a user runs it, with its console (stderr) read line by line."""

    process: subprocess.Popen[bytes]
    url: str
    lines: "queue.Queue[str]" = field(default_factory=queue.Queue)

    def setup_link(self) -> str:
        """The first-run link, from the JSON log line the console prints (not a TTY)."""
        while True:
            line = self.lines.get(timeout=START_TIMEOUT_S)
            if "setup_url" in line:
                return str(json.loads(line)["setup_url"])


def _drain(stream: IO[bytes], into: "queue.Queue[str]", log: Path) -> None:
    with log.open("ab") as copy:
        for raw in stream:
            copy.write(raw)
            copy.flush()
            into.put(raw.decode("utf-8", "replace"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_") and k != "DATABASE_URL"}
    env |= {"SPIN_DATA_DIR": str(tmp_path / "data")}  # a fresh install: SQLite, generated key
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    running = Served(process=process, url=f"http://127.0.0.1:{port}")
    reader = threading.Thread(
        target=_drain, args=(process.stderr, running.lines, tmp_path / "serve.log"), daemon=True
    )
    reader.start()
    try:
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=15)


def wait_ready(url: str) -> None:
    with httpx.Client(timeout=5.0) as client:
        assert client.get(url + "/readyz").status_code == 200


@dataclass
class Person:
    context: BrowserContext
    page: Page
    problems: list[str]


def person(browser: Browser, *, language: str, size: str) -> Person:
    """A browser of one's own (cookies, language, screen); script errors and CSP
    violations fail the test."""
    context = browser.new_context(locale=LOCALES[language], viewport=SIZES[size])  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return Person(context, page, problems)


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("#start-form")).to_be_visible()


def picture(page: Page, name: str, *, language: str, size: str) -> None:
    """The README's pictures: English on a desktop, and Chinese on a phone."""
    if (language, size) == ("en", "desktop"):
        screenshot(page, name)
    elif (language, size) == ("zh", "phone"):
        screenshot(page, f"{name}-zh-phone")


def fits(page: Page, size: str) -> None:
    if size == "phone":
        assert page.evaluate(OVERFLOW) <= 0, page.url


def admin_creates_trainer(admin: Page, served: Served, size: str) -> None:
    link = served.setup_link()
    assert link.startswith(served.url + "/setup?token=")  # the real host and port
    wait_ready(served.url)
    admin.goto(link)
    admin.fill("#username", "admin-mei")
    admin.fill("#password", PASSWORD)
    admin.click("form[action='/setup'] button[type=submit]")
    expect(admin.locator("#start-form")).to_be_visible()
    admin.goto(f"{served.url}/admin/users")
    admin.fill("#new-username", "coach-lee")
    admin.fill("#new-password", PASSWORD)
    admin.select_option("#new-role", "trainer")
    admin.click("#create-user button[type=submit]")
    row = admin.locator("#user-rows tr", has=admin.locator("td.username", has_text="coach-lee"))
    expect(row.locator("select[name=role]")).to_have_value("trainer")
    fits(admin, size)


def trainer_makes_cohort_invite_and_assignment(
    trainer: Person, served: Served, *, language: str, size: str
) -> tuple[str, str]:
    """Returns the invite link the trainer copied and the assignment's page."""
    page = trainer.page
    sign_in(page, served.url, "coach-lee")
    page.goto(f"{served.url}/cohorts")
    page.fill("#cohort-name", "Spring cohort")
    page.click("#create-cohort button[type=submit]")
    expect(page).to_have_url(re.compile(r"/cohorts/[0-9a-f-]{36}$"))
    expect(page.locator("#cohort-title")).to_have_text("Spring cohort")
    page.fill("#invite-uses", "10")
    page.fill("#invite-days", "14")
    page.click("#create-invite button[type=submit]")
    link_field = page.locator(".invite.status-active input.invite-url")
    expect(link_field).to_have_value(re.compile(re.escape(served.url) + r"/register\?code=\w+$"))
    link = link_field.input_value()
    trainer.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
    page.click(".invite.status-active button.copy-invite")
    expect(page.locator(".invite.status-active [data-role=status]")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    page.select_option("#assign-scenario", "plant-operators")
    page.select_option("#assign-kind", "call")
    page.select_option("#assign-style", "analytical")
    page.select_option("#assign-language", language)
    page.select_option("#assign-mode", "coach")
    page.fill("#assign-due", due)
    page.fill("#assign-note", "Dig into the turnover problem.")
    page.click("#create-assignment button[type=submit]")
    assigned = page.locator(".assignments-list li a")
    expect(assigned).to_have_count(1)
    expect(assigned).to_contain_text(due)
    fits(page, size)
    picture(page, "cohort", language=language, size=size)
    href = assigned.get_attribute("href")
    assert href is not None
    return link, served.url + href


def trainee_registers_and_plays(trainee: Person, link: str, *, language: str, size: str) -> None:
    page = trainee.page
    page.goto(link)
    expect(page.locator("#code")).to_have_value(link.rsplit("=", 1)[1])  # prefilled
    page.fill("#username", "ana-trainee")
    page.fill("#password", PASSWORD)
    page.click("form[action='/register'] button[type=submit]")
    card = page.locator("#assigned li")
    expect(card).to_have_count(1)
    expect(card.locator(".badge.state-not_started")).to_be_visible()
    expect(card).to_contain_text("Dig into the turnover problem.")
    fits(page, size)
    picture(page, "assigned", language=language, size=size)
    card.locator("button.start-assignment").click()
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(1)
    moves = CHINESE_MOVES if language == "zh" else ENGLISH_MOVES
    for i, move in enumerate(moves):
        say(page, move, replies_before=i + 1)
    end_call(page)
    expect(page.locator("#overall-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    page.goto(page.url.split("/sessions/")[0] + "/")
    expect(page.locator("#assigned .badge.state-done")).to_be_visible()
    expect(page.locator("#unread-badge")).to_have_count(0)  # no feedback yet


def trainer_reviews(trainer: Person, assignment_page: str) -> None:
    page = trainer.page
    page.goto(assignment_page)
    row = page.locator(".completion-table tbody tr", has_text="ana-trainee")
    expect(row.locator(".badge.state-done")).to_be_visible()
    expect(row.locator(".score-badge")).to_have_text(re.compile(r"^\d{1,3}$"))
    page.click("#assignment-desk")
    expect(page).to_have_url(re.compile(r"/review\?assignment=[0-9a-f-]{36}$"))
    desk = page.locator("table.sessions-table tbody tr")
    expect(desk).to_have_count(1)
    expect(desk).to_contain_text("ana-trainee")
    desk.locator("a").first.click()
    first = page.locator(".rt.trainee").first
    first.locator("select[name=label]").select_option("implication")
    first.locator("form.relabel button[type=submit]").click()
    expect(first.locator(".chip.l-implication")).to_be_visible()
    first.locator("details.comment-box summary").click()
    first.locator("form.comment textarea").fill("Good opener: now ask what the turnover costs.")
    first.locator("form.comment button[type=submit]").click()
    expect(first.locator(".comments li")).to_contain_text(["now ask what the turnover costs"])


def trainee_reads_feedback(trainee: Person, home: str, *, language: str, size: str) -> None:
    page = trainee.page
    page.goto(home)
    expect(page.locator("#unread-badge")).to_have_text("2")  # a comment and a correction
    page.goto(f"{home}progress")
    expect(page.locator("#unread-badge")).to_have_text("2")
    page.locator("table tbody tr a").first.click()
    summary = page.locator("#coach-summary")
    score_change = r"得分从 \d+ 变为 \d+" if language == "zh" else r"the score changed \d+ → \d+"
    expect(summary.locator(".relabel-item")).to_have_text(re.compile(score_change))
    expect(summary.locator(".comment-item")).to_contain_text("now ask what the turnover costs")
    turn = page.locator(".timeline .tl.trainee").first
    expect(turn.locator(".chip.l-implication")).to_be_visible()
    expect(turn.locator(".relabel-note")).to_have_text(re.compile(score_change))
    expect(turn.locator(".coach-comments li.coach")).to_contain_text("now ask")
    turn.locator("details.reply-box summary").click()
    turn.locator("form.reply textarea").fill("Thanks, I will ask about overtime next time.")
    turn.locator("form.reply button[type=submit]").click()
    expect(turn.locator(".coach-comments li.mine")).to_contain_text("overtime next time")
    fits(page, size)
    picture(page, "coach-feedback", language=language, size=size)
    page.goto(home)
    expect(page.locator("#unread-badge")).to_have_count(0)  # read
    page.goto(f"{home}progress")
    expect(page.locator("#unread-badge")).to_have_count(0)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", list(LOCALES))
def test_programme_runs_from_the_pages_from_first_run_to_feedback(
    browser: Browser, served: Served, language: str, size: str
) -> None:
    admin, trainer, trainee = (person(browser, language=language, size=size) for _ in range(3))
    try:
        admin_creates_trainer(admin.page, served, size)
        expect(admin.page.locator("html")).to_have_attribute(
            "lang", "zh-CN" if language == "zh" else "en"
        )
        link, assignment_page = trainer_makes_cohort_invite_and_assignment(
            trainer, served, language=language, size=size
        )
        trainee_registers_and_plays(trainee, link, language=language, size=size)
        trainer_reviews(trainer, assignment_page)
        trainee_reads_feedback(trainee, served.url + "/", language=language, size=size)
        for someone in (admin, trainer, trainee):
            assert someone.problems == []
    finally:
        for someone in (admin, trainer, trainee):
            someone.context.close()
