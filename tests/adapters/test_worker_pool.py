"""The worker processes (issue 14): heavy work runs there and comes back, errors keep their
fields, a job past its time budget is stopped without stopping the next, and a full queue is
refused at once instead of growing without end."""

import functools
import os
import time
from collections.abc import AsyncIterator

import pytest

from app.adapters.persona_files.scenarios import CatalogError, parse_scenario_job
from app.adapters.worker_pool import ProcessWorkers
from app.domain.errors import ServerBusyError, TooComplexError

pytestmark = pytest.mark.anyio
JOBS = (__name__,)  # the workers import this module at start: its jobs are defined here


def worker_pid() -> int:
    return os.getpid()


def never_ends() -> None:
    time.sleep(3600)  # a job that would hold its worker for an hour


@pytest.fixture
async def workers() -> AsyncIterator[ProcessWorkers]:
    pool = ProcessWorkers(processes=1, timeout_s=20.0, max_waiting=4, memory_mb=1024, preload=JOBS)
    yield pool
    await pool.close()


async def test_a_job_runs_in_another_process(workers: ProcessWorkers) -> None:
    assert await workers.run(worker_pid) != os.getpid()


async def test_an_error_in_a_job_comes_back_with_its_fields(workers: ProcessWorkers) -> None:
    with pytest.raises(CatalogError) as refused:
        await workers.run(functools.partial(parse_scenario_job, "id: [", "scenario:x"))
    assert refused.value.source == "scenario:x"
    assert refused.value.problems[0].startswith("invalid YAML")


async def test_a_job_past_its_budget_is_stopped_and_the_next_one_runs() -> None:
    workers = ProcessWorkers(
        processes=1, timeout_s=2.0, max_waiting=4, memory_mb=1024, preload=JOBS
    )
    try:
        first = await workers.run(worker_pid)
        with pytest.raises(TooComplexError):
            await workers.run(never_ends)
        second = await workers.run(worker_pid)
        assert second != first  # the stuck worker was replaced
    finally:
        await workers.close()


async def test_a_full_queue_is_refused_at_once() -> None:
    workers = ProcessWorkers(
        processes=1, timeout_s=20.0, max_waiting=0, memory_mb=1024, preload=JOBS
    )
    try:
        with pytest.raises(ServerBusyError):
            await workers.run(worker_pid)
    finally:
        await workers.close()
