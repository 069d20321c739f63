import pytest


@pytest.mark.asyncio
async def test_plugin_loads():
    assert True
