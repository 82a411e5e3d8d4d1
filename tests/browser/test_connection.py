"""The chat tells the truth about its connection: offline when the browser goes offline, lost
when a ping goes unanswered; a move written meanwhile is queued in the log and delivered
once the socket is back; no typing indicator without a connection; the page suggests ending
the call once the buyer accepts an advance, and says "ended" after End call."""

import os
import re
import signal
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import in_thread, run_async, sign_in
from tests.browser.test_trainee_pages import ENGLISH_MOVES, end_call, say, start_call
from tests.conftest import LiveServer
from tests.routes.conftest import start_server
from tests.support.client import Api

# docs/scripts/plant-good.en.yaml: with a driver buyer the last move's advance is accepted.
ADVANCE_CALL = [
    "Good morning, thanks for making time today.",
    "How many operators run the lines on each shift at the moment?",
    "How long does it take to train a new operator to work on their own?",
    "How satisfied are you with how long it takes new operators to become productive?",
    "What happens to your output and overtime when an experienced operator leaves?",
    "How much does that cost you per year in retraining and lost production?",
    "If new operators were productive in two weeks instead of months, how would that help your"
    " supervisors?",
    "Why is it important to you to reduce that dependence on a few experts?",
]
ADVANCE_MOVE = (
    "Would you be open to a two-week pilot on one line, with your plant manager joining the review?"
)


def test_a_move_written_offline_is_queued_and_delivered_when_back_online(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="coach")
    expect(page.locator("#message")).to_be_focused()  # the call opens ready to type
    say(page, ENGLISH_MOVES[0], replies_before=1)

    page.context.set_offline(True)
    expect(page.locator("#connection")).to_have_text(re.compile("You are offline"))
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    page.fill("#message", ENGLISH_MOVES[1])
    page.press("#message", "Enter")
    queued = page.locator("#chat-log .msg.trainee.queued")
    expect(queued).to_have_count(1)
    expect(queued.locator(".text")).to_have_text(ENGLISH_MOVES[1])
    expect(queued.locator(".msg-state")).to_have_text(re.compile("Queued"))
    expect(page.locator("#message")).to_have_value("")
    expect(page.locator("#typing")).to_be_hidden()  # nobody is typing on a dead line

    page.context.set_offline(False)
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator("#chat-log .msg.outbox")).to_have_count(0)
    expect(page.locator("#chat-log .msg.trainee .text").last).to_have_text(ENGLISH_MOVES[1])
    expect(page.locator("#chat-log .msg.trainee")).to_have_count(2)  # delivered once
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(3)
    expect(page.locator("#message")).to_have_value("")
    expect(page.locator("#typing")).to_be_hidden()


def test_status_reads_ended_after_end_call(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "trainee2")
    start_call(page, language="zh", mode="exam")
    say(page, "你们现在每个班有多少名操作工？", replies_before=1)
    page.click("#end-call")
    page.click("#end-confirm")
    expect(page.locator("#connection")).to_have_text("Call ended")
    expect(page.locator("#connection")).to_have_attribute("data-state", "ended")
    expect(page.locator("#message")).to_be_disabled()


def test_the_page_suggests_ending_once_the_buyer_accepts_an_advance(
    page: Page, server: LiveServer
) -> None:
    api = Api(server.url).login("trainee2")
    session = api.start_session("plant-operators", style="driver", language="en")

    async def play() -> None:
        socket = await api.socket(session["id"])
        await socket.recv()
        for move in ADVANCE_CALL:
            await socket.say(move)
        await socket.close()

    run_async(play)
    sign_in(page, server, "trainee2")
    page.goto(f"{server.url}/practice/{session['id']}")
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator("#advance-hint")).to_be_hidden()
    say(page, ADVANCE_MOVE, replies_before=len(ADVANCE_CALL) + 1)
    expect(page.locator("#advance-hint")).to_be_visible()
    page.reload()  # the suggestion survives a reload: the session frame carries it
    expect(page.locator("#advance-hint")).to_be_visible()
    page.click("#advance-end")
    expect(page.locator("#end-dialog")).to_be_visible()
    page.click("#end-confirm")
    expect(page.locator("#advance-hint")).to_be_hidden()
    expect(page.locator("#scorecard-link")).to_be_visible()
    api.close()


@pytest.fixture(scope="module")
def quick_ping_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose chat pings every second: a frozen server is noticed at once."""
    base = tmp_path_factory.mktemp("ping")
    live: LiveServer = in_thread(
        lambda: start_server(base, "ping", chat_ping_s="1", chat_pong_timeout_s="1.5")
    )
    yield live
    live.stop()


def test_an_unanswered_ping_shows_the_connection_lost_and_it_recovers(
    page: Page, quick_ping_server: LiveServer
) -> None:
    server = quick_ping_server
    assert server.process is not None
    sign_in(page, server, "trainee")
    start_call(page, language="en", mode="coach")
    expect(page.locator("#connection")).to_have_text("Connected")
    os.kill(server.process.pid, signal.SIGSTOP)  # the socket stays open, nobody answers
    try:
        expect(page.locator("#connection")).to_have_attribute("data-state", "lost")
        expect(page.locator("#connection")).to_have_text(re.compile("Connection lost"))
        page.fill("#message", ENGLISH_MOVES[0])
        page.click("#send")
        expect(page.locator("#chat-log .msg.queued .text")).to_have_text(ENGLISH_MOVES[0])
        expect(page.locator("#typing")).to_be_hidden()
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    expect(page.locator("#connection")).to_have_text("Connected", timeout=60_000)
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(2)
    expect(page.locator("#chat-log .msg.queued")).to_have_count(0)
    end_call(page)
