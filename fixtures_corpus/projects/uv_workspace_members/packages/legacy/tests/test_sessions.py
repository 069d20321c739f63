"""Excluded from the workspace: its own pin (pytest-asyncio 1.5.0) applies, and a module-scoped async fixture
runs in the module loop."""

import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def sessions():
    await asyncio.sleep(0)
    return {}


@pytest.mark.asyncio
async def test_no_sessions(sessions):
    assert sessions == {}
