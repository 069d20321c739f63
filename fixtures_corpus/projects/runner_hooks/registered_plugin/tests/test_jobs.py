import asyncio


async def test_run_by_the_registered_plugin():
    await asyncio.sleep(0)
