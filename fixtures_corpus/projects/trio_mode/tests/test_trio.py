import trio


async def test_run_by_pytest_trio():
    await trio.sleep(0)
