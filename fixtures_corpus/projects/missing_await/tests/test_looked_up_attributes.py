"""A class's own `__getattr__` and `__getitem__` give what their annotations say for names nothing else defines
(`store.orders`, `store["orders"]`): not for a name a method assigns on `self`, a class attribute, a method or
a private name, which `__getattr__` never sees or may not be meant for."""

import pytest


class Table:
    async def insert(self, row: dict) -> None:
        pass

    async def count(self) -> int:
        return 0


class Store:
    default = Table()

    def __init__(self, name: str) -> None:
        self.name = name
        self.archive = Table()

    def __getattr__(self, name: str) -> Table:
        return Table()

    def __getitem__(self, name: str) -> Table:
        return Table()

    async def close(self) -> None:
        pass


@pytest.fixture
def store() -> Store:
    return Store("shop")


@pytest.mark.asyncio
async def test_orders_are_stored(store) -> None:
    store.orders.insert({"id": 1})  # expect: AIO201
    store["orders"].insert({"id": 2})  # expect: AIO201
    assert await store.orders.count() == 0


@pytest.mark.asyncio
async def test_names_getattr_does_not_see(store) -> None:
    assert store.name.upper() == "SHOP"  # a string the constructor stored
    await store.archive.insert({})  # assigned in `__init__`: a `Table`, but not through `__getattr__`
    await store.default.insert({})
    store._cache.insert({})  # a private name: not judged
