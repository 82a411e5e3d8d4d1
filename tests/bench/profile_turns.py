"""Where a turn's time goes: plays conversations one at a time against `spin-practice serve`
(scripted voice, then the LLM voice against the fake) while py-spy samples the server, every
thread included (aiosqlite runs its statements in a thread of its own), and prints the
server's samples per turn by area (SQL driver, SQLAlchemy, JSON, websocket, SDK, classifier,
director, ...) and the app functions that hold the most time. A tool for
docs/performance.md, not part of `make bench`; it needs py-spy (PyPI) in the venv:

    .tools/bin/uv pip install -p .venv/bin/python py-spy
    .venv/bin/python tests/bench/profile_turns.py [--conversations 10 --top 30]
"""

import argparse
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.bench.bench_conversations import create_sessions, run_conversations
from tests.bench.harness import (
    Api,
    BenchServer,
    TimedFakeLlm,
    Trainee,
    bench_workdir,
    create_trainees,
    llm_env,
    log_in_all,
    pin_client,
    run_client,
    serve_fake,
)

RATE_HZ = 1000
# Areas by where the innermost frame lives (file path fragments); the first match wins.
AREAS = (
    ("sqlite driver", ("sqlite3", "aiosqlite")),
    ("postgres driver", ("psycopg",)),
    ("sqlalchemy + sqlmodel", ("sqlalchemy", "sqlmodel")),
    ("openai sdk + http", ("openai", "httpx", "httpcore", "h11", "anyio", "sniffio")),
    ("prompts (jinja2)", ("jinja2",)),
    ("websocket + asgi", ("websockets", "uvicorn", "starlette", "fastapi")),
    ("pydantic + json", ("pydantic", "json", "orjson")),
    ("classifier + reading", ("app/domain/classifier", "app/domain/reading")),
    ("director + replay", ("app/domain/director", "app/domain/call")),
    ("codec", ("app/domain/codec",)),
    ("app (other)", ("app/",)),
    ("asyncio + uvloop", ("asyncio", "uvloop")),
    ("threading", ("threading", "queue.py", "concurrent")),
)


def area_of(frame: str) -> str:
    for area, fragments in AREAS:
        if any(fragment in frame for fragment in fragments):
            return area
    return "other"


def report(raw: Path, turns: int, top: int, title: str) -> None:
    """py-spy's raw format: one line per distinct stack, `frame;frame;...;leaf COUNT`."""
    by_area: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        by_area[area_of(frames[-1])] += count
        for name in {f for f in frames if "(app/" in f}:
            inclusive[name.strip()] += count
    per_turn = 1000 / RATE_HZ / max(1, turns)  # ms of server time per sample, per turn
    print(f"\n== {title}: {turns} turns, {total * per_turn:.2f} ms sampled per turn")
    for area, count in by_area.most_common():
        print(f"  {area:<24} {count * per_turn:7.2f} ms/turn")
    print(f"-- app functions, time inside them (inclusive), top {top}")
    for name, count in inclusive.most_common(top):
        print(f"  {count * per_turn:7.2f} ms/turn  {name}")


async def play(server: BenchServer, trainees: list[Trainee], count: int) -> int:
    api = Api(server.url)
    try:
        sessions, _ = await create_sessions(api, trainees, count)
        run = await run_conversations(server, sessions, concurrency=1, turns=10)
    finally:
        await api.close()
    return len(run.turns)


def profiled_run(server: BenchServer, trainees: list[Trainee], count: int, out: Path) -> int:
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if spy is None:
        raise SystemExit("py-spy is not installed in the venv (see the docstring)")
    run_client(play(server, trainees, 2))  # warm-up: imports, caches, JIT-free but lazy paths
    command = [spy, "record", "--pid", str(server.pid), "--rate", str(RATE_HZ)]
    command += ["--format", "raw", "--output", str(out), "--gil"]  # who holds the GIL: CPU
    sampler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return run_client(play(server, trainees, count))
    finally:
        sampler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        sampler.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-llm", action="store_true")
    args = parser.parse_args()
    pin_client(True)
    with bench_workdir(keep=True) as workdir:
        server = BenchServer(workdir)
        names = create_trainees(server.database_url, 4)
        fake = TimedFakeLlm(tokens=8, delay_s=0.0)
        with serve_fake(fake):
            runs = [("scripted", dict[str, str]())]
            if not args.no_llm:
                runs.append(("llm", llm_env(fake)))
            for name, env in runs:
                server.start(env=env)
                try:
                    trainees = run_client(log_in_all(server.url, names))
                    out = workdir / f"{name}.txt"
                    turns = profiled_run(server, trainees, args.conversations, out)
                finally:
                    server.stop()
                report(out, turns, args.top, f"{name} voice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
