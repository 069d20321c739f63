import asyncio


async def test_run_by_the_addopts_plugin():
    # `-p support.coroutine_runner` runs every coroutine test: no mark needed
    await asyncio.sleep(0)
