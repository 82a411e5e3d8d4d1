"""Schemathesis against the live server's OpenAPI schema, signed in as each role: generated
requests (about 1,200 in all) must never produce a server error, and every response must
match the documented schema and status codes."""

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from app.main import create_app
from app.settings import Settings
from tests.conftest import LiveServer
from tests.support.client import Api

ROLES = ("admin", "trainer", "trainee")
EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def signed_in(scripted_server: LiveServer) -> Iterator[dict[str, dict[str, str]]]:
    clients = {role: Api(scripted_server.url).login(role) for role in ROLES}
    yield {
        role: {"Cookie": api.cookie, "X-CSRF-Token": api.csrf, "Origin": scripted_server.url}
        for role, api in clients.items()
    }
    for api in clients.values():
        api.close()


# The schema comes from the app itself (routes are registered without starting it); the
# requests go to a real server.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(data_dir=Path(tempfile.gettempdir()) / "spin-schema")).openapi()
)
fuzz = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def check(case: schemathesis.Case[Any], headers: dict[str, str], base_url: str) -> None:
    if case.path == "/api/auth/logout":
        return  # would end the shared session the other cases use
    # Business rules (an unknown invite code, a scenario that does not exist) refuse some
    # schema-valid requests by design, and pydantic leniently reads a number as a Unix time
    # in a date-time query: neither is a failure the issue asks about (no server errors,
    # responses that match the schema).
    case.call_and_validate(
        base_url=base_url,
        headers=headers,
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


@schema.parametrize()
@fuzz
def test_api_as_admin(
    case: schemathesis.Case[Any], signed_in: dict[str, dict[str, str]], scripted_server: LiveServer
) -> None:
    check(case, signed_in["admin"], scripted_server.url)


@schema.parametrize()
@fuzz
def test_api_as_trainer(
    case: schemathesis.Case[Any], signed_in: dict[str, dict[str, str]], scripted_server: LiveServer
) -> None:
    check(case, signed_in["trainer"], scripted_server.url)


@schema.parametrize()
@fuzz
def test_api_as_trainee(
    case: schemathesis.Case[Any], signed_in: dict[str, dict[str, str]], scripted_server: LiveServer
) -> None:
    check(case, signed_in["trainee"], scripted_server.url)
