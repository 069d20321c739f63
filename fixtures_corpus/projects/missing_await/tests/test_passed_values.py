"""A coroutine handed to a function whose parameter asks for a class a coroutine object never is."""

import pytest

from shop.receipts import Printer, Receipt, archive, count_orders, load_order


@pytest.fixture
def printer():
    return Printer()


@pytest.fixture(params=[True, False])
def flag(request):
    return request.param


@pytest.mark.asyncio
async def test_stored_then_passed(printer):
    order = load_order(1)  # expect: AIO202
    assert printer.print_order(order) == "1 x1"


@pytest.mark.asyncio
async def test_passed_directly(printer):
    printer.print_order(load_order(2))  # expect: AIO202
    printer.print_order(await load_order(2), copies=count_orders())  # expect: AIO202
    printer.print_total(count_orders())  # expect: AIO202
    archive(load_order(3))  # expect: AIO202
    Receipt(load_order(4))  # expect: AIO202


@pytest.mark.asyncio
async def test_optional_and_quoted(printer):
    printer.print_maybe(load_order(6))  # expect: AIO202
    printer.print_union(order=load_order(7))  # expect: AIO202
    printer.print_quoted(load_order(8))  # expect: AIO202


@pytest.mark.asyncio
async def test_rebound_later(printer):
    order = load_order(9)  # expect: AIO202
    printer.print_order(order)
    order = await load_order(9)
    printer.print_order(order)
    order = load_order(10)
    await order


@pytest.mark.asyncio
async def test_parameters_that_take_anything(printer):
    printer.print_later(load_order(11))
    printer.print_any(load_order(12))
    printer.print_plain(load_order(13))
    printer.print_closable(load_order(14))
    printer.print_generic(load_order(15))
    printer.print_lazy(load_order(16))
    printer.print_either(load_order(17))
    printer.print_many(load_order(18))
    printer.print_lines(lines=load_order(19))  # expect: AIO202


@pytest.mark.asyncio
async def test_rebinding_that_may_not_happen(printer, flag):
    # The value `print_order` gets depends on `flag`: asynclint does not follow it.
    order = load_order(20)
    if flag:
        order = await load_order(20)
    printer.print_order(order)


@pytest.mark.asyncio
async def test_rebinding_in_a_loop(printer):
    # Each round awaits what the round before made.
    order = None
    for order_id in range(3):
        if order is not None:
            printer.print_order(await order)
        order = load_order(order_id)
    await order


@pytest.mark.asyncio
async def test_rebinding_in_try(printer):
    # A handler may see either value: not followed.
    try:
        order = load_order(21)
        printer.print_order(order)
        order = await load_order(21)
    except ValueError:
        pass


def test_sync_passed(printer):
    printer.print_order(load_order(22))  # expect: AIO203
