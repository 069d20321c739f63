import asyncio

import pytest

calls = []


@pytest.fixture
async def value():
    await asyncio.sleep(0)
    yield 42


@pytest.fixture(autouse=True)
async def record_call():
    calls.append(1)
