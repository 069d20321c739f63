"""Event-loop API misuse inside tests and fixtures."""

import asyncio
import time

import pytest
import pytest_asyncio


async def fetch():
    return 1


@pytest_asyncio.fixture
async def warmed_up():
    time.sleep(0.01)  # expect: AIO502
    return True


@pytest.mark.asyncio
async def test_nested_run():
    assert asyncio.run(fetch()) == 1  # expect: AIO501


@pytest.mark.asyncio
async def test_blocking_sleep(warmed_up):
    time.sleep(0.01)  # expect: AIO502
    loop = asyncio.get_event_loop()  # expect: AIO503
    assert loop.is_running()


@pytest.mark.asyncio
async def test_returns_value():
    return await fetch() == 1  # expect: AIO504


def test_sync_loop():
    loop = asyncio.get_event_loop()  # expect: AIO503
    assert loop.run_until_complete(fetch()) == 1


@pytest.mark.asyncio
async def test_off_loop_work_is_fine():
    def blocking():
        time.sleep(0.01)
        return asyncio.run(fetch())

    assert await asyncio.to_thread(blocking) == 1
    await asyncio.get_running_loop().run_in_executor(None, lambda: time.sleep(0.01))
