"""What `serve` prints: the first-run link with the host and port people open, as a banner
for a person at a terminal or as a JSON log line otherwise (issue 15 item 5)."""

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app, public_origin
from app.settings import Settings


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """create_app points the root logger at this test's captured stderr: put it back, so
    later tests do not log into a closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def fresh(tmp_path: Path, **extra: object) -> Settings:
    base: dict[str, object] = {
        "data_dir": tmp_path,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}",
    }
    return Settings.model_validate(base | extra)


def test_the_setup_link_is_a_banner_in_text_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = fresh(tmp_path, log_format="text", host="127.0.0.1", port=18800)
    with TestClient(create_app(settings)):
        printed = capsys.readouterr().err
    assert re.search(
        r"First run: create the admin account at\n\s+http://127\.0\.0\.1:18800/setup\?token=[\w-]+\n",
        printed,
    )
    assert "{" not in printed.split("First run")[0]  # no JSON before it


def test_the_setup_link_is_a_json_line_with_its_own_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = fresh(tmp_path, log_format="json", port=18801, log_level="ERROR")
    with TestClient(create_app(settings)):
        lines = capsys.readouterr().err.strip().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is JSON
    links = [e["setup_url"] for e in entries if "setup_url" in e]
    assert len(links) == 1
    assert re.fullmatch(r"http://127\.0\.0\.1:18801/setup\?token=[\w-]+", links[0])


def test_text_logs_are_plain_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = fresh(tmp_path, log_format="text")
    with TestClient(create_app(settings)):
        logging.getLogger("app.test").warning("hello %s", "there")
    printed = capsys.readouterr().err
    assert re.search(r"^\d\d:\d\d:\d\d WARNING app\.test: hello there$", printed, re.MULTILINE)


def test_links_use_the_address_people_open() -> None:
    assert public_origin(Settings(host="0.0.0.0", port=9000)) == "http://127.0.0.1:9000"
    assert public_origin(Settings(host="::1", port=9000)) == "http://[::1]:9000"
    assert public_origin(Settings(public_origin="https://spin.example.com/")) == (
        "https://spin.example.com"
    )
