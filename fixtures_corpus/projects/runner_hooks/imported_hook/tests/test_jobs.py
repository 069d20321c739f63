import asyncio


async def test_run_by_the_imported_hook():
    await asyncio.sleep(0)
