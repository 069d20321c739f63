import pytest


async def test_plugin_switched_off():
    assert True


@pytest.mark.asyncio
def test_mark_means_nothing_without_the_plugin():
    assert True
