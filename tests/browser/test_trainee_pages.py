"""A trainee in a real browser: starts calls in English and Chinese, plays them over the
websocket, ends them and reads the scorecard; XSS text stays text; the chat works on a phone;
the language switch changes the UI language."""

import json
import re

from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import LiveServer

ENGLISH_MOVES = [
    "How many operators work on each shift?",
    "What problems do you have with keeping trained operators?",
    "How does that turnover affect your overtime costs?",
]
CHINESE_MOVES = [
    "你们现在每个班有多少名操作工？",
    "留住熟练操作工方面有什么困难吗？",
    "人员流失对你们的加班成本有什么影响？",
]
XSS = "<img src=x onerror=alert(1)>"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def start_call(page: Page, *, language: str, mode: str, style: str = "analytical") -> None:
    page.check("#scenario-plant-operators")
    page.select_option("#style", style)
    page.check(f"#start-form input[name=language][value={language}]")
    page.check(f"#start-form input[name=mode][value={mode}]")
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(1)  # the buyer's opening


def say(page: Page, text: str, *, replies_before: int, with_enter: bool = False) -> None:
    page.fill("#message", text)
    expect(page.locator("#send")).to_be_enabled()
    if with_enter:
        page.press("#message", "Enter")
    else:
        page.click("#send")
    expect(page.locator("#chat-log .msg.trainee .text").last).to_have_text(text)
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(replies_before + 1)
    expect(page.locator("#typing")).to_be_hidden()


def play(page: Page, moves: list[str]) -> None:
    for i, move in enumerate(moves):
        say(page, move, replies_before=i + 1, with_enter=i == 0)


def end_call(page: Page) -> None:
    page.click("#end-call")
    expect(page.locator("#end-dialog")).to_be_visible()
    page.click("#end-confirm")
    expect(page.locator("#scorecard-link")).to_be_visible()
    page.click("#scorecard-link")
    expect(page).to_have_url(re.compile(r"/sessions/[0-9a-f-]{36}/scorecard$"))


