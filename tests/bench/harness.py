"""Shared parts of the load, latency and crash-soak scripts: a real `spin-practice serve`
process on a temporary SQLite file, trainee accounts created once and logged in once, practice
sessions over HTTP, the practice websocket, a timed fake LLM, and percentile summaries.
Loopback only; every wait has a deadline, and servers and temp dirs are removed on exit."""

import asyncio
import contextlib
import itertools
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi.responses import Response, StreamingResponse
from websockets.asyncio.client import ClientConnection, connect

from app.adapters import migrate
from app.adapters.db import create_engine, session_factory
from app.adapters.passwords import Argon2PasswordHasher
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import UserRole
from tests.fake_llm.server import FakeLlm, Script, free_port, nodelay_listener
from tests.support.accounts import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "bench-secret-key-not-for-production"
LOOPBACK = "127.0.0.1"
READY_TIMEOUT_S = 60.0
RECV_TIMEOUT_S = 30.0
SERVER_CPU = 0  # the server gets core 0, the client core 1 (ECOSYSTEM.md §6)
CLIENT_CPU = 1
T = TypeVar("T")

# Ten moves that follow S → P → I → N on the plant-operators scenario (docs/scripts/plant-good):
# `spin-practice simulate` plays them with every style and several seeds without the buyer
# ending the call, so a conversation lasts its ten turns.
MOVES_EN = (
    "Good morning, thanks for making time today.",
    "How many operators run the lines on each shift at the moment?",
    "How long does it take to train a new operator to work on their own?",
    "How satisfied are you with how long it takes new operators to become productive?",
    "What happens to your output and overtime when an experienced operator leaves?",
    "How much does that cost you per year in retraining and lost production?",
    "If new operators were productive in two weeks instead of months, how would that help "
    "your supervisors?",
    "Why is it important to you to reduce that dependence on a few experts?",
    "Which other plants face the same turnover today?",
    "What would a faster ramp-up mean for your delivery commitments?",
)
MOVES_ZH = (
    "您好，谢谢您今天抽时间见我，最近厂里忙吗？",
    "现在每个班大概有多少名操作工？",
    "新来的操作工一般要培训多久才能独立上岗？",
    "在新人培训周期这方面，您觉得哪里最让您头疼？",
    "老师傅一走，对产量和加班会有什么影响？",
    "这样一年下来，在重新培训和产量损失上大概要花多少钱？",
    "如果新人两周就能独立操作，对您的班组长们意味着什么？",
    "减少对几位老师傅的依赖，对您来说为什么重要？",
    "其他几个工厂现在也有同样的人员流动问题吗？",
    "新人上手更快，对您的交货承诺意味着什么？",
)
STYLES = ("analytical", "driver", "amiable", "expressive")
SCENARIO = "plant-operators"


def moves_for(language: str) -> tuple[str, ...]:
    return MOVES_ZH if language == "zh" else MOVES_EN


def conversation_plan(index: int) -> tuple[str, str]:
    """(style, language) for the index-th conversation: all four styles, both languages."""
    return STYLES[index % len(STYLES)], ("en", "zh")[(index // len(STYLES)) % 2]


# --- figures -------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def ms_summary(values_s: Sequence[float]) -> dict[str, float | int | None]:
    """Count, p50, p90, p99 and max of durations given in seconds, as milliseconds (None
    when there are no values, so the JSON line stays valid JSON)."""
    if not values_s:
        return {"n": 0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "n": len(values_s),
        "p50_ms": round(percentile(values_s, 0.50) * 1000, 2),
        "p90_ms": round(percentile(values_s, 0.90) * 1000, 2),
        "p99_ms": round(percentile(values_s, 0.99) * 1000, 2),
        "max_ms": round(max(values_s) * 1000, 2),
    }


def show(label: str, summary: dict[str, float | int | None]) -> str:
    if not summary["n"]:
        return f"{label:<34} n=0"
    return (
        f"{label:<34} n={summary['n']:<6} p50 {summary['p50_ms']:>8.2f} ms   "
        f"p90 {summary['p90_ms']:>8.2f} ms   p99 {summary['p99_ms']:>8.2f} ms   "
        f"max {summary['max_ms']:>8.2f} ms"
    )


def emit_json(figures: dict[str, Any]) -> None:
    """The final line of every script: its figures as one JSON object."""
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True), flush=True)


# --- processes -----------------------------------------------------------------------------


def pin_client(enabled: bool) -> bool:
    """Pins this (client) process to core 1 when the machine has one; True if pinned."""
    if not enabled or len(os.sched_getaffinity(0)) < 2:
        return False
    os.sched_setaffinity(0, {CLIENT_CPU})
    return True


