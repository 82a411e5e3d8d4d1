"""SPIN Practice and one open-source peer, side by side against the same fake model (see
README.md here). The peer is cloned at run time and never committed."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.bench.bench_conversations import (  # noqa: E402
    create_sessions,
    run_conversations,
    sdk_baseline,
)
from tests.bench.harness import (  # noqa: E402
    MOVES_EN,
    Api,
    BenchServer,
    TimedFakeLlm,
    bench_workdir,
    create_trainees,
    llm_env,
    log_in_all,
    ms_summary,
    percentile,
    run_client,
    serve_fake,
)
from tests.fake_llm.server import free_port  # noqa: E402

PEER = "ai-sales-trainer-poc"
PEER_GIT = "https://github.com/jan-cogita/ai-sales-trainer-poc.git"
READY_S = 120.0


def ours(fake: TimedFakeLlm, turns: int, rounds: int) -> dict[str, Any]:
    """SPIN Practice, LLM voice, `rounds` conversations one at a time."""
    with bench_workdir() as workdir:
        server = BenchServer(workdir, env=llm_env(fake))
        names = create_trainees(server.database_url, 1)
        server.start()
        try:
            trainees = run_client(log_in_all(server.url, names))

            async def play() -> Any:
                api = Api(server.url)
                try:
                    sessions, _ = await create_sessions(api, trainees, rounds)
                    return await run_conversations(server, sessions, concurrency=1, turns=turns)
                finally:
                    await api.close()

            run = run_client(play())
        finally:
            server.stop()
    return ms_summary([t.done_s for t in run.turns])


def fetch_peer(into: Path) -> str | None:
    """Clones the peer; the reason it could not, or None."""
    git = shutil.which("git")
    if git is None:
        return "git is not installed"
    done = subprocess.run(
        [git, "clone", "--depth", "1", PEER_GIT, str(into)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )
    return None if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def install_peer(peer: Path) -> str | None:
    uv = ROOT / ".tools" / "bin" / "uv"
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": "python3"}
    steps = [[str(uv), "venv", str(peer / ".venv")]]
    steps.append([str(uv), "pip", "install", "-p", str(peer / ".venv/bin/python"), "-r"])
    steps[-1].append(str(peer / "pyproject.toml"))
    for step in steps:
        done = subprocess.run(step, cwd=peer, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            return done.stderr.strip().splitlines()[-1] if done.stderr else "install failed"
    return None


def theirs(peer: Path, fake: TimedFakeLlm, turns: int, rounds: int) -> dict[str, Any]:
    """The peer over its HTTP API: POST /chat/start, then one POST /chat/message a turn."""
    port = free_port()
    env = {**os.environ, "OPENAI_API_KEY": "bench", "OPENAI_BASE_URL": fake.url}
    env["LLM_PROVIDER"] = "openai"
    log = (peer / "server.log").open("wb")
    command = [str(peer / ".venv/bin/python"), "-m", "uvicorn", "app.main:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=peer, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    durations: list[float] = []
    try:
        with httpx.Client(base_url=base, timeout=60.0) as http:
            wait_ready(http, process)
            scenarios = http.get("/scenarios").json()
            listed = (
                scenarios.get("scenarios", scenarios) if isinstance(scenarios, dict) else scenarios
            )
            scenario_id = listed[0]["id"]
            for _ in range(rounds):
                started = http.post("/chat/start", json={"scenario_id": scenario_id})
                started.raise_for_status()
                conversation_id = started.json()["conversation"]["id"]
                for text in MOVES_EN[:turns]:
                    sent = time.perf_counter()
                    reply = http.post(
                        "/chat/message", json={"conversation_id": conversation_id, "content": text}
                    )
                    reply.raise_for_status()
                    durations.append(time.perf_counter() - sent)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    return ms_summary(durations)


def wait_ready(http: httpx.Client, process: "subprocess.Popen[bytes]") -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the peer exited; see its server.log (kept with --keep)")
        try:
            if http.get("/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # polling readiness with a deadline
    raise RuntimeError("the peer was not ready in time")


def row(name: str, summary: dict[str, Any], extra: str = "") -> str:
    if not summary.get("n"):
        return f"| {name} | – | – | – | {extra} |"
    return (
        f"| {name} | {summary['p50_ms']:.1f} ms | {summary['p99_ms']:.1f} ms | "
        f"{summary['n']} | {extra} |"
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="conversations per system")
    parser.add_argument("--keep", action="store_true", help="keep the peer's checkout")
    args = parser.parse_args()
    fake = TimedFakeLlm(tokens=8, delay_s=0.0)
    with serve_fake(fake):
        sdk = run_client(sdk_baseline(fake, 30))[1]
        spin = ours(fake, args.turns, args.rounds)
        peer_dir = Path(tempfile.mkdtemp(prefix="spin-peer-"))
        try:
            problem = fetch_peer(peer_dir / PEER)
            peer: dict[str, Any] = {}
            if problem is None:
                problem = install_peer(peer_dir / PEER)
            if problem is None:
                try:
                    peer = theirs(peer_dir / PEER, fake, args.turns, args.rounds)
                except (RuntimeError, httpx.HTTPError, KeyError, IndexError) as exc:
                    problem = f"the peer ran but failed: {exc}"
        finally:
            if not args.keep:
                shutil.rmtree(peer_dir, ignore_errors=True)
    sdk_ms = 1000 * percentile(sdk, 0.5)
    say(f"\nfake's own streamed reply through the SDK: p50 {sdk_ms:.2f} ms")
    say("\n| system | per-turn p50 | per-turn p99 | turns | note |")
    say("|---|---|---|---|---|")
    over = spin["p50_ms"] - sdk_ms if spin.get("n") else float("nan")
    say(row("SPIN Practice, LLM voice", spin, f"overhead p50 {over:.1f} ms"))
    if problem is not None:
        say(row(PEER, {}, f"not run: {problem}"))
        say(
            f"\n{PEER} could not be run here ({problem}). Only package registries are "
            "reachable from this machine; run this script where github.com is reachable "
            "for both columns."
        )
    else:
        say(row(PEER, peer, "in-memory conversations, non-streamed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
