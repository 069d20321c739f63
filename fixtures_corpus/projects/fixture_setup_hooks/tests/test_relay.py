"""The plugin's `pytest_fixture_setup` only wraps `async def` fixtures: `relay_server` keeps its value."""


async def test_close(relay_server):
    server = await relay_server()
    server.close()  # expect: AIO201


async def test_close_awaited(relay_server):
    server = await relay_server()
    await server.close()
