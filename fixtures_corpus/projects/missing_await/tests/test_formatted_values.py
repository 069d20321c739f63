"""A coroutine formatted into a string shows as `<coroutine object ...>`; one used with an arithmetic operator
raises `TypeError`. Neither ever runs."""

import logging

import pytest

from shop.client import ShopClient

log = logging.getLogger(__name__)


async def order_total(client: ShopClient, order_id: int) -> int:
    order = await client.get_order(order_id)
    return order["total"]


@pytest.mark.asyncio
async def test_logged_order():
    client = ShopClient()
    log.info(f"order: {client.get_order(1)}")  # expect: AIO202
    log.info("order: %s" % client.get_order(2))  # expect: AIO202
    log.info("order: %s", await client.get_order(3))


@pytest.mark.asyncio
async def test_totals_added():
    client = ShopClient()
    both = order_total(client, 1) + 5  # expect: AIO202
    assert both == 15
    stored = order_total(client, 2)  # expect: AIO202
    assert stored * 2 == 20


@pytest.mark.asyncio
async def test_awaited_operands():
    client = ShopClient()
    assert await order_total(client, 1) + await order_total(client, 2) == 20
    assert f"{await order_total(client, 3)}" == "10"
