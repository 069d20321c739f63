"""An `async def` that returns a coroutine function's call without `await` hands its caller the coroutine
object: `await helper()` gives the coroutine, not its result. A method called on a value made in the same
expression (`Inventory().count()`) is known as well as one called on a variable."""

import asyncio

import pytest


class Inventory:
    async def count(self) -> int:
        await asyncio.sleep(0)
        return 3


async def stock_level(inventory: Inventory) -> int:
    return inventory.count()  # expect: AIO202


async def stock_level_awaited(inventory: Inventory) -> int:
    return await inventory.count()


def counting(inventory: Inventory):
    # A plain function may hand a coroutine to a caller that awaits it.
    return inventory.count()


async def background_count(inventory: Inventory) -> "asyncio.Task[int]":
    # A task runs whether awaited or not: handing it out is what this helper is for.
    return asyncio.create_task(inventory.count())


@pytest.mark.asyncio
async def test_stock_level():
    assert await stock_level(Inventory()) == 3
    assert await stock_level_awaited(Inventory()) == 3
    assert await counting(Inventory()) == 3
    assert await await_task(await background_count(Inventory())) == 3


async def await_task(task: "asyncio.Task[int]") -> int:
    return await task


@pytest.mark.asyncio
async def test_nested_helper():
    inventory = Inventory()

    async def total() -> int:
        stored = inventory.count()  # expect: AIO202
        return stored

    assert await total() == 3


@pytest.mark.asyncio
async def test_made_in_the_expression():
    Inventory().count()  # expect: AIO201
    assert Inventory().count()  # expect: AIO202
    assert await Inventory().count() == 3
