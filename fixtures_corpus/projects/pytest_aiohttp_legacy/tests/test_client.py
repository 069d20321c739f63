async def test_run_by_the_old_plugin(aiohttp_client):
    assert aiohttp_client
