"""`asyncio_mode = legacy` is still valid on pytest-asyncio 0.19: plain async fixtures run, for sync tests too."""

import asyncio

import pytest


@pytest.fixture
async def cache():
    await asyncio.sleep(0)
    yield {"hits": 0}


def test_cache_starts_empty(cache):
    assert cache == {"hits": 0}


@pytest.mark.asyncio
async def test_cache_in_async_test(cache):
    assert cache["hits"] == 0
