import pytest


@pytest.mark.trio
async def test_in_nursery(trio_nursery):
    assert trio_nursery is None
