"""pytest-asyncio 0.10 runs async fixtures in the function-scoped `event_loop`: a wider one cannot be set up."""

import asyncio

import pytest


@pytest.fixture(scope="module")
async def pool():  # expect: AIO401
    await asyncio.sleep(0)
    return {"size": 4}


@pytest.mark.asyncio
async def test_pool_size(pool):
    assert pool["size"] == 4


@pytest.mark.asyncio
async def test_token(token):
    assert token == "token"


def test_sync_test_gets_the_token(token):
    assert token == "token"
