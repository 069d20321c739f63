"""Awaiting an object whose class defines `__await__` gives what `__await__` says."""

import pytest

from shop.devices import Handle, Pool, Server


@pytest.mark.asyncio
async def test_awaiting_a_pool_gives_the_pool():
    pool = await Pool(limit=10)
    pool.close()  # expect: AIO201


@pytest.mark.asyncio
async def test_awaiting_a_server_gives_the_server():
    server = await Server()
    server.stop()  # expect: AIO201


@pytest.mark.asyncio
async def test_awaiting_a_handle_gives_something_else():
    value = await Handle()
    value.cancel()
