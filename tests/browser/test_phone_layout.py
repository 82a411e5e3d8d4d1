"""Trainer pages and the chat on a phone, in English and Chinese, measured with bounding boxes:
the navigation is one line with a menu button, the desk's filters start folded, wide tables
scroll inside their card with a visible cue, Chinese table headers stay on one line, and the
chat keeps the buyer's patience and trust and the connection state on screen."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import FloatRect, Locator, Page, ViewportSize, expect

from tests.browser.conftest import run_async, screenshot, sign_in
from tests.browser.test_every_page import set_language
from tests.browser.test_trainee_pages import CHINESE_MOVES, ENGLISH_MOVES, say, start_call
from tests.conftest import LiveServer
from tests.support.client import Api, join_new_cohort, play_and_end

PHONE: ViewportSize = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Lines of an element's text: tops of its text's boxes, a new line at least 8 px lower.
LINES_JS = """el => {
  const tops = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
  }
  tops.sort((a, b) => a - b);
  return tops.filter((top, i) => i === 0 || top - tops[i - 1] >= 8).length;
}"""


@pytest.fixture(scope="module")
def cohort_data(server: LiveServer) -> Iterator[dict[str, Any]]:
    trainer = Api(server.url).login("trainer")
    trainee, username, _ = join_new_cohort(
        trainer, cohort_name="Phone cohort", username_prefix="phone-"
    )
    session = trainee.start_session("plant-operators", style="driver", language="en")
    run_async(lambda: play_and_end(trainee, session["id"], ENGLISH_MOVES))
    yield {"trainee": username}
    trainer.close()
    trainee.close()


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def on_screen(locator: Locator, *, above: float = PHONE["height"]) -> bool:
    b = box(locator)
    return b["y"] >= 0 and b["y"] + b["height"] <= above


@pytest.mark.parametrize("language", ["en", "zh"])
def test_trainer_navigation_is_one_line_with_a_menu_button(
    page: Page, server: LiveServer, language: str
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, "trainer")
    set_language(page, server, language)
    page.goto(f"{server.url}/review")
    toggle = page.locator("#menu-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#site-nav")).to_be_hidden()
    brand, menu, bar = box(page.locator(".brand")), box(toggle), box(page.locator(".topbar"))
    assert abs((brand["y"] + brand["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 4
    assert bar["height"] < 64  # one line
    assert menu["x"] + menu["width"] <= PHONE["width"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    link = page.locator("#site-nav a[href='/analytics']")
    expect(link).to_be_visible()
    assert box(link)["x"] + box(link)["width"] <= PHONE["width"]
    if language == "zh":
        screenshot(page, "phone-menu-zh", full_page=False)
    page.keyboard.press("Escape")
    expect(page.locator("#site-nav")).to_be_hidden()
    expect(toggle).to_be_focused()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_desk_filters_fold_and_wide_tables_scroll_in_their_card(
    page: Page, server: LiveServer, cohort_data: dict[str, Any], language: str
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, "trainer")
    set_language(page, server, language)
    page.goto(f"{server.url}/review")
    expect(page.locator("table.sessions-table")).to_contain_text(cohort_data["trainee"])
    expect(page.locator("#f-trainee")).to_be_hidden()  # folded on a phone
    summary = page.locator("details.filters-box > summary")
    assert box(summary)["height"] < 60
    summary.click()
    expect(page.locator("#f-trainee")).to_be_visible()

    page.goto(f"{server.url}/analytics")
    wrap = page.locator("section[aria-labelledby=trainees-title] .table-wrap")
    expect(wrap).to_have_class("table-wrap scrolls")
    assert page.evaluate(OVERFLOW) <= 0  # the page itself does not scroll sideways
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    cue = page.locator("section[aria-labelledby=trainees-title] .scroll-cue")
    expect(cue).to_be_visible()
    assert box(cue)["y"] >= box(wrap)["y"] + box(wrap)["height"] - 1  # right under the table
    expect(wrap).to_have_attribute("tabindex", "0")  # keyboard users can scroll it
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    expect(cue).to_be_hidden()  # nothing more to see
    if language == "zh":
        wrap.evaluate("el => { el.scrollLeft = 0; }")
        screenshot(page, "analytics-phone-zh", full_page=False)


def test_chinese_table_headers_stay_on_one_line(
    page: Page, server: LiveServer, cohort_data: dict[str, Any]
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, "trainer")
    set_language(page, server, "zh")
    page.goto(f"{server.url}/review")
    expect(page.locator("table.sessions-table")).to_contain_text(cohort_data["trainee"])
    checked = 0
    for path in ("/review", "/analytics"):
        page.goto(f"{server.url}{path}")
        for header in page.locator("table th").all():
            if header.inner_text().strip():
                assert header.evaluate(LINES_JS) == 1, (path, header.inner_text())
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize(("language", "moves"), [("en", ENGLISH_MOVES), ("zh", CHINESE_MOVES)])
def test_chat_keeps_the_meters_and_the_connection_on_a_phone_screen(
    page: Page, server: LiveServer, language: str, moves: list[str]
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, "trainee2")
    set_language(page, server, language)
    page.goto(f"{server.url}/")
    start_call(page, language=language, mode="coach")
    for i, move in enumerate(moves):
        say(page, move, replies_before=i + 1)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    composer_top = box(page.locator("#composer"))["y"]
    for part in ("#connection", "#mood-patience", "#mood-trust"):
        expect(page.locator(part)).to_be_visible()
        assert on_screen(page.locator(part), above=composer_top), part
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, f"practice-phone-{language}", full_page=False)
