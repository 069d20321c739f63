import asyncio


def test_job(job):
    assert isinstance(job["queue"], asyncio.Queue)


async def test_queue(queue):
    await queue.put(1)
    assert queue.qsize() == 1
