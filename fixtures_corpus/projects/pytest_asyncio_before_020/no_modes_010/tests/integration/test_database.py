import pytest


@pytest.mark.asyncio
async def test_database(database, event_loop):
    assert database["url"].startswith("postgresql://")
    assert event_loop.is_running()
