import asyncio

import pytest


@pytest.fixture
async def session_token():
    await asyncio.sleep(0)
    return "token"
