"""Coroutines dropped in code nested in tests, and in sync helpers of a test module."""

import pytest

from shop import ShopClient
from shop.api import cancel_order, fetch_order


class Registry:
    def __init__(self):
        self.handlers = []

    def add(self, handler):
        self.handlers.append(handler)


def log_cancel(order_id):
    # A sync helper of the test module: the coroutine never runs.
    cancel_order(order_id)  # expect: AIO203


def later(order_id):
    # Stored and returned: its caller may await it.
    pending = cancel_order(order_id)
    return pending


@pytest.mark.asyncio
async def test_handler_registered_as_a_sync_callback():
    registry = Registry()

    def on_order(order_id, client: ShopClient):
        client.aclose()  # expect: AIO203
        return order_id

    registry.add(on_order)
    assert registry.handlers


@pytest.mark.asyncio
async def test_nested_coroutine_uses_the_enclosing_client():
    client = ShopClient()

    async def poll():
        client.get_order(1)  # expect: AIO201

    await poll()


@pytest.mark.asyncio
async def test_nested_coroutine_awaits():
    client = ShopClient()

    async def poll():
        return await client.get_order(1)

    assert await poll()


def test_unpacked_in_a_sync_test():
    order, total = fetch_order(1)  # expect: AIO203


@pytest.mark.asyncio
async def test_unpacked():
    order, total = fetch_order(1)  # expect: AIO202


class TestMarkedHelper:
    @pytest.mark.asyncio  # expect: AIO109
    async def check_order(self, order_id):
        assert await fetch_order(order_id)

    @pytest.mark.asyncio
    async def test_uses_the_marked_helper(self):
        # A mark returns the function it is given: the helper is still `async def`.
        self.check_order(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_verification_defined_in_the_test():
    client = ShopClient()

    async def verify():
        assert await client.get_order(1)

    verify()  # expect: AIO201
    await verify()

    async def orders():
        yield await client.get_order(1)

    orders()  # an async generator: calling it gives an iterator, which nothing needs to await

    def sync_verify():
        return 1

    sync_verify()


def test_verification_in_a_sync_test():
    async def verify():
        pass

    verify()  # expect: AIO203


@pytest.mark.asyncio
async def test_redefined_helper(flag=True):
    if flag:

        async def check():
            pass

    else:

        def check():
            pass

    check()
