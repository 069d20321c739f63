async def test_run_by_the_aiohttp_plugin(aiohttp_client):
    # aiohttp's plugin runs every coroutine test itself
    assert aiohttp_client is not None
