"""Legacy mode runs plain async fixtures in the function-scoped `event_loop`: a module-scoped one cannot."""

import asyncio

import pytest


@pytest.fixture(scope="module")
async def pool():  # expect: AIO401
    await asyncio.sleep(0)
    return {"size": 2}


@pytest.mark.asyncio
async def test_pool_size(pool):
    assert pool["size"] == 2
