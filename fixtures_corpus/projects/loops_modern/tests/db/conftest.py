import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():  # expect: AIO404
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
