"""Coroutines made in a comprehension: dropped with it, or tested for truth by `all`/`any`."""

import pytest

from shop.client import ShopClient


@pytest.mark.asyncio
async def test_warm_up_orders():
    client = ShopClient()
    [client.get_order(order_id) for order_id in (1, 2, 3)]  # expect: AIO201


@pytest.mark.asyncio
async def test_all_orders_exist():
    client = ShopClient()
    # Each element is a coroutine object: always true.
    assert all(client.get_order(order_id) for order_id in (1, 2, 3))  # expect: AIO202


@pytest.mark.asyncio
async def test_left_alone():
    clients = [ShopClient(), ShopClient()]
    # What the comprehension's own loop variable holds is not followed.
    [each.aclose() for each in clients]
    # A generator expression nobody iterates makes no coroutine at all.
    (clients[0].get_order(order_id) for order_id in (1, 2))
    orders = [await clients[0].get_order(order_id) for order_id in (1, 2)]
    assert orders
