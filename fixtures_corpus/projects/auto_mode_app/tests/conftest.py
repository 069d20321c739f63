import asyncio

import pytest


@pytest.fixture
async def queue():
    # auto mode: pytest-asyncio runs plain async fixtures too
    queue = asyncio.Queue()
    yield queue
