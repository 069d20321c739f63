"""Async tests that strict mode never runs."""

import pytest


async def test_get_order(client):  # expect: AIO101
    order = await client.get(1)
    assert order["id"] == 1


class TestOrders:
    async def test_get_twice(self, client):  # expect: AIO101
        assert await client.get(2) == await client.get(2)

    @pytest.mark.asyncio
    async def test_marked(self, client):
        assert await client.get(3)

    async def fetch_many(self, client):
        # not a test: the name does not start with "test"
        return [await client.get(n) for n in range(3)]


async def build_order():
    return {"id": 0}


def test_sync_helper_is_fine():
    assert build_order is not None


async def test_redefined():
    # shadowed by the definition below: pytest never collects this one
    assert False


@pytest.mark.asyncio
async def test_redefined():
    assert True
