import asyncio

import pytest

opened = []


@pytest.fixture
async def token():
    # pytest-asyncio 0.10 runs every async fixture: sync tests get the value too
    await asyncio.sleep(0)
    return "token"


@pytest.fixture(autouse=True)
async def connection_log():
    opened.append("connection")
    yield
    opened.clear()
