"""Buyer deltas coalesced into websocket frames (docs/performance.md): a delta that arrives
after a quiet spell goes out at once (the first token costs no wait), later ones are merged
and sent at most every FRAME_INTERVAL_S. Each frame is a syscall and a wake-up of the
client; a model streaming 50 tokens a second then costs a few frames, not 50. The frames
keep their shape: `buyer_delta` with the merged text, in order, nothing dropped."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from app.services.call_events import Event, ReplyDelta

FRAME_INTERVAL_S = 0.010


async def coalesced(
    events: AsyncIterator[Event], *, interval_s: float = FRAME_INTERVAL_S
) -> AsyncIterator[Event]:
    """`events` with consecutive ReplyDeltas of one turn merged. The next event is awaited
    in a task that outlives a timeout, so waiting for the frame interval never cancels the
    producer mid-step; closing this generator cancels and awaits it."""
    loop = asyncio.get_running_loop()
    pending: asyncio.Future[Event] | None = None
    held: ReplyDelta | None = None
    last_frame = float("-inf")
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(events))
            timeout = None if held is None else max(0.0, last_frame + interval_s - loop.time())
            done, _ = await asyncio.wait({pending}, timeout=timeout)
            if not done:  # the interval is over: send what was held
                assert held is not None
                yield held
                held, last_frame = None, loop.time()
                continue
            finished, pending = pending, None
            try:
                event = finished.result()
            except StopAsyncIteration:
                break
            except BaseException:
                if held is not None:  # what the client was owed before the failure
                    yield held
                raise
            if isinstance(event, ReplyDelta):
                if held is not None and held.turn_id == event.turn_id:
                    held = ReplyDelta(turn_id=held.turn_id, delta=held.delta + event.delta)
                    continue
                if held is None and loop.time() - last_frame >= interval_s:
                    yield event
                    last_frame = loop.time()
                    continue
                if held is not None:
                    yield held
                held = event
                continue
            if held is not None:
                yield held
                held = None
            yield event
            last_frame = float("-inf")  # a new reply's first delta goes out at once
        if held is not None:
            yield held
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
