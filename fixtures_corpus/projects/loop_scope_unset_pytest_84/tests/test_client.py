import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def client():
    await asyncio.sleep(0)
    yield {"connected": True}


@pytest.mark.asyncio
async def test_client_connects(client):
    assert client["connected"]
