"""Per-turn latency and throughput of whole conversations over the real websocket (issue 3,
part 8), against `spin-practice serve` on a SQLite file:

    .venv/bin/python tests/bench/bench_conversations.py [--conversations 200 --concurrency 50]

1. Scripted voice, one conversation at a time: the unloaded per-turn overhead.
2. Scripted voice, 200 ten-turn conversations, 50 at a time: per-turn latency (message sent →
   `turn` ack, and → `buyer_done`), turns per second, server CPU per turn.
3. LLM voice against the fake OpenAI server at 0 ms and 200 ms per token: time to the first
   `buyer_delta` and to `buyer_done`, and the first-token overhead: our time to first token
   minus the fake's own first-chunk delay (request received → first token sent).
4. Overhead, not totals (issue 16): the openai SDK streams the same replies from the same fake
   in this process, one at a time, so the fake's own time is measured in the same run; the
   per-turn overhead is our message → buyer_done minus that SDK time (p50), and for the
   scripted voice it is message → buyer_done itself. Printed with the server's CPU per turn.

Targets (printed, not asserted): overhead p50 ≤ 5 ms, p99 ≤ 20 ms; first-token overhead ≤ 3 ms.
The server's rate limit (10 moves per 10 s per session) is left at its default: a ten-move
conversation fits in it. Server pinned to core 0, this client to core 1 (--no-pin to share).
"""

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed

from app.adapters.openai_chat import OpenAIChatModel
from app.services.ports import ChatMessage
from tests.bench.harness import (
    Api,
    BenchServer,
    ErrorTally,
    FirstChunk,
    TimedFakeLlm,
    Trainee,
    bench_workdir,
    conversation_plan,
    create_trainees,
    emit_json,
    gather_limited,
    llm_env,
    log_in_all,
    machine_note,
    moves_for,
    ms_summary,
    open_socket,
    percentile,
    pin_client,
    receive,
    run_client,
    running,
    serve_fake,
    show,
)


@dataclass
class TurnTiming:
    sent_at: float
    ack_s: float
    done_s: float
    first_delta_at: float | None = None
    marker: str | None = None
    number: int = 0  # the move's place in its conversation, from 1


@dataclass
class Run:
    turns: list[TurnTiming] = field(default_factory=list)
    errors: ErrorTally = field(default_factory=ErrorTally)
    ended_by_buyer: int = 0
    conversations: int = 0
    elapsed_s: float = 0.0
    server_cpu_s: float = 0.0


async def play(
    ws_url: str, trainee: Trainee, session_id: str, moves: Sequence[str], run: Run
) -> None:
    """One conversation: connect, read the session frame, then each move waits for its reply."""
    try:
        connection = await open_socket(ws_url, session_id, trainee)
    except (OSError, ConnectionClosed, TimeoutError) as exc:
        run.errors.add(f"connect:{type(exc).__name__}")
        return
    try:
        hello = await receive(connection)
        if hello.get("type") != "session":
            run.errors.add(f"first_frame:{hello.get('type')}")
            return
        for number, text in enumerate(moves, start=1):
            message = {"type": "message", "text": text, "client_id": uuid.uuid4().hex}
            sent_at = time.perf_counter()
            await connection.send(json.dumps(message, ensure_ascii=False))
            timing = await read_reply(connection, sent_at, run)
            if timing is None:
                return
            timing.number = number
            run.turns.append(timing)
        run.conversations += 1
    except TimeoutError:
        run.errors.add("timeout")
    except ConnectionClosed as exc:
        run.errors.add(f"closed:{exc.rcvd.code if exc.rcvd else 'none'}")
    finally:
        await connection.close()


async def read_reply(connection: Any, sent_at: float, run: Run) -> TurnTiming | None:
    ack_at: float | None = None
    first_at: float | None = None
    marker: str | None = None
    while True:
        frame = await receive(connection)
        now = time.perf_counter()
        kind = frame.get("type")
        if kind == "turn":
            ack_at = now
        elif kind == "buyer_delta" and first_at is None:
            first_at, marker = now, str(frame.get("delta", "")).strip()
        elif kind == "buyer_done":
            if ack_at is None:
                run.errors.add("done_before_ack")
                return None
            return TurnTiming(sent_at, ack_at - sent_at, now - sent_at, first_at, marker)
        elif kind == "scorecard":  # the buyer ended the call (style rules): not an error
            run.ended_by_buyer += 1
            return None
        elif kind == "error":
            run.errors.add(f"error:{frame.get('code')}")
            return None


