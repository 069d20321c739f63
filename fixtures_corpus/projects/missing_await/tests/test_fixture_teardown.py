"""A name patched only inside tests (a `with` block, a decorator) is the real one in fixtures, which run
outside those blocks."""

from unittest import mock

import pytest
import pytest_asyncio

from shop import ShopClient


@pytest_asyncio.fixture
async def client():
    client = ShopClient()
    yield client
    client.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_closing_is_patched(client):
    with mock.patch.object(client, "aclose"):
        client.aclose()


@pytest.mark.asyncio
@mock.patch.object(ShopClient, "get_order")
async def test_orders_are_patched(get_order, client):
    client.get_order(1)
