"""A name a test binds more than once: known when every binding holds an instance of the same class."""

import pytest

from shop import ShopClient
from shop.devices import Device, FakeDevice
from shop.receipts import Order, Printer, load_order


@pytest.mark.asyncio
async def test_client_made_twice():
    client = ShopClient()
    await client.get_order(1)
    client = ShopClient()
    client.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_parameter_rebound_to_the_same_class(order: Order):
    order = await load_order(order.order_id)
    Printer().print_order(order)
    order = load_order(2)  # expect: AIO202
    Printer().print_order(order)


@pytest.mark.asyncio
async def test_bound_to_different_classes(fake):
    device = Device()
    await device.ping()
    device = FakeDevice()
    device.request(1, b"")  # a plain method of the fake


@pytest.mark.asyncio
async def test_bound_to_something_unknown(make_device):
    device = Device()
    await device.ping()
    device = make_device()
    device.ping()
