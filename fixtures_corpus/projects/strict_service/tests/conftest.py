import pytest_asyncio

from orders.client import OrderClient


@pytest_asyncio.fixture
async def client():
    client = OrderClient()
    yield client
    await client.aclose()
