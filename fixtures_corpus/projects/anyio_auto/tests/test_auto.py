import anyio


async def test_run_by_anyio_auto_mode():
    await anyio.sleep(0)
