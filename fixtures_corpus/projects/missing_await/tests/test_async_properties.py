"""A property whose getter is `async def` makes a coroutine each time it is read: reading it without `await`
tests, compares or passes on the coroutine object (a `cached_property` hands out one coroutine, which can be
awaited once only, and is not judged)."""

from functools import cached_property

import pytest


class ReplicaSet:
    @property
    async def primary(self) -> str:
        return "db-1"

    @property
    async def secondaries(self) -> set[str]:
        return {"db-2", "db-3"}

    @property
    def name(self) -> str:
        return "rs0"

    @cached_property
    async def version(self) -> str:
        return "7.0"


@pytest.fixture
def replica_set() -> ReplicaSet:
    return ReplicaSet()


@pytest.mark.asyncio
async def test_primary_is_known(replica_set) -> None:
    assert replica_set.primary  # expect: AIO202
    assert replica_set.primary == "db-1"  # expect: AIO202
    assert await replica_set.primary == "db-1"
    assert replica_set.name == "rs0"


@pytest.mark.asyncio
async def test_secondaries(replica_set) -> None:
    assert len(replica_set.secondaries) == 2  # expect: AIO202
    secondaries = await replica_set.secondaries
    assert "db-2" in secondaries
    assert await replica_set.version == "7.0"


def test_primary_in_a_sync_test(replica_set) -> None:
    assert replica_set.primary  # expect: AIO203
