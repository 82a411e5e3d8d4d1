"""Crash soak (issue 7, part 1): play conversations against the real server (LLM voice on the
fake OpenAI server, streaming slowly enough that there is a stream to cut), SIGKILL the
server at random points, restart it, reconnect, resend unacknowledged moves with the same
client_id, and check that nothing acknowledged was lost or stored twice and that every reply
cut by a crash was regenerated.

    .venv/bin/python tests/bench/soak_crash.py [--trials 100 --conversations 5 --seed 1]

Kill points, one per trial, chosen at random: a random moment; right after a move is sent
(before its `turn` ack); right after an ack (reply not started); after the n-th `buyer_delta`
(mid-stream, including a stream that is itself a regeneration); right after a `buyer_done`.
Checks, on each reconnect and at the end through GET /api/sessions/{id}:
- every move acknowledged by a `turn` frame is stored, exactly once (lost = 0, duplicates = 0);
- a reply cut by the crash is regenerated: the session frame says pending and a `buyer_done`
  follows, or the reply was already stored before the crash;
- no session is left with a pending reply, and no move is stored that the client did not send.
Exit status 1 if any check fails. The per-session rate limit is raised (SPIN_MESSAGES_PER_10S)
because these conversations move faster than a person types.
"""

import argparse
import asyncio
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import WebSocketException

from tests.bench.harness import (
    Api,
    BenchServer,
    ErrorTally,
    Trainee,
    bench_workdir,
    conversation_plan,
    create_trainees,
    emit_json,
    llm_env,
    log_in_all,
    machine_note,
    moves_for,
    ms_summary,
    open_socket,
    receive,
    run_client,
    running,
    serve_fake,
    show,
)
from tests.fake_llm.server import FakeLlm, Script

KILL_POINTS = ("random_time", "after_send", "after_ack", "mid_stream", "after_done")
TRIAL_DEADLINE_S = 20.0
RECV_TIMEOUT_S = 20.0
# What a client sees when the server dies: a closed socket, a refused or half-done handshake.
SERVER_GONE = (WebSocketException, OSError, TimeoutError, httpx.HTTPError)


@dataclass
class Move:
    text: str
    client_id: str
    turn_id: str | None = None  # from the `turn` frame: the move is acknowledged
    replied: bool = False  # a `buyer_done` (or the stored reply) was seen for it
    resent: bool = False


@dataclass
class Conversation:
    trainee: Trainee
    session_id: str
    language: str
    moves: list[Move] = field(default_factory=list)
    ended: bool = False

    @property
    def unacked(self) -> Move | None:
        last = self.moves[-1] if self.moves else None
        return last if last is not None and last.turn_id is None else None

    @property
    def cut(self) -> Move | None:
        last = self.moves[-1] if self.moves else None
        return last if last is not None and last.turn_id and not last.replied else None

    @property
    def finished(self) -> bool:
        return self.ended or (
            len(self.moves) == len(moves_for(self.language)) and self.moves[-1].replied
        )


@dataclass
class Tally:
    trials: int = 0
    kills: dict[str, int] = field(default_factory=dict)
    kill_fallbacks: int = 0
    moves_sent: int = 0
    moves_acked: int = 0
    resends: int = 0
    resends_already_stored: int = 0
    resends_stored_now: int = 0
    cut_replies: int = 0
    regenerated: int = 0
    already_stored: int = 0
    not_regenerated: int = 0
    pending_for_unacked: int = 0
    retries: int = 0
    restarts_s: list[float] = field(default_factory=list)
    errors: ErrorTally = field(default_factory=ErrorTally)
    conversations: int = 0
    ended_by_buyer: int = 0


class Killer:
    """SIGKILLs the server at this trial's kill point: the `countdown`-th matching event."""

    def __init__(self, server: BenchServer, point: str, countdown: int) -> None:
        self.server = server
        self.point = point
        self.countdown = countdown
        self.fired = asyncio.Event()

    def event(self, kind: str) -> None:
        if self.fired.is_set() or kind != self.point:
            return
        if self.countdown > 0:
            self.countdown -= 1
            return
        self.fire()

    def fire(self) -> None:
        if not self.fired.is_set():
            self.server.sigkill()
            self.fired.set()


