import asyncio


def test_sleep_benchmark(event_loop):
    event_loop.run_until_complete(asyncio.sleep(0))
