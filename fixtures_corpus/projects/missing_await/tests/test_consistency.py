import pytest
from vendor_sdk import open_session  # not installed: asynclint cannot read it


@pytest.mark.asyncio
async def test_session_commit():
    session = open_session()
    await session.commit()
    session.commit()  # expect: AIO201


@pytest.mark.asyncio
async def test_session_unknown():
    session = open_session()
    session.commit()


@pytest.mark.asyncio
async def test_awaitable_that_is_also_a_context_manager():
    # Awaited above does not make it a coroutine: aiohttp-style request objects are both.
    session = open_session()
    await session.request("GET")
    async with session.request("GET") as response:
        assert response


@pytest.mark.asyncio
async def test_tasks_run_anyway():
    session = open_session()
    await session.create_task(None)
    session.create_task(None)
