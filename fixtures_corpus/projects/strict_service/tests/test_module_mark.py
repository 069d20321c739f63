import pytest

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


async def test_covered_by_module_mark(client):
    assert await client.get(1)


def test_sync_under_module_mark():  # expect: AIO102
    assert 1 + 1 == 2


class TestGroup:
    async def test_method(self, client):
        assert await client.get(1)