def run_client(main: Coroutine[Any, Any, T]) -> T:
    """Runs the client's event loop on uvloop when it is installed (as uvicorn does)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


@dataclass
class ProcStats:
    rss_kb: int
    peak_rss_kb: int
    cpu_s: float


def proc_stats(pid: int) -> ProcStats | None:
    """RSS, peak RSS (VmHWM) and CPU time of a live process, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = {line.split(":")[0]: line.split(":")[1].split() for line in status.splitlines()}
    ticks = os.sysconf("SC_CLK_TCK")
    after_name = stat.rsplit(")", 1)[1].split()
    cpu_s = (int(after_name[11]) + int(after_name[12])) / ticks  # utime, stime
    return ProcStats(
        rss_kb=int(fields.get("VmRSS", ["0"])[0]),
        peak_rss_kb=int(fields.get("VmHWM", ["0"])[0]),
        cpu_s=cpu_s,
    )


class BenchServer:
    """`spin-practice serve` (app/cli.py: uvicorn, websockets-sansio, one worker) on a SQLite
    file in `workdir`. The same workdir and secret survive restarts, so cookies stay valid."""

    def __init__(
        self, workdir: Path, *, env: dict[str, str] | None = None, pin: bool = True
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.ws_url = f"ws://{LOOPBACK}:{self.port}"
        self.extra_env = dict(env or {})
        self.pin = pin and shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) > 1
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.workdir / 'bench.db'}"

    @property
    def pid(self) -> int:
        assert self.process is not None, "the server is not running"
        return self.process.pid

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPIN_")}
        env.pop("DATABASE_URL", None)
        # This machine sets PYTHONDONTWRITEBYTECODE, so every start compiled ~1,500 modules
        # (10-20 s here): keep the server's bytecode in the workdir so restarts are fast.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")
        env.update(
            {
                "SPIN_DATA_DIR": str(self.workdir / "data"),
                "SPIN_DATABASE_URL": self.database_url,
                "SPIN_SECRET_KEY": SECRET_KEY,
                "SPIN_LOG_LEVEL": "WARNING",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, *, env: dict[str, str] | None = None) -> float:
        """Starts the server (with `env` replacing the extra environment, if given) and
        waits for /readyz; returns the seconds it took."""
        if env is not None:
            self.extra_env = dict(env)
        command = [sys.executable, "-m", "app.cli", "serve", "--host", LOOPBACK]
        command += ["--port", str(self.port)]
        if self.pin:
            command = ["taskset", "-c", str(SERVER_CPU), *command]
        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
            )
        self.starts += 1
        self.wait_ready()
        return time.perf_counter() - started

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/readyz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.02)  # polling readiness with a deadline
        raise RuntimeError(f"the server was not ready in {READY_TIMEOUT_S} s:\n{self.log_tail()}")

    def stats(self) -> ProcStats | None:
        return proc_stats(self.process.pid) if self.process is not None else None

    def sigkill(self) -> None:
        """SIGKILL, no warning: what a power cut or the OOM killer does to the process."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def log_problems(self) -> list[str]:
        """Lines of the server log at WARNING or above (the JSON log) and tracebacks."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        keep = ('"level": "WARNING"', '"level": "ERROR"', '"level": "CRITICAL"', "Traceback")
        return [line for line in lines if any(k in line for k in keep)]