async def create_sessions(
    api: Api, trainees: Sequence[Trainee], count: int
) -> tuple[list[tuple[Trainee, str, str]], list[float]]:
    """(trainee, session id, language) for `count` conversations, and each POST's duration."""
    durations: list[float] = []

    def factory(index: int) -> Any:
        async def create() -> tuple[Trainee, str, str]:
            style, language = conversation_plan(index)
            trainee = trainees[index % len(trainees)]
            started = time.perf_counter()
            session_id = await api.create_session(trainee, style=style, language=language)
            durations.append(time.perf_counter() - started)
            return trainee, session_id, language

        return create

    made = await gather_limited([factory(i) for i in range(count)], in_flight=8)
    return made, durations


async def run_conversations(
    server: BenchServer,
    sessions: Sequence[tuple[Trainee, str, str]],
    *,
    concurrency: int,
    turns: int,
) -> Run:
    run = Run()
    before = server.stats()
    started = time.perf_counter()

    def factory(trainee: Trainee, session_id: str, language: str) -> Any:
        return lambda: play(server.ws_url, trainee, session_id, moves_for(language)[:turns], run)

    await gather_limited([factory(*s) for s in sessions], in_flight=concurrency)
    run.elapsed_s = time.perf_counter() - started
    after = server.stats()
    if before is not None and after is not None:
        run.server_cpu_s = after.cpu_s - before.cpu_s
    return run


def scripted_figures(name: str, run: Run) -> dict[str, Any]:
    count = len(run.turns)
    figures: dict[str, Any] = {
        "turns": count,
        "conversations_completed": run.conversations,
        "ended_by_buyer": run.ended_by_buyer,
        "errors": run.errors.total,
        "error_kinds": run.errors.counts,
        "elapsed_s": round(run.elapsed_s, 2),
        "turns_per_s": round(count / run.elapsed_s, 1) if run.elapsed_s else 0.0,
        "server_cpu_ms_per_turn": round(1000 * run.server_cpu_s / count, 2) if count else None,
        "to_ack": ms_summary([t.ack_s for t in run.turns]),
        "to_done": ms_summary([t.done_s for t in run.turns]),
    }
    print(f"\n[{name}]")
    print(show("message → turn ack", figures["to_ack"]))
    print(show("message → buyer_done (overhead)", figures["to_done"]))
    by_number = sorted({t.number for t in run.turns})
    figures["to_done_p50_ms_by_move_number"] = {
        str(n): ms_summary([t.done_s for t in run.turns if t.number == n])["p50_ms"]
        for n in by_number
    }
    print(
        "p50 to buyer_done by move number: "
        + ", ".join(f"{n}: {v}" for n, v in figures["to_done_p50_ms_by_move_number"].items())
    )
    print(
        overhead_line(
            "OVERHEAD per turn", [t.done_s for t in run.turns], figures["server_cpu_ms_per_turn"]
        )
    )
    print(
        f"turns {count}, {figures['turns_per_s']} turns/s over {figures['elapsed_s']} s, "
        f"server CPU {figures['server_cpu_ms_per_turn']} ms/turn, "
        f"errors {run.errors.total} {run.errors.counts or ''}, "
        f"calls ended by the buyer {run.ended_by_buyer}"
    )
    return figures


async def sdk_baseline(fake: TimedFakeLlm, count: int) -> tuple[list[float], list[float]]:
    """The fake's own time as a client sees it: the server's own SDK adapter (openai SDK)
    streams `count` replies one at a time; (request → first delta, request → last delta)."""
    chat = OpenAIChatModel(
        base_url=fake.url, api_key="bench", model="fake-model", timeout_s=10.0, max_retries=0
    )
    firsts: list[float] = []
    totals: list[float] = []
    messages = [ChatMessage(role="user", content="How many operators run each shift?")]
    try:
        for _ in range(count):
            started = time.perf_counter()
            first: float | None = None
            async for _delta in chat.stream(messages, temperature=0.7, max_tokens=120):
                if first is None:
                    first = time.perf_counter() - started
            totals.append(time.perf_counter() - started)
            firsts.append(first if first is not None else totals[-1])
    finally:
        await chat.close()
    return firsts, totals


