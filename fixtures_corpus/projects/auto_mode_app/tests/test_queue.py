import pytest


async def test_unmarked_runs_in_auto_mode(queue):
    await queue.put(1)
    assert await queue.get() == 1


# expect-next-line: AIO106
@pytest.mark.asyncio
async def test_redundant_mark(queue):
    await queue.put(2)
    assert queue.qsize() == 1


@pytest.mark.asyncio(loop_scope="function")
async def test_mark_with_arguments_is_kept(queue):
    assert queue.empty()


# expect-next-line: AIO102
@pytest.mark.asyncio
def test_sync_still_warns():
    assert True
