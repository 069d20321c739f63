import asyncio

import pytest


@pytest.fixture
def event_loop():
    # unit tests get a fresh loop each (0.21's documented override: not reported)
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
