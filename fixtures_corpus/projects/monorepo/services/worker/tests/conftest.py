import pytest_asyncio


@pytest_asyncio.fixture
async def job():
    return {"id": 1}