def overhead_line(label: str, values_s: Sequence[float], cpu_ms: float | None) -> str:
    summary = ms_summary(values_s)
    if not summary["n"]:
        return f"{label:<34} n=0"
    return (
        f"{label:<34} p50 {summary['p50_ms']:>7.2f} ms   p99 {summary['p99_ms']:>7.2f} ms   "
        f"server CPU {cpu_ms if cpu_ms is not None else float('nan'):>6.2f} ms/turn"
    )


def llm_figures(
    name: str, run: Run, fake: TimedFakeLlm, sdk: tuple[list[float], list[float]]
) -> dict[str, Any]:
    ttft: list[float] = []
    own: list[float] = []
    overhead: list[float] = []
    before_llm: list[float] = []
    after_llm: list[float] = []
    unmatched = 0
    for turn in run.turns:
        if turn.first_delta_at is None or turn.marker is None:
            unmatched += 1
            continue
        chunk: FirstChunk | None = fake.first.get(turn.marker)
        if chunk is None:
            unmatched += 1
            continue
        first_s = turn.first_delta_at - turn.sent_at
        fake_s = chunk.sent_at - chunk.requested_at
        ttft.append(first_s)
        own.append(fake_s)
        overhead.append(first_s - fake_s)
        before_llm.append(chunk.requested_at - turn.sent_at)
        after_llm.append(turn.first_delta_at - chunk.sent_at)
    figures: dict[str, Any] = {
        "turns": len(run.turns),
        "errors": run.errors.total,
        "error_kinds": run.errors.counts,
        "ended_by_buyer": run.ended_by_buyer,
        "unmatched_first_tokens": unmatched,
        "elapsed_s": round(run.elapsed_s, 2),
        "to_ack": ms_summary([t.ack_s for t in run.turns]),
        "to_first_token": ms_summary(ttft),
        "fake_first_chunk_delay": ms_summary(own),
        "first_token_overhead": ms_summary(overhead),
        "message_to_llm_request": ms_summary(before_llm),
        "llm_first_chunk_to_client": ms_summary(after_llm),
        "to_done": ms_summary([t.done_s for t in run.turns]),
        "server_cpu_ms_per_turn": round(1000 * run.server_cpu_s / len(run.turns), 2)
        if run.turns
        else None,
    }
    sdk_total = percentile(sdk[1], 0.5) if sdk[1] else 0.0
    figures["sdk_first_chunk"] = ms_summary(sdk[0])
    figures["sdk_whole_reply"] = ms_summary(sdk[1])
    figures["turn_overhead"] = ms_summary([t.done_s - sdk_total for t in run.turns])
    print(f"\n[{name}]")
    print(show("SDK alone: request → first chunk", figures["sdk_first_chunk"]))
    print(show("SDK alone: request → last chunk", figures["sdk_whole_reply"]))
    print(show("message → turn ack", figures["to_ack"]))
    print(show("message → first buyer_delta", figures["to_first_token"]))
    print(show("fake's own first-chunk delay", figures["fake_first_chunk_delay"]))
    print(show("first-token overhead (ours)", figures["first_token_overhead"]))
    print(show("  of which message → LLM request", figures["message_to_llm_request"]))
    print(show("  of which LLM chunk → client", figures["llm_first_chunk_to_client"]))
    print(show("message → buyer_done", figures["to_done"]))
    print(
        f"turns {len(run.turns)}, errors {run.errors.total} {run.errors.counts or ''}, "
        f"server CPU {figures['server_cpu_ms_per_turn']} ms/turn, unmatched {unmatched}"
    )
    cpu = figures["server_cpu_ms_per_turn"]
    overhead = [t.done_s - sdk_total for t in run.turns]
    print(overhead_line("OVERHEAD per turn (minus SDK p50)", overhead, cpu))
    print(overhead_line("OVERHEAD first token", overhead_first(run, fake), cpu))
    return figures


def overhead_first(run: Run, fake: TimedFakeLlm) -> list[float]:
    """Our first buyer_delta minus the fake's first chunk, per matched turn."""
    values = []
    for turn in run.turns:
        chunk = fake.first.get(turn.marker or "")
        if turn.first_delta_at is not None and chunk is not None:
            values.append(turn.first_delta_at - turn.sent_at - (chunk.sent_at - chunk.requested_at))
    return values


