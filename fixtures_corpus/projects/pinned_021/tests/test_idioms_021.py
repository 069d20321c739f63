"""Correct pytest-asyncio 0.21 code: nothing to report."""

import pytest

pytestmark = pytest.mark.asyncio


async def test_uses_the_session_connection(connection):
    assert connection["open"]


class TestQueries:
    async def test_in_class(self, connection):
        assert connection


async def test_event_loop_is_requested(event_loop, connection):
    assert event_loop.is_running()
