import pytest


@pytest.mark.asyncio
async def test_full_flow():
    assert True