async def scripted_phase(
    server: BenchServer, trainees: Sequence[Trainee], args: argparse.Namespace
) -> dict[str, Any]:
    api = Api(server.url)
    try:
        warm, _ = await create_sessions(api, trainees, 4)
        await run_conversations(server, warm, concurrency=4, turns=args.turns)  # warm-up
        sequential, _ = await create_sessions(api, trainees, args.sequential)
        alone = await run_conversations(server, sequential, concurrency=1, turns=args.turns)
        loaded_sessions, creation = await create_sessions(api, trainees, args.conversations)
        loaded = await run_conversations(
            server, loaded_sessions, concurrency=args.concurrency, turns=args.turns
        )
    finally:
        await api.close()
    print(show("\nPOST /api/sessions (8 in flight)", ms_summary(creation)))
    return {
        "session_create": ms_summary(creation),
        "one_at_a_time": scripted_figures(
            f"scripted voice, {args.sequential} conversations one at a time", alone
        ),
        "concurrent": scripted_figures(
            f"scripted voice, {args.conversations} conversations, {args.concurrency} at a time",
            loaded,
        ),
    }


async def llm_phase(
    server: BenchServer,
    trainees: Sequence[Trainee],
    fake: TimedFakeLlm,
    delay_ms: float,
    args: argparse.Namespace,
) -> dict[str, Any]:
    fake.delay_s = delay_ms / 1000
    api = Api(server.url)
    try:
        sessions, _ = await create_sessions(api, trainees, args.llm_conversations)
        await sdk_baseline(fake, 5)  # warm-up: the SDK's imports and first connection
        sdk = await sdk_baseline(fake, args.sdk_replies)
        run = await run_conversations(
            server, sessions, concurrency=args.llm_concurrency, turns=args.turns
        )
    finally:
        await api.close()
    return llm_figures(
        f"LLM voice, fake at {delay_ms:g} ms/token, {args.llm_tokens} tokens, "
        f"{args.llm_conversations} conversations, {args.llm_concurrency} at a time",
        run,
        fake,
        sdk,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10, help="moves per conversation (≤ 10)")
    parser.add_argument("--sequential", type=int, default=20, help="one-at-a-time conversations")
    parser.add_argument("--trainees", type=int, default=20, help="accounts (one login each)")
    parser.add_argument("--llm-conversations", type=int, default=20)
    parser.add_argument("--llm-concurrency", type=int, default=10)
    parser.add_argument("--llm-tokens", type=int, default=8, help="tokens per fake reply")
    parser.add_argument("--llm-delays-ms", default="0,200", help="per-token delays to run")
    parser.add_argument("--sdk-replies", type=int, default=50, help="SDK-alone baseline replies")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM voice runs")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and client")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (DB, log)")
    args = parser.parse_args()
    args.turns = max(1, min(10, args.turns))
    pinned = pin_client(not args.no_pin)
    figures: dict[str, Any] = {"script": "bench_conversations", "machine": machine_note()}
    print(f"machine: {machine_note()}; server/client pinned to separate cores: {pinned}")
    with bench_workdir(keep=args.keep) as workdir:
        server = BenchServer(workdir, pin=not args.no_pin)
        names = create_trainees(server.database_url, args.trainees)
        with running(server):
            print(f"server ready in {server.start():.2f} s")
            started = time.perf_counter()
            trainees = run_client(log_in_all(server.url, names))
            print(f"{len(trainees)} logins in {time.perf_counter() - started:.1f} s")
            figures["scripted"] = run_client(scripted_phase(server, trainees, args))
            stats = server.stats()
            figures["scripted_server_peak_rss_mb"] = (
                round(stats.peak_rss_kb / 1024, 1) if stats else None
            )
            server.stop()
            if not args.no_llm:
                delays = [float(d) for d in args.llm_delays_ms.split(",") if d.strip()]
                fake = TimedFakeLlm(tokens=args.llm_tokens, delay_s=0.0)
                with serve_fake(fake):
                    print(f"\nLLM server ready in {server.start(env=llm_env(fake)):.2f} s")
                    figures["llm"] = {
                        f"{delay:g}ms": run_client(llm_phase(server, trainees, fake, delay, args))
                        for delay in delays
                    }
                    server.stop()
        problems = server.log_problems()
        figures["server_log_warnings"] = len(problems)
        if problems:
            print(f"\nserver log: {len(problems)} warning/error lines, first ones:")
            for line in problems[:10]:
                print("  " + line[:300])
    figures["settings"] = dict(vars(args))
    emit_json(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
