import asyncio

import pytest


@pytest.mark.asyncio(scope="module")  # expect: AIO406
async def test_scope_keyword():
    await asyncio.sleep(0)


@pytest.mark.asyncio("module")  # expect: AIO406
async def test_positional_scope():
    await asyncio.sleep(0)


@pytest.mark.asyncio(loop_scope="sesion")  # expect: AIO406
async def test_misspelled_scope():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_pool_in_function_loop(pool):  # expect: AIO402
    assert pool is not None


@pytest.mark.asyncio(loop_scope="session")
async def test_pool_in_session_loop(pool):
    assert pool is not None


@pytest.mark.asyncio
async def test_call_soon(event_loop):  # expect: AIO405
    event_loop.call_soon(print)


def test_sync_loop(event_loop):  # expect: AIO405
    assert event_loop is not None


@pytest.fixture
def data_file(data_dir):
    # a function fixture may use a session one
    return data_dir / "a.txt"
