async def test_no_async_plugin_in_sight():
    # nothing shows that this project uses pytest-asyncio: asynclint does not guess
    assert True