class Player:
    def __init__(self, server: BenchServer, api: Api, tally: Tally) -> None:
        self.server = server
        self.api = api
        self.tally = tally
        self.history: list[Conversation] = []

    def latest(self, conversation: Conversation) -> Conversation:
        """The newest conversation of the same trainee (drive() may have moved on)."""
        same = [c for c in self.history if c.trainee == conversation.trainee]
        return same[-1] if same else conversation

    async def new_conversation(self, trainee: Trainee) -> Conversation:
        index = len(self.history)
        style, language = conversation_plan(index)
        session_id = await self.api.create_session(trainee, style=style, language=language)
        conversation = Conversation(trainee=trainee, session_id=session_id, language=language)
        self.history.append(conversation)
        self.tally.conversations += 1
        return conversation

    async def drive(self, conversation: Conversation, killer: Killer | None) -> None:
        """Plays, moving on to a new session after each ten-move call, until the server dies
        (the connection or HTTP call fails: the caller catches that)."""
        while True:
            if conversation.finished:
                conversation = await self.new_conversation(conversation.trainee)
            connection = await open_socket(
                self.server.ws_url, conversation.session_id, conversation.trainee
            )
            try:
                await self.reconcile(connection, conversation, killer)
                while not conversation.finished:
                    await self.play_move(connection, conversation, killer)
            finally:
                await connection.close()

    async def reconcile(
        self, connection: ClientConnection, conversation: Conversation, killer: Killer | None
    ) -> None:
        """After (re)connecting: the session frame; a cut reply regenerated or found stored;
        an unacknowledged move resent with the same client_id."""
        hello = await receive(connection, RECV_TIMEOUT_S)
        if hello.get("type") != "session":
            self.tally.errors.add(f"first_frame:{hello.get('type')}")
            raise ConnectionError("no session frame")
        pending = bool(hello["pending"])
        turns: list[dict[str, Any]] = hello["session"]["turns"]
        if hello["session"]["status"] == "ended":
            conversation.ended = True
        cut = conversation.cut
        if cut is not None:
            self.tally.cut_replies += 1
            if pending:
                if await self.read_reply(connection, conversation, cut, killer):
                    self.tally.regenerated += 1
            elif reply_stored(turns, cut):
                cut.replied = True
                self.tally.already_stored += 1
            else:
                self.tally.not_regenerated += 1
                self.tally.errors.add("cut_reply_not_pending_and_not_stored")
                cut.replied = True  # counted; carry on so the soak continues
        elif pending:  # the server stored a move we never saw acknowledged: reply to it
            unacked = conversation.unacked
            self.tally.pending_for_unacked += 1
            if unacked is None:
                self.tally.errors.add("pending_without_a_move_of_ours")
            await self.read_reply(connection, conversation, unacked, killer)
        unacked = conversation.unacked
        if unacked is not None and not conversation.ended:
            self.tally.resends += 1
            unacked.resent = True
            await self.send_move(connection, unacked, killer)
            await self.read_reply(connection, conversation, unacked, killer)

    async def play_move(
        self, connection: ClientConnection, conversation: Conversation, killer: Killer | None
    ) -> None:
        text = moves_for(conversation.language)[len(conversation.moves)]
        move = Move(text=text, client_id=uuid.uuid4().hex)
        conversation.moves.append(move)
        self.tally.moves_sent += 1
        await self.send_move(connection, move, killer)
        if not await self.read_reply(connection, conversation, move, killer):
            if conversation.ended:
                return
            # Refused (counted): leave the move unacknowledged; the next trial resends it.
            raise RuntimeError("move refused")

    async def send_move(
        self, connection: ClientConnection, move: Move, killer: Killer | None
    ) -> None:
        message = {"type": "message", "text": move.text, "client_id": move.client_id}
        await connection.send(json.dumps(message, ensure_ascii=False))
        if killer is not None:
            killer.event("after_send")

    async def read_reply(
        self,
        connection: ClientConnection,
        conversation: Conversation,
        move: Move | None,
        killer: Killer | None,
    ) -> bool:
        """Reads frames until the reply is done; True once a `buyer_done` arrived."""
        while True:
            frame = await receive(connection, RECV_TIMEOUT_S)
            kind = frame.get("type")
            if kind == "turn":
                self.acknowledge(move, frame)
                if killer is not None:
                    killer.event("after_ack")
            elif kind == "buyer_delta":
                if killer is not None:
                    killer.event("mid_stream")
            elif kind == "buyer_done":
                if move is not None:
                    move.replied = True
                if killer is not None:
                    killer.event("after_done")
                return True
            elif kind == "scorecard":
                conversation.ended = True
                self.tally.ended_by_buyer += 1
            elif kind == "error":
                code = str(frame.get("code"))
                self.tally.errors.add(f"error:{code}")
                if code == "llm_unavailable":
                    self.tally.retries += 1
                    await connection.send(json.dumps({"type": "retry"}))
                    continue
                if code == "session_ended":
                    conversation.ended = True
                return False

    def acknowledge(self, move: Move | None, frame: dict[str, Any]) -> None:
        if move is None:
            self.tally.errors.add("turn_frame_for_no_move")
            return
        turn_id = str(frame["turn_id"])
        if move.turn_id is None:
            move.turn_id = turn_id
            self.tally.moves_acked += 1
            if move.resent:
                if frame.get("duplicate"):
                    self.tally.resends_already_stored += 1
                else:
                    self.tally.resends_stored_now += 1
        elif move.turn_id != turn_id:
            self.tally.errors.add("ack_with_a_different_turn_id")


