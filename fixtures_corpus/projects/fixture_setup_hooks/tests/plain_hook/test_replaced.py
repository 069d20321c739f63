async def test_close(relay_server):
    server = await relay_server()
    server.close()
