import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def client():
    # on pytest-asyncio 0.23 this runs in the module loop (the loop follows the caching scope), and the
    # connection it opens belongs to that loop
    reader, writer = await asyncio.open_connection("localhost", 6379)
    yield reader, writer
    writer.close()


@pytest.fixture
def event_loop():  # expect: AIO404
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
