"""Nothing one user sends stalls another (issue 14, item 1): each attack of the issue, at the
largest size the limits allow, while another trainee plays a call; prints that trainee's reply
latency (move sent → `buyer_done`) per attack. Against `spin-practice serve` on a SQLite file:

    .venv/bin/python tests/bench/bench_stall.py [--seconds 20] [--pin]

Phases (each `--seconds` long, the victim playing throughout):
  baseline      no attack
  big_scenario  a trainer saves the largest valid scenario (200,000 characters, every list at
                its cap), lists scenarios and the home page without pause, and plays a call on
                the scenario at the per-call move limit
  alias_bomb    a 2 KB alias bomb, and YAML nested 1,000 deep, posted without pause
  prefix        the backtracking transcript ("Seller: hi" then 200,000 spaces) and the largest
                valid transcript (400 turns, 200,000 characters), posted without pause
  classify      six 1 MB POST /api/classify (500 moves of 2,000 characters) at a time, again
                and again
  classify_flood  six streams of those without pause, most over the rate limit
  frames        websocket frames `[`*30000 + `]`*30000 and 15 MB ones, without pause

Target (printed, not asserted): the victim's reply p99 ≤ 200 ms in every phase. The attacker's
answers are tallied by status, so the refusals (422, 429, 503, close 1009) show. The server is
not pinned by default: the worker processes take the second core, as in production.
"""

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from websockets.exceptions import ConnectionClosed

from app.adapters import migrate
from app.adapters.db import create_engine, session_factory
from app.adapters.passwords import Argon2PasswordHasher
from app.adapters.persona_files.catalog import load_catalog
from app.adapters.persona_files.scenarios import (
    MAX_FACTS,
    MAX_PROBLEMS,
    scenario_to_dict,
)
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import UserRole
from tests.bench.harness import (
    MOVES_EN,
    BenchServer,
    ErrorTally,
    Trainee,
    bench_workdir,
    emit_json,
    machine_note,
    ms_summary,
    open_socket,
    proc_stats,
    receive,
    run_client,
    running,
    show,
)
from tests.support.accounts import PASSWORD
from tests.support.paths import PERSONAS

TARGET_P99_MS = 200.0
VICTIM_PAUSE_S = 0.3  # a trainee reads the reply before the next move
MOVES_PER_CALL = 9  # under the 10-moves-per-10-s limit of a call
MAX_SCENARIO_CHARS = 200_000
# The victim, and one attacking trainer per phase: rate limits do not carry over phases.
VICTIM = "victim"


# --- the attacks' payloads ----------------------------------------------------------------


