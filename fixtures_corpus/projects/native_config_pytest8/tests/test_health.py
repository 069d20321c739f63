import pytest


@pytest.mark.asyncio
async def test_health():
    assert True
