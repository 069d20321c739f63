import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.asyncio]


async def test_hijacked():  # expect: AIO104
    assert True
