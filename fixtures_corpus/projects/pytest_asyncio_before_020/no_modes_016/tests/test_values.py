"""pytest-asyncio 0.16 runs every async fixture, for sync tests too, but only the async tests it is told to."""

import pytest


@pytest.mark.asyncio
async def test_value(value):
    assert value == 42


def test_sync_test_gets_the_value(value):
    assert value == 42


async def test_unmarked(value):  # expect: AIO101
    assert value == 42


# expect-next-line: AIO102
@pytest.mark.asyncio
def test_sync_marked():
    assert True
