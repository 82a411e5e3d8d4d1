"""The chat page when the buyer's LLM fails: the move is kept, the page says so in words and
offers Retry, which regenerates the reply ({"type": "retry"})."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import in_thread, sign_in
from tests.conftest import LiveServer
from tests.fake_llm.server import FakeLlm
from tests.routes.conftest import start_server


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, fake_llm_server: FakeLlm
) -> Iterator[LiveServer]:
    base = tmp_path_factory.mktemp("browser-llm")
    live: LiveServer = in_thread(
        lambda: start_server(
            base,
            "browser-llm",
            voice="llm",
            llm_base_url=fake_llm_server.url,
            llm_api_key="test",
            llm_model="fake-model",
            llm_timeout_s="2",
            llm_max_retries="0",
        )
    )
    yield live
    live.stop()


def test_llm_unavailable_shows_retry_and_retry_regenerates_the_reply(
    page: Page, server: LiveServer, fake_llm: FakeLlm
) -> None:
    sign_in(page, server, "trainee")
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/practice/"))
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(1)
    fake_llm.fail("500")
    page.fill("#message", "How many plants do you run?")
    page.click("#send")
    expect(page.locator("#chat-error")).to_be_visible()
    expect(page.locator("#chat-error-text")).to_have_text(re.compile("Your move is saved"))
    expect(page.locator("#chat-log .msg.trainee")).to_have_count(1)
    page.fill("#message", "Hello?")
    expect(page.locator("#send")).to_be_disabled()  # the reply is still owed
    fake_llm.reply("Just this site, split by part size.")  # faithful: it is stored
    page.click("#retry")
    expect(page.locator("#chat-log .msg.buyer .text").last).to_have_text(
        "Just this site, split by part size."
    )
    expect(page.locator("#chat-error")).to_be_hidden()
    expect(page.locator("#send")).to_be_enabled()
