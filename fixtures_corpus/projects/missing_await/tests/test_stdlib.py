import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleep():
    asyncio.sleep(0.01)  # expect: AIO201


@pytest.mark.asyncio
async def test_queue():
    queue = asyncio.Queue()
    await queue.put(1)
    assert queue.get() == 1  # expect: AIO202


@pytest.mark.asyncio
async def test_loop_method():
    loop = asyncio.get_running_loop()
    loop.getaddrinfo("localhost", 80)  # expect: AIO201


@pytest.mark.asyncio
async def test_orphan_task():
    # AIO205 is off by default; the corpus runs every rule.
    asyncio.create_task(asyncio.sleep(0))  # expect: AIO205
