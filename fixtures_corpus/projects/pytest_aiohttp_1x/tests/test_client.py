async def test_pytest_aiohttp_1x_needs_the_mark(aiohttp_client):  # expect: AIO101
    assert aiohttp_client
