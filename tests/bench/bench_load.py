"""Load: hold 500 concurrent practice websockets against ONE server worker with the scripted
voice, each trainee sending a move every few seconds, for at least two minutes (issue 7,
part 9). Prints per-turn latency p50/p99 (move sent → `turn` ack and → `buyer_done`), errors,
sessions held, and the server's RSS (sampled VmRSS and peak VmHWM from /proc).

    .venv/bin/python tests/bench/bench_load.py [--sessions 500 --duration 120 --interval 5]

Each trainee plays the ten-move plant-operators conversation; after the tenth reply it ends
the call (`end` → scorecard), opens a new session over HTTP and reconnects, so the server
keeps ~500 live sockets doing realistic work. A trainee waits for `buyer_done` before its next
move (the server refuses a move while a reply is pending), so when the server falls behind
the offered load drops and the latency shows it. The rate limit (10 moves per 10 s) is kept
at its default. Targets (printed, not asserted): p99 ≤ 100 ms, 0 errors, RSS ≤ 300 MB.
"""

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tests.bench.harness import (
    Api,
    BenchServer,
    ErrorTally,
    Trainee,
    bench_workdir,
    conversation_plan,
    create_trainees,
    emit_json,
    gather_limited,
    log_in_all,
    machine_note,
    moves_for,
    ms_summary,
    open_socket,
    pin_client,
    receive,
    run_client,
    running,
    show,
)

RECV_TIMEOUT_S = 60.0


@dataclass
class Load:
    ack_s: list[float] = field(default_factory=list)
    done_s: list[float] = field(default_factory=list)
    end_s: list[float] = field(default_factory=list)
    rotate_s: list[float] = field(default_factory=list)
    errors: ErrorTally = field(default_factory=ErrorTally)
    ended_by_buyer: int = 0
    open_sockets: int = 0
    open_samples: list[tuple[float, int]] = field(default_factory=list)  # (wall, open)
    rss_kb: list[int] = field(default_factory=list)
    cpu_samples: list[tuple[float, float]] = field(default_factory=list)  # (wall, cpu_s)
    late_sends: int = 0


class Trainer:
    """One simulated trainee: a live socket on a session, a move every `interval_s`."""

    def __init__(
        self, index: int, trainee: Trainee, api: Api, server: BenchServer, load: Load
    ) -> None:
        self.index = index
        self.trainee = trainee
        self.api = api
        self.server = server
        self.load = load
        self.style, self.language = conversation_plan(index)
        self.connection: ClientConnection | None = None
        self.moves_sent = 0

    async def open(self) -> bool:
        """Creates a session and connects; False (and an error counted) on failure."""
        try:
            session_id = await self.api.create_session(
                self.trainee, style=self.style, language=self.language
            )
            self.connection = await open_socket(self.server.ws_url, session_id, self.trainee)
            hello = await receive(self.connection, RECV_TIMEOUT_S)
        except (OSError, RuntimeError, ConnectionClosed, TimeoutError) as exc:
            self.load.errors.add(f"open:{type(exc).__name__}")
            return False
        if hello.get("type") != "session":
            self.load.errors.add(f"first_frame:{hello.get('type')}")
            return False
        self.load.open_sockets += 1
        self.moves_sent = 0
        return True

    async def close(self) -> None:
        if self.connection is not None:
            self.load.open_sockets -= 1
            await self.connection.close()
            self.connection = None

    async def run(self, *, start_at: float, stop_at: float, interval_s: float) -> None:
        moves = moves_for(self.language)
        next_at = start_at + random.random() * interval_s  # spread the first moves
        try:
            while self.connection is not None:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                else:
                    self.load.late_sends += 1
                if time.perf_counter() >= stop_at:
                    return
                next_at += interval_s
                if self.moves_sent == len(moves):
                    if not await self.rotate():
                        return
                    continue
                if not await self.move(moves[self.moves_sent]):
                    return
        except TimeoutError:
            self.load.errors.add("timeout")
        except ConnectionClosed as exc:
            self.load.errors.add(f"closed:{exc.rcvd.code if exc.rcvd else 'none'}")
        finally:
            await self.close()

    async def move(self, text: str) -> bool:
        assert self.connection is not None
        message = {"type": "message", "text": text, "client_id": uuid.uuid4().hex}
        sent_at = time.perf_counter()
        await self.connection.send(json.dumps(message, ensure_ascii=False))
        self.moves_sent += 1
        acked = False
        while True:
            frame = await receive(self.connection, RECV_TIMEOUT_S)
            kind = frame.get("type")
            if kind == "turn":
                acked = True
                self.load.ack_s.append(time.perf_counter() - sent_at)
            elif kind == "buyer_done":
                if not acked:
                    self.load.errors.add("done_before_ack")
                self.load.done_s.append(time.perf_counter() - sent_at)
                return True
            elif kind == "scorecard":  # the buyer hung up after its reply (style rules)
                self.load.ended_by_buyer += 1
                self.moves_sent = len(moves_for(self.language))
                return True
            elif kind == "error":
                self.load.errors.add(f"error:{frame.get('code')}")
                if frame.get("code") == "session_ended":
                    self.moves_sent = len(moves_for(self.language))
                return True

    async def rotate(self) -> bool:
        """Ends the call (scorecard), then starts a new session and reconnects."""
        assert self.connection is not None
        started = time.perf_counter()
        await self.connection.send(json.dumps({"type": "end"}))
        while True:
            frame = await receive(self.connection, RECV_TIMEOUT_S)
            if frame.get("type") in ("scorecard", "error"):
                if frame.get("type") == "error" and frame.get("code") != "session_ended":
                    self.load.errors.add(f"error:{frame.get('code')}")
                break
        self.load.end_s.append(time.perf_counter() - started)
        await self.close()
        started = time.perf_counter()
        opened = await self.open()
        self.load.rotate_s.append(time.perf_counter() - started)
        return opened


