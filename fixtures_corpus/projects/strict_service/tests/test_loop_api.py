"""Event-loop API misuse inside tests and fixtures."""

import asyncio
import contextlib
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
    loop = asyncio.get_event_loop()  # expect: AIO505
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


@pytest.mark.asyncio
async def test_debounce():
    # Simulate a user waiting before the second click.
    time.sleep(0.01)  # expect: AIO502
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_slow_callback_is_logged():
    # Block the event loop on purpose: the slow-callback warning must name this test.
    time.sleep(0.01)
    time.sleep(0.01)  # noqa: AIO502
    assert await fetch() == 1


@pytest.fixture
def loop_or_new():
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture
def quiet_loop():
    try:
        return asyncio.get_event_loop()  # expect: AIO503
    except DeprecationWarning:
        return asyncio.new_event_loop()


def test_current_loop(loop_or_new, quiet_loop):
    with contextlib.suppress(RuntimeError):
        asyncio.get_event_loop().close()
    assert loop_or_new is not None and quiet_loop is not None
