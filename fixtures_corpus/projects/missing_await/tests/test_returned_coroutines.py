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


class Router:
    """Awaits a handler's result, and that result again while it is awaitable, as web frameworks do."""

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}

    def route(self, path: str):
        def register(handler):
            self.handlers[path] = handler
            return handler

        return register

    async def dispatch(self, path: str) -> object:
        result = await self.handlers[path]()
        while asyncio.iscoroutine(result):
            result = await result
        return result


router = Router()


@router.route("/stock")
async def stock_handler():
    # Its caller is the router, which awaits what it returns: nothing here says that is wrong.
    return Inventory().count()


async def passed_handler():
    return Inventory().count()


@pytest.mark.asyncio
async def test_handlers():
    router.route("/passed")(passed_handler)
    assert await router.dispatch("/stock") == 3
    assert await router.dispatch("/passed") == 3


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
