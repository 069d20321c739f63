"""`asyncio` is a mark this project registers itself; it does not use pytest-asyncio."""

import unittest

import pytest


@pytest.mark.asyncio
def test_sync_with_our_mark(event_loop):
    assert event_loop.run_until_complete(compute()) == 2


async def compute():
    return 2


@pytest.mark.asyncio
async def test_async_with_our_mark():
    return await compute()


class TestLegacy(unittest.TestCase):
    async def test_never_awaited(self):  # expect: AIO107
        assert await compute() == 2
