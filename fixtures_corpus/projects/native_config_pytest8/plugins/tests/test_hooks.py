import pytest


@pytest.mark.asyncio
async def test_hook_registered():
    assert True
