from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from shop import ShopClient
from shop.api import fetch_order


@pytest_asyncio.fixture
async def client() -> AsyncIterator[ShopClient]:
    async with ShopClient() as shop_client:
        yield shop_client


@pytest_asyncio.fixture
async def plain_client():
    return ShopClient()


@pytest_asyncio.fixture
async def first_order():
    # The test would receive a coroutine object, not the order.
    return fetch_order(1)  # expect: AIO202


@pytest.fixture
def order_total():
    # A sync fixture cannot await: this raises TypeError when the fixture runs.
    return fetch_order(2)["total"]  # expect: AIO203


@pytest_asyncio.fixture
async def pair_clients():
    # A test unpacking the pair gets a client on each side.
    async with ShopClient() as first:
        yield first, ShopClient()


@pytest_asyncio.fixture
async def pair_annotated() -> AsyncIterator[tuple[ShopClient, int]]:
    yield ShopClient(), 1


@pytest.fixture
def pair_mixed(request):
    # Both paths hand out a client first; the second element differs, so it stays unknown.
    if getattr(request, "param", False):
        return ShopClient(), None
    return ShopClient(), ShopClient()


def pytest_generate_tests(metafunc):
    # Parametrizes `flavor` only: the other fixtures keep the values their definitions give.
    if "flavor" in metafunc.fixturenames:
        metafunc.parametrize("flavor", ["plain", "fancy"])


@pytest.fixture
def flavor():
    # Never used as is: the hook above hands tests its parameters instead.
    return ShopClient()
