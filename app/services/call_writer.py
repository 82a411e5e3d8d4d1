"""One writer per call (issue 14): moves, resumes and the end of one call run one at a time,
whichever socket or server process they come from, through a lease in the database that is
claimed atomically, renewed while held and released at the end (or expires after a crash)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from app.domain.errors import ReplyPendingError
from app.services.call_events import CallEnded, Event, ReplyDone
from app.services.ports import CallLeases

# Renewed while held, so a long LLM reply keeps it; short, so a crashed process blocks its
# calls for seconds, not minutes.
LEASE = timedelta(seconds=10)
RENEW_S = 3.0
# A writer that finds the lease taken waits this long for it (the other may be just storing
# its reply), then gets reply_pending.
WAIT_S = 2.0
# Regenerating a reply cut off by a crash waits out the dead process's lease instead: no
# other writer will come to finish that reply (the crash soak, tests/bench/soak_crash.py).
RESUME_WAIT_S = LEASE.total_seconds() + 1.0
POLL_S = 0.05


class CallWriter:
    def __init__(self, *, leases: CallLeases, clock: Callable[[], datetime]) -> None:
        self._leases = leases
        self._clock = clock

    @asynccontextmanager
    async def hold(self, session_id: UUID, *, wait_s: float = WAIT_S) -> AsyncIterator[None]:
        """The call's lease while the block runs; ReplyPendingError when another writer
        keeps it past `wait_s`."""
        holder = uuid4()
        await self._claim(session_id, holder, wait_s)
        keeper = asyncio.create_task(self._keep(session_id, holder))
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await self._leases.release(session_id, holder=holder)

    async def run(
        self, session_id: UUID, events: AsyncIterator[Event], *, wait_s: float = WAIT_S
    ) -> AsyncIterator[Event]:
        """`events` produced holding the lease. The closing events (the reply stored, the call
        ended) are passed on once it is released, so a client may send its next move the
        moment it sees the reply."""
        closing: list[Event] = []
        async with self.hold(session_id, wait_s=wait_s):
            async for event in events:
                if isinstance(event, ReplyDone | CallEnded):
                    closing.append(event)
                else:
                    yield event
        for event in closing:
            yield event

    async def _claim(self, session_id: UUID, holder: UUID, wait_s: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            now = self._clock()
            if await self._leases.claim(session_id, holder=holder, now=now, until=now + LEASE):
                return
            if loop.time() >= deadline:
                raise ReplyPendingError("wait for the buyer's reply before your next move")
            await asyncio.sleep(POLL_S)

    async def _keep(self, session_id: UUID, holder: UUID) -> None:
        while True:
            await asyncio.sleep(RENEW_S)
            await self._leases.renew(session_id, holder=holder, until=self._clock() + LEASE)
