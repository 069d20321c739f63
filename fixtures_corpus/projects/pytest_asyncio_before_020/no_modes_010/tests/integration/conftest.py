import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    # the documented way to share one loop across the session before pytest-asyncio 0.23
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
async def database():
    await asyncio.sleep(0)
    yield {"url": "postgresql://localhost/test"}