@contextlib.contextmanager
def bench_workdir(*, keep: bool = False) -> Iterator[Path]:
    """A temporary directory for the database and logs, removed afterwards unless `keep`."""
    path = Path(tempfile.mkdtemp(prefix="spin-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"(kept {path})", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running(server: BenchServer) -> Iterator[BenchServer]:
    """Makes sure the server process is gone however the script ends."""
    try:
        yield server
    finally:
        server.stop()


# --- accounts ------------------------------------------------------------------------------


def create_trainees(database_url: str, count: int) -> list[str]:
    """Creates trainee accounts bench0..bench{count-1} directly in the database (migrating it
    first). One argon2 hash, computed once, serves them all: hashing costs ~0.3-0.6 s here."""
    migrate.upgrade(database_url)
    password_hash = Argon2PasswordHasher().hash(PASSWORD)
    names = [f"bench{i}" for i in range(count)]

    async def create() -> None:
        engine = create_engine(database_url)
        try:
            users = SqlUserStore(session_factory(engine))
            for name in names:
                await users.create(
                    username=name,
                    password_hash=password_hash,
                    role=UserRole.TRAINEE,
                    cohort_id=None,
                )
        finally:
            await engine.dispose()

    asyncio.run(create())
    return names


@dataclass(frozen=True)
class Trainee:
    username: str
    token: str
    csrf: str

    @property
    def cookie(self) -> str:
        return f"spin_session={self.token}"


async def log_in_all(
    base_url: str, usernames: Sequence[str], *, in_flight: int = 4
) -> list[Trainee]:
    """One real login per account (argon2 verify on the server): do it once, reuse the cookies."""
    gate = asyncio.Semaphore(in_flight)

    async def one(name: str) -> Trainee:
        async with gate, httpx.AsyncClient(base_url=base_url, timeout=60.0) as client:
            response = await client.post(
                "/api/auth/login", json={"username": name, "password": PASSWORD}
            )
            response.raise_for_status()
            token = response.cookies.get("spin_session")
            assert token, "the login set no session cookie"
            return Trainee(username=name, token=token, csrf=response.json()["csrf_token"])

    return list(await asyncio.gather(*(one(name) for name in usernames)))


class Api:
    """HTTP calls as a given trainee, on one shared connection pool (no cookie jar: each
    request names its trainee's cookie)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60.0, limits=limits)

    async def create_session(
        self, trainee: Trainee, *, style: str, language: str, scenario: str = SCENARIO
    ) -> str:
        body = {"scenario_id": scenario, "style": style, "language": language, "mode": "coach"}
        response = await self.http.post(
            "/api/sessions",
            json=body,
            headers={"Cookie": trainee.cookie, "X-CSRF-Token": trainee.csrf},
        )
        if response.status_code != 201:
            raise RuntimeError(f"POST /api/sessions: {response.status_code} {response.text}")
        session_id: str = response.json()["id"]
        return session_id

    async def session(self, trainee: Trainee, session_id: str) -> dict[str, Any]:
        response = await self.http.get(
            f"/api/sessions/{session_id}", headers={"Cookie": trainee.cookie}
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    async def close(self) -> None:
        await self.http.aclose()


async def open_socket(ws_url: str, session_id: str, trainee: Trainee) -> ClientConnection:
    assert ws_url.startswith(f"ws://{LOOPBACK}:"), "loopback only"
    origin = ws_url.replace("ws://", "http://")
    return await connect(
        f"{ws_url}/ws/sessions/{session_id}",
        additional_headers={"Cookie": trainee.cookie, "Origin": origin},
        open_timeout=30,
        ping_interval=None,  # the server pings; the client answers
        max_queue=None,
    )


async def receive(
    connection: ClientConnection, timeout_s: float = RECV_TIMEOUT_S
) -> dict[str, Any]:
    raw = await asyncio.wait_for(connection.recv(), timeout_s)
    frame: dict[str, Any] = json.loads(raw)
    return frame


async def gather_limited(
    factories: Sequence[Callable[[], Coroutine[Any, Any, T]]], *, in_flight: int
) -> list[T]:
    gate = asyncio.Semaphore(in_flight)

    async def one(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
        async with gate:
            return await factory()

    return list(await asyncio.gather(*(one(f) for f in factories)))


# --- the fake LLM, timed -------------------------------------------------------------------

FILLER = (" We", " run", " three", " plants", " and", " it", " is", " busy", " this", " month.")


@dataclass
class FirstChunk:
    requested_at: float  # perf_counter when the fake had parsed the request
    sent_at: float  # perf_counter when it yielded the first content chunk


class TimedFakeLlm(FakeLlm):
    """The fake OpenAI server of tests/fake_llm with two additions for latency figures: each
    reply starts with a unique marker token ("R17"), and the fake notes when it received each
    request and when it sent that first token. perf_counter is CLOCK_MONOTONIC, so a client in
    this process can subtract the fake's own first-chunk delay from what it measured."""

    def __init__(self, *, tokens: int, delay_s: float) -> None:
        super().__init__()
        self.tokens = max(1, tokens)
        self.delay_s = delay_s
        self.first: dict[str, FirstChunk] = {}
        self._numbers = itertools.count()

    def _next(self) -> Script:
        marker = f"R{next(self._numbers)}"
        words = [FILLER[i % len(FILLER)] for i in range(self.tokens - 1)]
        return Script(tokens=[marker, *words], delay_s=self.delay_s)

    def _respond(self, body: dict[str, Any], script: Script) -> Response:
        requested_at = time.perf_counter()
        self.requests.clear()  # nothing reads them here; keep memory flat
        response = super()._respond(body, script)
        if isinstance(response, StreamingResponse):
            response.body_iterator = self._timed(
                response.body_iterator, script.tokens[0], requested_at
            )
        return response

    async def _timed(
        self, chunks: AsyncIterable[Any], marker: str, requested_at: float
    ) -> AsyncIterator[Any]:
        index = 0
        async for chunk in chunks:
            if index == 1:  # chunk 0 is the empty role chunk, chunk 1 the first token
                self.first[marker] = FirstChunk(requested_at, time.perf_counter())
            index += 1
            yield chunk


@contextlib.contextmanager
def serve_fake(fake: FakeLlm, *, log_level: str = "error") -> Iterator[FakeLlm]:
    """Serves a FakeLlm (or subclass) on loopback in a thread, like serve_fake_llm()."""
    listener = nodelay_listener()
    port = int(listener.getsockname()[1])
    config = uvicorn.Config(fake.app, lifespan="off", log_level=log_level, ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake LLM server did not start")
        time.sleep(0.01)  # polling a readiness flag with a deadline
    fake.url = f"http://{LOOPBACK}:{port}/v1"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def llm_env(fake: FakeLlm, *, timeout_s: float = 10.0, retries: int = 0) -> dict[str, str]:
    return {
        "SPIN_VOICE": "llm",
        "SPIN_LLM_BASE_URL": fake.url,
        "SPIN_LLM_API_KEY": "bench",
        "SPIN_LLM_MODEL": "fake-model",
        "SPIN_LLM_TIMEOUT_S": str(timeout_s),
        "SPIN_LLM_MAX_RETRIES": str(retries),
    }


@dataclass
class ErrorTally:
    """Errors by kind ("error:too_fast", "timeout", "closed:1011", ...)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def machine_note() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
