import pytest
import pytest_asyncio

from orders.client import OrderClient


@pytest_asyncio.fixture
async def client():
    client = OrderClient()
    yield client
    await client.aclose()


@pytest.fixture
async def token():  # expect: AIO301
    # used by a sync fixture two folders down (tests/api/conftest.py)
    return "secret"


@pytest.fixture
async def session():
    # every test that asks for `session` gets the override in tests/api/conftest.py: nothing uses this one
    return None


@pytest.fixture
async def trio_nursery():
    # used only by a trio test (tests/api/test_trio_only.py): pytest-trio runs it
    return None
