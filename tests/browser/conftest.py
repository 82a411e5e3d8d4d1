"""Browser tests: Playwright (sync API, pytest-playwright's `page` fixture) driving Debian's
Chromium (never downloaded: `executable_path`) against a real uvicorn server with the
scripted buyer, one server per test module (ECOSYSTEM.md §3)."""

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.routes.conftest import start_server
from tests.support.accounts import PASSWORD
from tests.support.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The README's pictures are refreshed on request (`SPIN_UPDATE_SCREENSHOTS=1 make test`);
# otherwise they go to a scratch folder, so a test run leaves the work tree as it was.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("SPIN_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "spin-screenshots"
)
T = TypeVar("T")

# A loaded CI machine streams slower than a laptop; auto-waiting assertions wait this long.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            "Chromium is missing: apt-get install -y --no-install-recommends chromium "
            "(never `playwright install`)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    base = tmp_path_factory.mktemp("browser")
    # start_server creates the users with asyncio.run: not on Playwright's thread.
    live: LiveServer = in_thread(lambda: start_server(base, "browser"))
    yield live
    live.stop()


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Fails the test on an uncaught script error or a Content-Security-Policy violation
    (an inline script or style attribute that slipped into a template)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(20_000)
    yield page
    assert problems == []


def sign_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("#start-form")).to_be_visible()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """NAME.png in SCREENSHOTS (docs/screenshots/ when updating the README's pictures)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def in_thread(work: Callable[[], T]) -> T:
    """Playwright's sync API runs an event loop on the test thread, so anything that calls
    asyncio.run (creating users, a websocket client) runs on a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return in_thread(lambda: asyncio.run(factory()))
