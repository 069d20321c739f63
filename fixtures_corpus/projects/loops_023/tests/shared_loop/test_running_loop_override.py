"""An `event_loop` override that hands out the loop already running (pytest-asyncio sets it up once its own
module loop is current): on 0.23 the tests run in the module loop the scoped fixtures run in, so the task the
fixture starts keeps running. Only the deprecated override itself is reported."""

import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
def event_loop():  # expect: AIO404
    return asyncio.get_event_loop()


async def heartbeat():
    while True:
        await asyncio.sleep(0.01)


@pytest_asyncio.fixture(scope="module")
async def bot():
    task = asyncio.create_task(heartbeat())
    yield task
    task.cancel()


@pytest.mark.asyncio
async def test_the_bot_beats(bot):
    assert not bot.done()