def test_trainee_plays_an_english_coach_call_and_reads_the_scorecard(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainee")
    screenshot(page, "home")
    page.click("#start-form summary")
    page.fill("#plan", "How many operators do you have?\nHow does turnover affect overtime?")
    start_call(page, language="en", mode="coach")
    play(page, ENGLISH_MOVES)
    chips = page.locator("#chat-log .msg.trainee .chip")
    expect(chips).to_have_text(["Situation", "Problem", "Implication"])
    expect(page.locator("#mood")).to_be_visible()
    screenshot(page, "practice")
    end_call(page)
    expect(page.locator("#overall-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(page.locator("svg.chart.bars rect")).to_have_count(5)
    expect(page.locator(".discovery-map .node.found").first).to_be_visible()
    expect(page.locator(".timeline .tl.trainee")).to_have_count(3)
    expect(page.locator(".timeline .tl.l-problem .text")).to_have_text(ENGLISH_MOVES[1])
    screenshot(page, "scorecard")
    retry = page.locator("button.retry-turn").first  # a targeted retry of a weak turn
    turn_number = int(re.sub(r"\D", "", retry.inner_text()))
    seq = json.loads(retry.get_attribute("data-body") or "{}")["seq"]
    assert seq == 2 * turn_number - 1  # the trainee's n-th move, after the buyer's opening
    retry.click()
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    expect(page.locator("#chat-log .msg")).to_have_count(seq)  # replayed: every turn before it
    expect(page.locator("#send")).to_be_disabled()  # nothing typed yet
    expect(page.locator("#message")).to_be_enabled()


def test_trainee_plays_a_chinese_exam_call_with_no_live_labels(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainee")
    start_call(page, language="zh", mode="exam", style="hidden")
    play(page, CHINESE_MOVES)
    expect(page.locator("#chat-log .chip")).to_have_count(0)
    expect(page.locator("#mood")).to_have_count(0)
    assert re.search(
        r"[\u4e00-\u9fff]", page.locator("#chat-log .msg.buyer .text").last.inner_text()
    )
    end_call(page)
    expect(page.locator(".timeline .tl.trainee .chip")).to_have_count(3)
    expect(page.locator("#overall-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    page.click(".drills button >> nth=0")  # an implication drill on the same scenario
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(1)  # the buyer hands a problem over
    page.goto(f"{server.url}/progress")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Die-casting plant")  # this call, and any earlier ones
    score_chart = page.locator("section[aria-labelledby=chart-title] svg.chart.line")
    expect(score_chart.locator("circle.dot")).to_have_count(rows.count())
    screenshot(page, "progress")


def test_xss_payload_typed_as_a_move_is_shown_as_text(page: Page, server: LiveServer) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="coach")
    say(page, XSS, replies_before=1)
    expect(page.locator("#chat-log .msg.trainee .text").last).to_have_text(XSS)
    expect(page.locator("#chat-log img")).to_have_count(0)
    page.reload()
    expect(page.locator("#chat-log .msg.trainee .text").last).to_have_text(XSS)
    expect(page.locator("#chat-log img")).to_have_count(0)
    assert dialogs == []


def test_chat_works_at_a_phone_viewport(page: Page, server: LiveServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "trainee2")
    start_call(page, language="en", mode="coach")
    say(page, ENGLISH_MOVES[0], replies_before=1)
    say(page, ENGLISH_MOVES[1], replies_before=2)
    assert page.evaluate(OVERFLOW) <= 0
    box = page.locator("#send").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    screenshot(page, "practice-phone", full_page=False)
    end_call(page)
    expect(page.locator("#overall-score")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0  # the scorecard fits the phone too


def test_language_switch_changes_the_ui_language(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    screenshot(page, "login")
    sign_in(page, server, "trainee2")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#start-form button[type=submit]")).to_have_text("Start the call")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#start-form button[type=submit]")).to_have_text("开始拜访")
    expect(page.locator("nav a[href='/progress']")).to_have_text("进步")
    screenshot(page, "home-zh")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")


DRIVER_STREAK = [
    "How many operators run the lines on each shift?",
    "How many plants do you run today?",
    "Which machines are in your fleet?",
    "What controllers do your machines use?",
    "How many shifts do you run a day?",
    "How many new operators did you hire this year?",
    "How many lines does each plant have?",
    "How many supervisors work on a shift?",
]


def test_the_chat_shows_when_the_buyer_ends_the_call(page: Page, server: LiveServer) -> None:
    """Issue 14: a driver hangs up after a streak of situation questions; `buyer_done` says so
    (ends_call), the page says the buyer ended the call and takes no more moves."""
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="coach", style="driver")
    for i, move in enumerate(DRIVER_STREAK):
        if page.locator("#ended").is_visible():
            break
        say(page, move, replies_before=i + 1)
    expect(page.locator("#ended-text")).to_contain_text("The buyer has ended the call.")
    expect(page.locator("#scorecard-link")).to_be_visible()
    expect(page.locator("#message")).to_be_disabled()
    expect(page.locator("#end-call")).to_be_disabled()


def test_chat_reconnects_and_resumes_after_the_server_restarts(
    page: Page, server: LiveServer
) -> None:
    """Runs last in this module: it restarts the module's server (same port, same database),
    as a deploy or a crash would."""
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="coach")
    say(page, ENGLISH_MOVES[0], replies_before=1)
    server.stop()
    expect(page.locator("#connection")).to_have_text(re.compile(r"Connection lost|Reconnecting"))
    page.fill("#message", "Are you still there?")
    page.click("#send")  # no socket: the move waits in the log, not in the composer
    expect(page.locator("#chat-log .msg.queued .text")).to_have_text("Are you still there?")
    expect(page.locator("#message")).to_have_value("")
    server.start()
    expect(page.locator("#connection")).to_have_text("Connected", timeout=60_000)
    # re-sent by the server, not doubled, then the queued move and its reply
    expect(page.locator("#chat-log .msg")).to_have_count(5)
    expect(page.locator("#chat-log .msg.queued")).to_have_count(0)
    say(page, ENGLISH_MOVES[1], replies_before=3)
