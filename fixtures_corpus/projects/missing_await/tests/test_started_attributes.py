"""Attributes a method other than `__init__` sets (`async def start`), each assigned nowhere else in the class:
a test that reads one after `start()` gets what `start()` stored there."""

import asyncio

import pytest
import pytest_asyncio

from shop.gateways import Gateway
from shop.wallets import Ledger


async def ready_ledger() -> Ledger:
    return Ledger()


@pytest_asyncio.fixture
async def gateway():
    gateway = Gateway(ready_ledger())
    await gateway.start()
    yield gateway


@pytest.mark.asyncio
async def test_set_by_an_awaited_classmethod(gateway: Gateway) -> None:
    gateway.channel.send("hello")  # expect: AIO201


@pytest.mark.asyncio
async def test_set_by_awaiting_a_declared_awaitable(gateway: Gateway) -> None:
    gateway.ledger.record(1)  # expect: AIO201


@pytest.mark.asyncio
async def test_set_from_another_attribute(gateway: Gateway) -> None:
    gateway.wallet.push(2)  # expect: AIO201


@pytest.mark.asyncio
async def test_cleared_in_init(gateway: Gateway) -> None:
    # `None` in `__init__`, a `Channel` in `start()`: None has no `send`, so where it is called it is the channel.
    gateway.backup.send("hello")  # expect: AIO201


@pytest.mark.asyncio
async def test_set_from_a_parameter_is_unknown(gateway: Gateway) -> None:
    # `swap()` stores whatever its caller passes.
    gateway.spare.send("unknown")


@pytest.mark.asyncio
async def test_set_to_one_of_two_values_is_unknown(gateway: Gateway) -> None:
    gateway.route.send("unknown")


@pytest.mark.asyncio
async def test_awaited(gateway: Gateway) -> None:
    await gateway.channel.send("hello")
    await gateway.ledger.record(3)
    await asyncio.sleep(0)
