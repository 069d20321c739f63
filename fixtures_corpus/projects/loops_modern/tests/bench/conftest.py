import asyncio

import pytest


@pytest.fixture
def event_loop():
    # requested by name by the sync benchmarks below: an ordinary fixture of the project, not an override
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
