"""Coroutine functions of the project itself, reached in every way a test module imports them."""

import pytest

import shop.api as api
from shop import ShopClient, fetch_order
from shop.base import Settings
from shop.api import cancel_order

from .helpers import seed_orders


@pytest.mark.asyncio
async def test_reexported_function():
    # `shop` re-exports `fetch_order` from `shop.api` in its __init__.py.
    fetch_order(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_module_alias():
    assert api.cancel_order(1)  # expect: AIO202


@pytest.mark.asyncio
async def test_relative_import():
    orders = seed_orders(3)  # expect: AIO202
    assert len(orders) == 3


@pytest.mark.asyncio
async def test_fixture_annotation(client):
    # `client` is annotated `AsyncIterator[ShopClient]` in conftest.py.
    order = client.get_order(1)  # expect: AIO202
    assert order["total"] == 10


@pytest.mark.asyncio
async def test_fixture_returned_instance(plain_client):
    plain_client.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_base_class_method():
    shop_client = ShopClient()
    if shop_client.ping():  # expect: AIO202
        assert shop_client.url("x")


@pytest.mark.asyncio
async def test_async_with_binding():
    async with ShopClient() as shop_client:
        assert shop_client.get_order(2)["id"] == 2  # expect: AIO202


@pytest.mark.asyncio
async def test_raises_block():
    with pytest.raises(KeyError):
        cancel_order(5)  # expect: AIO202


@pytest.mark.asyncio
async def test_printed():
    print(fetch_order(3))  # expect: AIO202


class TestWithSetup:
    def setup_method(self):
        self.client = ShopClient()

    @pytest.mark.asyncio
    async def test_attribute_from_setup(self):
        self.client.aclose()  # expect: AIO201


def make_client() -> ShopClient:
    return ShopClient()


class TestWithFactorySetup:
    def setup_method(self):
        # What the factory returns, as its annotation says.
        self.client = make_client()

    @pytest.mark.asyncio
    async def test_attribute_from_a_factory(self):
        self.client.aclose()  # expect: AIO201


def test_sync_test_calls_coroutine():
    assert fetch_order(1)  # expect: AIO203


@pytest.mark.asyncio
async def test_fixture_values(first_order, order_total):
    assert first_order["total"] == order_total


@pytest.mark.asyncio
async def test_dataclass_method():
    # `@dataclass` keeps the methods a class defines.
    settings = Settings()
    settings.reload()  # expect: AIO201


@pytest.mark.asyncio
async def test_boolean_operands():
    assert fetch_order(1) and True  # expect: AIO202
    assert False or cancel_order(2)  # expect: AIO202
