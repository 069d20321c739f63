"""Plain functions that return an awaitable when an event loop is running, and say so with an explicit check:
from an async test the awaitable must be awaited, from a sync one the call does the work itself."""

import pytest

from shop.queues import BackgroundQueue, flush_queue


@pytest.fixture
def queue() -> BackgroundQueue:
    return BackgroundQueue()


@pytest.mark.asyncio
async def test_flushed_before_checking(queue: BackgroundQueue) -> None:
    queue.put("a")
    await queue.flush()
    assert True


@pytest.mark.asyncio
async def test_flush_dropped(queue: BackgroundQueue) -> None:
    queue.put("a")
    queue.flush()  # expect: AIO201


@pytest.mark.asyncio
async def test_flush_all_dropped(queue: BackgroundQueue) -> None:
    queue.flush_all()  # expect: AIO201


@pytest.mark.asyncio
async def test_module_function_dropped(queue: BackgroundQueue) -> None:
    flush_queue(queue)  # expect: AIO201


def test_sync_caller_waits_itself(queue: BackgroundQueue) -> None:
    # No loop runs in a sync test: `flush()` waits for the worker and returns its result.
    queue.put("a")
    queue.flush()


@pytest.mark.asyncio
async def test_checks_that_are_no_loop_checks(queue: BackgroundQueue) -> None:
    queue.close()
    queue.stop()
