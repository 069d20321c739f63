"""aiomisc's pytest plugin runs these tests in its own `event_loop` fixture; pytest-asyncio is switched off."""

import asyncio

import pytest


async def test_uses_loop(event_loop):
    fut = event_loop.create_future()
    event_loop.call_soon(fut.set_result, 1)
    assert await fut == 1


@pytest.mark.asyncio
async def test_marked_with_the_projects_own_mark(event_loop):
    await asyncio.sleep(0)
    assert event_loop.is_running()


def test_sync_uses_loop(event_loop):
    assert event_loop.run_until_complete(asyncio.sleep(0, result=3)) == 3


async def test_returns_value():
    return 1  # pytest-asyncio is off: not its concern


@pytest.fixture
@pytest.mark.slow  # expect: AIO303
def payload():
    return {"id": 1}


def test_payload(payload):
    assert payload["id"] == 1
