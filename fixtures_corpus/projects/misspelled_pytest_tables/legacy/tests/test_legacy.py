import pytest


@pytest.mark.asyncio
async def test_legacy_load():
    assert True