async def sample(server: BenchServer, load: Load, stop: asyncio.Event) -> None:
    while not stop.is_set():
        stats = server.stats()
        if stats is not None:
            load.rss_kb.append(stats.rss_kb)
            load.cpu_samples.append((time.perf_counter(), stats.cpu_s))
        load.open_samples.append((time.perf_counter(), load.open_sockets))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def hold(
    server: BenchServer, trainees: Sequence[Trainee], args: argparse.Namespace
) -> dict[str, Any]:
    load = Load()
    api = Api(server.url)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(server, load, stop))
    trainers = [
        Trainer(i, trainees[i % len(trainees)], api, server, load) for i in range(args.sessions)
    ]
    try:
        started = time.perf_counter()
        opened = await gather_limited([t.open for t in trainers], in_flight=args.ramp_in_flight)
        ramp_s = time.perf_counter() - started
        after_ramp = server.stats()
        print(
            f"{sum(opened)}/{args.sessions} sessions created and connected in {ramp_s:.1f} s; "
            f"server RSS {after_ramp.rss_kb / 1024 if after_ramp else 0:.0f} MB"
        )
        load.rss_kb.clear()
        load.cpu_samples.clear()
        load.open_samples.clear()
        start_at = time.perf_counter()
        stop_at = start_at + args.duration
        live = [t for t, ok in zip(trainers, opened, strict=True) if ok]
        runs = [t.run(start_at=start_at, stop_at=stop_at, interval_s=args.interval) for t in live]
        await asyncio.wait_for(asyncio.gather(*runs), args.duration + 3 * RECV_TIMEOUT_S)
        elapsed = time.perf_counter() - start_at
    finally:
        stop.set()
        await sampler
        await asyncio.gather(*(t.close() for t in trainers))
        await api.close()
    final = server.stats()
    cpu = load.cpu_samples
    busy = (cpu[-1][1] - cpu[0][1]) / (cpu[-1][0] - cpu[0][0]) if len(cpu) > 1 else float("nan")
    steady = [n for at, n in load.open_samples if start_at + 1 <= at < stop_at] or [0]
    figures: dict[str, Any] = {
        "sessions": args.sessions,
        "connected_at_start": sum(opened),
        "ramp_s": round(ramp_s, 1),
        "open_sockets_min": min(steady),
        "open_sockets_max": max(steady),
        "duration_s": round(elapsed, 1),
        "interval_s": args.interval,
        "offered_moves_per_s": round(args.sessions / args.interval, 1),
        "moves": len(load.done_s),
        "moves_per_s": round(len(load.done_s) / elapsed, 1),
        "late_sends": load.late_sends,
        "to_ack": ms_summary(load.ack_s),
        "to_done": ms_summary(load.done_s),
        "end_call": ms_summary(load.end_s),
        "new_session_and_connect": ms_summary(load.rotate_s),
        "errors": load.errors.total,
        "error_kinds": load.errors.counts,
        "ended_by_buyer": load.ended_by_buyer,
        "server_cpu_busy": round(busy, 2),
        "server_rss_mb_start": round(after_ramp.rss_kb / 1024, 1) if after_ramp else None,
        "server_rss_mb_max_sampled": round(max(load.rss_kb) / 1024, 1) if load.rss_kb else None,
        "server_peak_rss_mb_vmhwm": round(final.peak_rss_kb / 1024, 1) if final else None,
    }
    print(f"\n[{args.sessions} sessions, a move every {args.interval:g} s, {elapsed:.0f} s]")
    print(show("move → turn ack", figures["to_ack"]))
    print(show("move → buyer_done", figures["to_done"]))
    print(show("end → scorecard", figures["end_call"]))
    print(show("new session + connect", figures["new_session_and_connect"]))
    print(
        f"moves {figures['moves']} ({figures['moves_per_s']}/s, offered "
        f"{figures['offered_moves_per_s']}/s, late sends {load.late_sends}); open sockets "
        f"{figures['open_sockets_min']}-{figures['open_sockets_max']}; errors "
        f"{load.errors.total} {load.errors.counts or ''}; calls ended by the buyer "
        f"{load.ended_by_buyer}"
    )
    print(
        f"server: CPU {100 * busy:.0f}% of one core; RSS {figures['server_rss_mb_start']} MB "
        f"after ramp-up, max sampled {figures['server_rss_mb_max_sampled']} MB, peak (VmHWM) "
        f"{figures['server_peak_rss_mb_vmhwm']} MB"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between moves")
    parser.add_argument("--trainees", type=int, default=50, help="accounts (one login each)")
    parser.add_argument("--ramp-in-flight", type=int, default=20, help="parallel session opens")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and client")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (DB, log)")
    args = parser.parse_args()
    pinned = pin_client(not args.no_pin)
    figures: dict[str, Any] = {"script": "bench_load", "machine": machine_note()}
    print(f"machine: {machine_note()}; server/client pinned to separate cores: {pinned}")
    with bench_workdir(keep=args.keep) as workdir:
        server = BenchServer(workdir, pin=not args.no_pin)
        names = create_trainees(server.database_url, args.trainees)
        with running(server):
            print(f"server ready in {server.start():.2f} s")
            idle = server.stats()
            figures["server_rss_mb_idle"] = round(idle.rss_kb / 1024, 1) if idle else None
            started = time.perf_counter()
            trainees = run_client(log_in_all(server.url, names))
            print(f"{len(trainees)} logins in {time.perf_counter() - started:.1f} s")
            figures.update(run_client(hold(server, trainees, args)))
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
