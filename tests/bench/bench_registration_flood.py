"""Registration cannot be used to stall sign-in (issue 14 item 3).

    .venv/bin/python tests/bench/bench_registration_flood.py

Against a live server: a trainee's sign-in latency alone, then while 60 registrations with a
bogus invite code arrive at once from one address. Before the fix each registration hashed
its password (argon2, two at a time) before looking at the code, so a legitimate sign-in
queued behind them (0.6 s → 17 s measured). Now the code is checked first and the address is
limited, so the flood costs no hashing. Prints p50 and max of each, and how the flood's
requests were answered. Target: the sign-in under flood within 2x of the baseline.
"""

import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.routes.conftest import start_server  # noqa: E402  (after the path is set)
from tests.support.accounts import PASSWORD  # noqa: E402

FLOOD = 60
SIGN_INS = 5


async def sign_in(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    response = await client.post(
        "/api/auth/login", json={"username": "trainee", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return time.perf_counter() - started


async def bogus_registration(client: httpx.AsyncClient, i: int) -> str:
    body = {"code": f"bogus{i:04d}", "username": f"flood{i:04d}", "password": "a long password 1"}
    response = await client.post("/api/auth/register", json=body)
    return str(response.json().get("code", response.status_code))


async def measure(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120.0) as client:
        alone = [await sign_in(client) for _ in range(SIGN_INS)]
        flood = [asyncio.create_task(bogus_registration(client, i)) for i in range(FLOOD)]
        under = [await sign_in(client) for _ in range(SIGN_INS)]
        answers = Counter(await asyncio.gather(*flood))
    print(f"sign-in alone:        p50 {statistics.median(alone):.3f} s  max {max(alone):.3f} s")
    print(f"sign-in under flood:  p50 {statistics.median(under):.3f} s  max {max(under):.3f} s")
    print(f"{FLOOD} bogus registrations answered: {dict(answers)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as base:
        server = start_server(Path(base), "flood")
        try:
            asyncio.run(measure(server.url))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