def reply_stored(turns: Sequence[dict[str, Any]], move: Move) -> bool:
    seq = next((t["seq"] for t in turns if t["id"] == move.turn_id), None)
    return seq is not None and any(t["seq"] == seq + 1 and t["role"] == "buyer" for t in turns)


@dataclass
class Verdict:
    sessions: int = 0
    acked: int = 0
    lost: int = 0
    duplicates: int = 0
    unexpected: int = 0
    pending_at_end: int = 0
    out_of_order: int = 0
    details: list[str] = field(default_factory=list)


async def verify(api: Api, history: Sequence[Conversation]) -> Verdict:
    """Compares what the client saw acknowledged with what the server stored."""
    verdict = Verdict()
    for conversation in history:
        data = await api.session(conversation.trainee, conversation.session_id)
        turns = sorted(data["turns"], key=lambda t: t["seq"])
        stored = [t for t in turns if t["role"] == "trainee"]
        stored_ids = [t["id"] for t in stored]
        acked = [m for m in conversation.moves if m.turn_id is not None]
        verdict.sessions += 1
        verdict.acked += len(acked)
        for move in acked:
            copies = sum(1 for t in stored if t["text"] == move.text)
            if move.turn_id not in stored_ids:
                verdict.lost += 1
                verdict.details.append(f"lost {conversation.session_id} {move.text!r}")
            if copies > 1:
                verdict.duplicates += copies - 1
                verdict.details.append(f"{copies} copies {conversation.session_id} {move.text!r}")
        acked_ids = {m.turn_id for m in acked}
        for turn in stored:
            if turn["id"] not in acked_ids:
                verdict.unexpected += 1
                verdict.details.append(f"unacked stored {conversation.session_id} {turn['text']!r}")
        if stored_ids != [m.turn_id for m in acked if m.turn_id in stored_ids]:
            verdict.out_of_order += 1
            verdict.details.append(f"moves out of order in {conversation.session_id}")
        roles = [t["role"] for t in turns]
        if any(a == b for a, b in itertools.pairwise(roles)) or roles[:1] != ["buyer"]:
            verdict.out_of_order += 1
            verdict.details.append(f"turn order {conversation.session_id} {roles}")
        if data["pending"]:  # ends on a trainee move whose reply never came
            verdict.pending_at_end += 1
            verdict.details.append(f"reply pending in {conversation.session_id}")
    return verdict


async def trial(
    player: Player,
    conversations: list[Conversation],
    killer: Killer,
    rng: random.Random,
) -> list[Conversation]:
    async def run(conversation: Conversation) -> Conversation:
        try:
            await player.drive(conversation, killer)
        except (*SERVER_GONE, RuntimeError) as exc:
            if not killer.fired.is_set():
                player.tally.errors.add(f"before_kill:{type(exc).__name__}")
        # drive() only returns by raising; the newest conversation continues next trial
        return player.latest(conversation)

    tasks = [asyncio.create_task(run(c)) for c in conversations]
    if killer.point == "random_time":
        delay = rng.uniform(0.05, 2.0)
        try:
            await asyncio.wait_for(killer.fired.wait(), delay)
        except TimeoutError:
            killer.fire()
    try:
        await asyncio.wait_for(killer.fired.wait(), TRIAL_DEADLINE_S)
    except TimeoutError:
        player.tally.kill_fallbacks += 1
        killer.fire()
    return list(await asyncio.wait_for(asyncio.gather(*tasks), 2 * RECV_TIMEOUT_S))


