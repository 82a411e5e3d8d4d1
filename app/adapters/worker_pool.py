"""Worker processes for CPU-heavy pure functions (scenario validation, bulk labelling, call
analysis), so no request stalls the event loop that serves every other user (issue 14).

Processes, not threads: pure-Python work in a thread holds the GIL, and the loop then waits
for it at every wake-up. The workers run at a lower priority, with an address-space limit, one
job each at a time; a job over its time budget is stopped by replacing the pool, and a job
that would wait behind too many others is refused at once rather than queued without end."""

import asyncio
import importlib
import logging
import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any, TypeVar

from app.domain.errors import ServerBusyError, TooComplexError

logger = logging.getLogger(__name__)
T = TypeVar("T")

WORKER_NICENESS = 10  # the web process wins the CPU when both want it


def _start_worker(memory_bytes: int, preload: tuple[str, ...]) -> None:
    os.nice(WORKER_NICENESS)
    for module in preload:  # imported at start, so no job's time budget pays for it
        importlib.import_module(module)
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _run(job: Callable[[], T]) -> T:
    return job()


def _started() -> bool:
    return True


class ProcessWorkers:
    """`Workers` over a `multiprocessing` pool of spawned processes, started on first use;
    `preload` names the modules the jobs come from.

    Raises ServerBusyError when `max_waiting` jobs already wait for a worker, and
    TooComplexError when a job runs past `timeout_s` (its worker is killed)."""

    def __init__(
        self,
        *,
        processes: int,
        timeout_s: float,
        max_waiting: int,
        memory_mb: int,
        preload: tuple[str, ...] = (),
    ) -> None:
        self._processes = max(1, processes)
        self._preload = preload
        self._timeout_s = timeout_s
        self._max_waiting = max_waiting
        self._memory_bytes = memory_mb * 1024 * 1024
        self._pool: Pool | None = None
        self._slots = asyncio.Semaphore(self._processes)
        self._waiting = 0
        self._running: set[asyncio.Future[Any]] = set()

    async def run(self, job: Callable[[], T]) -> T:
        if self._waiting >= self._max_waiting:
            raise ServerBusyError("the server is busy with other heavy work; try again shortly")
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        try:
            return await self._submit(job)
        finally:
            self._slots.release()

    async def _submit(self, job: Callable[[], T]) -> T:
        pool = await self._ready()
        future = self._apply(pool, job)
        self._running.add(future)
        try:
            result: T = await asyncio.wait_for(asyncio.shield(future), self._timeout_s)
            return result
        except TimeoutError as exc:
            logger.warning("a worker job ran past %.0f s and was stopped", self._timeout_s)
            self._running.discard(future)
            await self._replace(pool)
            raise TooComplexError("that input takes too long to process; make it smaller") from exc
        finally:
            self._running.discard(future)

    @staticmethod
    def _apply(pool: Pool, job: Callable[[], object]) -> "asyncio.Future[Any]":
        """The job's result as a future of this loop, settled from the pool's thread."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()

        def settle(value: object, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)

        pool.apply_async(
            _run,
            (job,),
            callback=lambda value: loop.call_soon_threadsafe(settle, value, None),
            error_callback=lambda error: loop.call_soon_threadsafe(settle, None, error),
        )
        return future

    async def _ready(self) -> Pool:
        """The pool, started on first use. Its start (a second or so of imports in a fresh
        process) is waited for here, outside any job's time budget."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            pool = await asyncio.to_thread(
                context.Pool, self._processes, _start_worker, (self._memory_bytes, self._preload)
            )
            await self._apply(pool, _started)
            self._pool = pool
        return self._pool

    async def _replace(self, pool: Pool) -> None:
        """Kills a pool whose job overran; other jobs on it are told the server was busy."""
        if self._pool is not pool:
            return
        self._pool = None
        for other in list(self._running):
            if not other.done():
                other.set_exception(ServerBusyError("the server was busy; try again"))
        await asyncio.to_thread(_terminate, pool)

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await asyncio.to_thread(_terminate, pool)


def _terminate(pool: Pool) -> None:
    pool.terminate()
    pool.join()
