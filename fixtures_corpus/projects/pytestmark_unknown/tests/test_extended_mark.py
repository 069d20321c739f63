import pytest

pytestmark = [pytest.mark.slow]
pytestmark += [pytest.mark.asyncio]


async def test_marked_later():
    assert True
