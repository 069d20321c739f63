import pytest

pytestmark = (pytest.mark.asyncio,)


async def test_covered_by_tuple(client):
    assert await client.get(1)
