"""Coroutines that are awaited, handed on, or whose callee asynclint cannot be sure of: nothing to report."""

import asyncio
import inspect

import pytest

from shop.api import fetch_order, order_url


@pytest.mark.asyncio
async def test_awaited_and_passed_on():
    await fetch_order(1)
    task = asyncio.create_task(fetch_order(2))
    await task
    await asyncio.gather(fetch_order(3), fetch_order(4))
    coro = fetch_order(5)
    assert inspect.iscoroutine(coro)
    await coro
    order_url(1)


def test_run_in_sync_test():
    assert asyncio.run(fetch_order(1))["id"] == 1


def make_coroutine():
    return fetch_order(1)


@pytest.mark.asyncio
async def test_expected_warning():
    with pytest.warns(RuntimeWarning):
        fetch_order(1)


@pytest.mark.asyncio
async def test_unknown_receiver(some_client):
    some_client.get_order(1)


@pytest.mark.asyncio
async def test_lambda_and_comprehension():
    callbacks = [lambda: fetch_order(1)]
    coros = [fetch_order(i) for i in range(3)]
    await asyncio.gather(*coros)
    assert callbacks


@pytest.mark.asyncio
async def test_shadowed_name():
    def fetch_order(order_id):
        return {"id": order_id}

    assert fetch_order(1)["id"] == 1


@pytest.mark.asyncio
async def test_closed_coroutine():
    coro = fetch_order(1)
    coro.close()


@pytest.fixture
def order_coroutine():
    # A sync fixture handing out a coroutine for the test to await: passed on, not dropped.
    coro = fetch_order(1)
    yield coro
    coro.close()


# Code generated for a sync and an async flavour: the branch for the other flavour never runs.
_IS_SYNC = True


def test_generated_twin():
    if _IS_SYNC:
        order_url(1)
    else:
        fetch_order(1)


if not _IS_SYNC:
    # Defined in the async flavour only.
    def drain_orders():
        fetch_order(9)




@pytest.fixture
def pending_order():
    # Handed to the test, which awaits it.
    return fetch_order(7)


@pytest.mark.asyncio
async def test_awaits_the_fixture(pending_order):
    assert (await pending_order)["id"] == 7


@pytest.mark.asyncio
async def test_right_operand_is_a_value():
    handler = None
    pending = handler or fetch_order(8)
    assert (await pending)["id"] == 8