def largest_scenario(scenario_id: str) -> str:
    """A valid scenario with as many facts and problems as allowed, padded with answer
    wordings to just under the size limit: the most a trainer may make every listing and
    every move work through (all lists at their caps would be over the size limit)."""
    base = scenario_to_dict(load_catalog(PERSONAS).scenarios["plant-operators"])
    known = base["facts"]
    facts = [{**known[n % len(known)], "id": f"fact-{n}"} for n in range(MAX_FACTS)]
    problems = []
    for p in range(MAX_PROBLEMS):  # as many problems as allowed, each with its own ids
        problem = base["problems"][p % len(base["problems"])]
        implications = [
            {
                **implication,
                "id": f"i-{p}-{i}",
                "needs": [
                    {**need, "id": f"n-{p}-{i}-{k}"} for k, need in enumerate(implication["needs"])
                ],
            }
            for i, implication in enumerate(problem["implications"])
        ]
        problems.append({**problem, "id": f"p-{p}", "implications": implications})
    data = {**base, "id": scenario_id, "facts": facts, "problems": problems}
    padding = ("What happens on the night shift when the senior operator is away? " * 8)[:500]
    limit = MAX_SCENARIO_CHARS - 2000
    added: list[dict[str, Any]] = []
    text = dump(data)
    while len(text) < limit - 2 * len(padding):  # more wordings of the answers, in batches
        for n in range(max(1, (limit - len(text)) // (len(padding) + 40))):
            fact = facts[(len(added) + n) % MAX_FACTS]
            fact["answer"] = {**fact["answer"], "en": [*fact["answer"]["en"], padding]}
            added.append(fact)
        text = dump(data)
    while len(text) > limit:  # the last batch overshot: take wordings back one by one
        fact = added.pop()
        fact["answer"] = {**fact["answer"], "en": fact["answer"]["en"][:-1]}
        text = dump(data)
    return text


class PlainDumper(yaml.SafeDumper):
    """Writes every copy out (no anchors or aliases), as a trainer would type it."""

    def ignore_aliases(self, _data: object) -> bool:
        return True


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=PlainDumper, allow_unicode=True, sort_keys=False, width=1000)


def alias_bomb() -> str:
    lines = ["id: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BACKTRACKING_CALL = "Seller: hi\n" + " " * (MAX_SCENARIO_CHARS - 100) + "x"


def largest_call() -> str:
    line = "How many operators run the lines on each shift and what happens when one leaves? "
    turn = (line * 8)[:480]
    text = "".join(f"Seller: {turn}\nBuyer: {turn}\n" for _ in range(200))
    return text[: MAX_SCENARIO_CHARS - 10]


CLASSIFY_BODY = {"texts": [("How many operators run each shift? " * 60)[:2000]] * 500}


# --- accounts and the victim --------------------------------------------------------------


def attacker(phase: str) -> str:
    return f"attacker-{phase}".replace("_", "-")


def headers(who: Trainee) -> dict[str, str]:
    return {"Cookie": who.cookie, "X-CSRF-Token": who.csrf}


def create_accounts(database_url: str, phases: list[str]) -> None:
    migrate.upgrade(database_url)
    password_hash = Argon2PasswordHasher().hash(PASSWORD)
    accounts = {VICTIM: UserRole.TRAINEE} | {attacker(p): UserRole.TRAINER for p in phases}

    async def create() -> None:
        engine = create_engine(database_url)
        try:
            users = SqlUserStore(session_factory(engine))
            for name, role in accounts.items():
                await users.create(
                    username=name, password_hash=password_hash, role=role, cohort_id=None
                )
        finally:
            await engine.dispose()

    asyncio.run(create())


async def log_in(base_url: str, name: str) -> Trainee:
    """A client of its own: a login sent with another user's cookie would sign that one out."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as http:
        body = {"username": name, "password": PASSWORD}
        response = await http.post("/api/auth/login", json=body)
    response.raise_for_status()
    return Trainee(name, response.cookies["spin_session"], response.json()["csrf_token"])


@dataclass(frozen=True)
class Target:
    """Where the server listens (picklable: the attacker runs in a process of its own, so its
    own work never delays the victim's measurements in this one)."""

    url: str
    ws_url: str


async def play_call(
    target: Target,
    http: httpx.AsyncClient,
    who: Trainee,
    scenario: str,
    stop: asyncio.Event,
    *,
    errors: ErrorTally,
    replies: list[float] | None = None,
) -> None:
    """One call of up to MOVES_PER_CALL moves, each timed from send to `buyer_done` into
    `replies` (when given), then the end; refusals and failures are tallied in `errors`."""
    body = {"scenario_id": scenario, "style": "analytical", "language": "en", "mode": "coach"}
    created = await http.post("/api/sessions", json=body, headers=headers(who))
    if created.status_code != 201:
        errors.add(f"start:{created.status_code}")
        await asyncio.sleep(1)  # back off before the next try
        return
    connection = await open_socket(target.ws_url, created.json()["id"], who)
    try:
        await receive(connection)
        for move in MOVES_EN[:MOVES_PER_CALL]:
            if stop.is_set():
                break
            sent = time.perf_counter()
            message = {"type": "message", "text": move, "client_id": uuid.uuid4().hex}
            await connection.send(json.dumps(message))
            kind = await until_reply(connection)
            if kind != "buyer_done":
                errors.add(f"ws:{kind}")
                break
            if replies is not None:
                replies.append(time.perf_counter() - sent)
            await asyncio.sleep(VICTIM_PAUSE_S)  # the trainee reads the reply
        await connection.send(json.dumps({"type": "end"}))
        await until_reply(connection, wanted="scorecard")
    except (TimeoutError, ConnectionClosed) as exc:
        errors.add(type(exc).__name__)
    finally:
        await connection.close()


async def until_reply(connection: Any, wanted: str = "buyer_done") -> str:
    while True:
        frame = await receive(connection, timeout_s=60)
        kind = str(frame.get("type"))
        if kind == wanted:
            return kind
        if kind == "error":
            return f"error:{frame.get('code')}"
        if kind == "scorecard":
            return kind


# --- the attacks (each runs until `stop`, tallying the server's answers) ----------------------

Attack = Callable[
    [Target, httpx.AsyncClient, Trainee, ErrorTally, asyncio.Event], Coroutine[Any, Any, None]
]


async def post(
    http: httpx.AsyncClient, who: Trainee, path: str, body: object, tally: ErrorTally
) -> None:
    try:
        response = await http.post(path, json=body, headers=headers(who))
        tally.add(f"{path}:{response.status_code}")
    except httpx.HTTPError as exc:
        tally.add(f"{path}:{type(exc).__name__}")


async def no_attack(*_: object) -> None:
    return None


async def big_scenario(
    target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    text = largest_scenario("biggest")
    await post(http, who, "/api/scenarios", {"yaml": text}, tally)

    async def keep_listing() -> None:
        while not stop.is_set():
            for path in ("/api/scenarios", "/"):
                response = await http.get(path, headers=headers(who))
                tally.add(f"GET {path}:{response.status_code}")
            await post(http, who, "/api/scenarios", {"yaml": text}, tally)

    async def keep_playing() -> None:
        while not stop.is_set():
            await play_call(target, http, who, "biggest", stop, errors=tally)

    await asyncio.gather(keep_listing(), keep_playing())


async def yaml_bombs(
    _target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    bomb, nested = alias_bomb(), "id: " + "[" * 1000 + "]" * 1000
    while not stop.is_set():
        await post(http, who, "/api/scenarios", {"yaml": bomb}, tally)
        await post(http, who, "/api/scenarios", {"yaml": nested}, tally)


async def transcripts(
    _target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    biggest = largest_call()
    while not stop.is_set():
        await post(http, who, "/api/analyses", {"text": BACKTRACKING_CALL}, tally)
        await post(http, who, "/api/analyses", {"text": biggest}, tally)


async def bulk_classify(
    _target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        await asyncio.gather(
            *(post(http, who, "/api/classify", CLASSIFY_BODY, tally) for _ in range(6))
        )


async def classify_flood(
    _target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    """Six streams of 1 MB classify requests without pause, most of them over the limit: what
    the refusals themselves cost (reading and parsing each body)."""
    body = json.dumps(CLASSIFY_BODY).encode()
    sent = {**headers(who), "Content-Type": "application/json"}

    async def stream() -> None:
        while not stop.is_set():
            response = await http.post("/api/classify", content=body, headers=sent)
            tally.add(f"/api/classify:{response.status_code}")

    await asyncio.gather(*(stream() for _ in range(6)))


async def frames(
    target: Target, http: httpx.AsyncClient, who: Trainee, tally: ErrorTally, stop: asyncio.Event
) -> None:
    body = {"scenario_id": "plant-operators", "style": "driver", "language": "en"}
    created = await http.post("/api/sessions", json=body, headers=headers(who))
    session_id = created.json()["id"]
    while not stop.is_set():
        for frame in ("[" * 30_000 + "]" * 30_000, "x" * 15_000_000):
            try:
                connection = await open_socket(target.ws_url, session_id, who)
                await receive(connection)
                await connection.send(frame)
                reply = await receive(connection)
                tally.add(f"ws:{reply.get('code')}")
                await connection.close()
            except ConnectionClosed as exc:
                tally.add(f"ws:closed:{exc.rcvd.code if exc.rcvd else None}")


PHASES: dict[str, Attack] = {
    "baseline": no_attack,
    "big_scenario": big_scenario,
    "alias_bomb": yaml_bombs,
    "prefix": transcripts,
    "classify": bulk_classify,
    "classify_flood": classify_flood,
    "frames": frames,
}


def attacker_main(
    name: str, target: Target, who: Trainee, seconds: float, results: "mp.Queue[Any]"
) -> None:
    """The attacker's process: says when it is about to start, attacks for `seconds`, then
    sends back its tally of the server's answers."""

    async def attack() -> dict[str, int]:
        tally = ErrorTally()
        stop = asyncio.Event()
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(base_url=target.url, timeout=120.0, limits=limits) as http:
            results.put("started")
            asyncio.get_running_loop().call_later(seconds, stop.set)
            await PHASES[name](target, http, who, tally, stop)
        return tally.counts

    results.put(run_client(attack()))


@dataclass
class Phase:
    name: str
    replies: list[float] = field(default_factory=list)
    pings: list[float] = field(default_factory=list)  # ping → pong: the event loop's lag
    victim_errors: ErrorTally = field(default_factory=ErrorTally)
    attacker: dict[str, int] = field(default_factory=dict)


async def run_phase(
    target: Target, name: str, seconds: float, victim: Trainee, attacker: Trainee
) -> Phase:
    phase = Phase(name)
    context = mp.get_context("spawn")
    results: mp.Queue[Any] = context.Queue()
    child = context.Process(target=attacker_main, args=(name, target, attacker, seconds, results))
    child.start()
    assert await asyncio.to_thread(results.get, True, 120) == "started"
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=target.url, timeout=120.0) as http:

        async def victim_plays() -> None:
            while not stop.is_set():
                await play_call(
                    target,
                    http,
                    victim,
                    "plant-operators",
                    stop,
                    errors=phase.victim_errors,
                    replies=phase.replies,
                )

        playing = asyncio.create_task(victim_plays())
        probing = asyncio.create_task(probe(target, http, victim, stop, phase.pings))
        await asyncio.sleep(seconds)  # the measurement window, while the attacker attacks
        stop.set()
        await asyncio.wait_for(asyncio.gather(playing, probing), 180)
    phase.attacker = await asyncio.to_thread(results.get, True, 300)
    await asyncio.to_thread(child.join, 60)
    return phase


async def probe(
    target: Target, http: httpx.AsyncClient, who: Trainee, stop: asyncio.Event, pings: list[float]
) -> None:
    """Pings on a socket of its own, ten times a second: how long the server's event loop
    takes to answer anything at all."""
    body = {"scenario_id": "plant-operators", "style": "driver", "language": "en"}
    created = await http.post("/api/sessions", json=body, headers=headers(who))
    connection = await open_socket(target.ws_url, created.json()["id"], who)
    try:
        await receive(connection)
        while not stop.is_set():
            sent = time.perf_counter()
            await connection.send(json.dumps({"type": "ping"}))
            while (await receive(connection))["type"] != "pong":
                pass
            pings.append(time.perf_counter() - sent)
            await asyncio.sleep(0.1)  # the probe's rate
    finally:
        await connection.send(json.dumps({"type": "end"}))
        await connection.close()


def rss_mb(pid: int) -> float:
    """The server's resident memory with its worker processes."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if int(entry.name) == pid or parent == pid:
            found = proc_stats(int(entry.name))
            total += found.rss_kb if found else 0
    return round(total / 1024, 1)


def cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server process, and of its worker processes."""
    own, workers = 0.0, 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if int(entry.name) == pid or parent == pid:
            found = proc_stats(int(entry.name))
            used = found.cpu_s if found else 0.0
            own, workers = (
                (own + used, workers) if int(entry.name) == pid else (own, workers + used)
            )
    return own, workers


async def bench(server: BenchServer, phases: list[str], seconds: float) -> dict[str, Any]:
    victim = await log_in(server.url, VICTIM)
    target = Target(server.url, server.ws_url)
    figures: dict[str, Any] = {"machine": machine_note(), "target_p99_ms": TARGET_P99_MS}
    for name in phases:
        before = cpu_s(server.pid)
        phase = await run_phase(
            target, name, seconds, victim, await log_in(server.url, attacker(name))
        )
        after = cpu_s(server.pid)
        used = {
            "server_cpu_s": round(after[0] - before[0], 2),
            "workers_cpu_s": round(after[1] - before[1], 2),
        }
        summary = ms_summary(phase.replies)
        print(show(f"{name}: victim reply", summary), flush=True)
        lag = ms_summary(phase.pings)
        print(show(f"{name}: ping (loop lag)", lag), flush=True)
        print(f"  attacker: {phase.attacker}", flush=True)
        if phase.victim_errors.total:
            print(f"  victim errors: {phase.victim_errors.counts}", flush=True)
        memory = rss_mb(server.pid)
        print(f"  server + workers RSS {memory} MB; CPU {used}", flush=True)
        figures[name] = {
            "victim_reply": summary,
            "ping": lag,
            "victim_errors": phase.victim_errors.counts,
            "attacker": phase.attacker,
            "rss_mb": memory,
            **used,
            "p99_within_target": summary["p99_ms"] is not None
            and float(summary["p99_ms"] or 0) <= TARGET_P99_MS,
        }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated phases")
    parser.add_argument("--pin", action="store_true", help="pin the server to core 0")
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    args = parser.parse_args()
    phases = [p for p in args.phases.split(",") if p]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases {sorted(unknown)}")
    with bench_workdir(keep=args.keep) as workdir:
        server = BenchServer(workdir, pin=args.pin)
        create_accounts(server.database_url, phases)
        server.start()
        with running(server):
            figures = run_client(bench(server, phases, args.seconds))
            problems = [line for line in server.log_problems() if "Traceback" in line]
            figures["server_tracebacks"] = len(problems)
    emit_json(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
