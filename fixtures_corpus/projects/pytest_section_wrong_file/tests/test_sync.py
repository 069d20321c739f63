import pytest


@pytest.mark.asyncio
async def test_sync_once():
    assert True