async def soak(
    server: BenchServer, trainees: Sequence[Trainee], args: argparse.Namespace
) -> tuple[Tally, Verdict]:
    rng = random.Random(args.seed)
    tally = Tally()
    api = Api(server.url)
    player = Player(server, api, tally)
    try:
        conversations = [
            await player.new_conversation(trainees[i % len(trainees)])
            for i in range(args.conversations)
        ]
        started = time.perf_counter()
        for number in range(args.trials):
            point = rng.choice(KILL_POINTS)
            # Let a few events of that kind pass first, so conversations move on between kills.
            spread = 60 if point == "mid_stream" else 8
            killer = Killer(server, point, countdown=rng.randint(0, spread))
            tally.kills[point] = tally.kills.get(point, 0) + 1
            tally.trials += 1
            conversations = await trial(player, conversations, killer, rng)
            tally.restarts_s.append(await asyncio.to_thread(server.start))
            if (number + 1) % 10 == 0:
                print(
                    f"  {number + 1} trials, {tally.moves_acked} moves acknowledged, "
                    f"{tally.cut_replies} cut replies, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        # A last round without a kill: resolve what the last crash left, then verify.
        for conversation in conversations:
            await settle(player, conversation)
        verdict = await verify(api, player.history)
    finally:
        await api.close()
    return tally, verdict


async def settle(player: Player, conversation: Conversation) -> None:
    connection = await open_socket(
        player.server.ws_url, conversation.session_id, conversation.trainee
    )
    try:
        await player.reconcile(connection, conversation, None)
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--conversations", type=int, default=5, help="played at once")
    parser.add_argument("--token-delay-ms", type=float, default=40.0, help="fake LLM per token")
    parser.add_argument("--tokens", type=int, default=12, help="tokens per fake reply")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pin", action="store_true", help="pin the server to core 0")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (DB, log)")
    args = parser.parse_args()
    figures: dict[str, Any] = {"script": "soak_crash", "machine": machine_note()}
    print(f"machine: {machine_note()}")
    words = ["Well", ",", " we", " run", " three", " plants", " and", " turnover", " hurts"]
    tokens = [words[i % len(words)] for i in range(max(2, args.tokens))]
    # The fake logs nothing below CRITICAL: a server killed mid-request is expected here.
    with (
        bench_workdir(keep=args.keep) as workdir,
        serve_fake(FakeLlm(), log_level="critical") as fake,
    ):
        fake.default = Script(tokens=tokens, delay_s=args.token_delay_ms / 1000)
        env = llm_env(fake) | {"SPIN_MESSAGES_PER_10S": "100000"}
        server = BenchServer(workdir, env=env, pin=args.pin)
        names = create_trainees(server.database_url, max(1, args.conversations))
        with running(server):
            print(f"server ready in {server.start():.2f} s (first start compiles bytecode)")
            trainees = run_client(log_in_all(server.url, names))
            started = time.perf_counter()
            tally, verdict = run_client(soak(server, trainees, args))
            elapsed = time.perf_counter() - started
            server.stop()
        problems = server.log_problems()
    failed = bool(
        verdict.lost
        or verdict.duplicates
        or verdict.unexpected
        or verdict.pending_at_end
        or verdict.out_of_order
        or tally.not_regenerated
    )
    figures.update(
        {
            "trials": tally.trials,
            "kills_by_point": tally.kills,
            "kill_fallbacks": tally.kill_fallbacks,
            "elapsed_s": round(elapsed, 1),
            "conversations": tally.conversations,
            "sessions_checked": verdict.sessions,
            "moves_sent": tally.moves_sent,
            "moves_acknowledged": verdict.acked,
            "moves_lost": verdict.lost,
            "duplicates": verdict.duplicates,
            "stored_but_never_acknowledged": verdict.unexpected,
            "out_of_order": verdict.out_of_order,
            "pending_at_end": verdict.pending_at_end,
            "resends": tally.resends,
            "resends_already_stored": tally.resends_already_stored,
            "resends_stored_now": tally.resends_stored_now,
            "cut_replies": tally.cut_replies,
            "replies_regenerated": tally.regenerated,
            "replies_already_stored": tally.already_stored,
            "replies_not_regenerated": tally.not_regenerated,
            "pending_for_unacknowledged_move": tally.pending_for_unacked,
            "llm_retries": tally.retries,
            "ended_by_buyer": tally.ended_by_buyer,
            "client_errors": tally.errors.counts,
            "restart": ms_summary(tally.restarts_s),
            "server_log_warnings": len(problems),
            "ok": not failed,
        }
    )
    print(
        f"\ntrials {tally.trials} (kills {tally.kills}, fallbacks {tally.kill_fallbacks}) in "
        f"{elapsed:.0f} s; {tally.conversations} conversations"
    )
    print(
        f"moves sent {tally.moves_sent}, acknowledged {verdict.acked}, LOST {verdict.lost}, "
        f"duplicates {verdict.duplicates}, stored but never acknowledged {verdict.unexpected}, "
        f"out of order {verdict.out_of_order}, pending at the end {verdict.pending_at_end}"
    )
    print(
        f"resends {tally.resends} (already stored {tally.resends_already_stored}, stored now "
        f"{tally.resends_stored_now}); cut replies {tally.cut_replies}: regenerated "
        f"{tally.regenerated}, already stored {tally.already_stored}, NOT regenerated "
        f"{tally.not_regenerated}; pending for an unacknowledged move "
        f"{tally.pending_for_unacked}"
    )
    print(show("restart to /readyz", figures["restart"]))
    print(f"client-side errors: {tally.errors.counts or 'none'}")
    if problems:
        print(f"server log: {len(problems)} warning/error lines, first ones:")
        for line in problems[:10]:
            print("  " + line[:300])
    for line in verdict.details[:20]:
        print("  FAIL " + line)
    print("RESULT: " + ("FAILED" if failed else "ok"))
    emit_json(figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
