"""The workspace's uv.lock pins pytest-asyncio 0.21.2: every async fixture runs in the function-scoped
`event_loop`."""

import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def sessions():  # expect: AIO401
    await asyncio.sleep(0)
    return {}


@pytest.mark.asyncio
async def test_no_sessions(sessions):
    assert sessions == {}
