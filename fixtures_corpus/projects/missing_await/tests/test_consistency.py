import pytest
from vendor_sdk import open_session, wrapped_in_session  # not installed: asynclint cannot read them


@pytest.mark.asyncio
async def test_session_commit():
    session = open_session()
    await session.commit()
    session.commit()  # expect: AIO201


@pytest.mark.asyncio
async def test_session_unknown():
    session = open_session()
    session.commit()


@pytest.mark.asyncio
async def test_awaitable_that_is_also_a_context_manager():
    # Awaited above does not make it a coroutine: aiohttp-style request objects are both.
    session = open_session()
    await session.request("GET")
    async with session.request("GET") as response:
        assert response


@pytest.mark.asyncio
async def test_tasks_run_anyway():
    session = open_session()
    await session.create_task(None)
    session.create_task(None)


class TestLocks:
    """Values made by the same callee in other tests: `release` is awaited on every other lock `get_lock` makes
    (four to one at least: a method awaited as often as not may be meant both ways)."""

    def get_lock(self, name):
        return open_session().lock(name)

    @pytest.mark.asyncio
    async def test_lock(self):
        lock = self.get_lock("a")
        await lock.acquire()
        await lock.release()

    @pytest.mark.asyncio
    async def test_other_lock(self):
        other = self.get_lock("b")
        await other.release()

    @pytest.mark.asyncio
    async def test_two_locks(self):
        first, second = self.get_lock("d"), self.get_lock("e")
        one = self.get_lock("f")
        two = self.get_lock("g")
        await one.release()
        await two.release()

    @pytest.mark.asyncio
    async def test_entered(self):
        async with self.get_lock("c") as lock:
            lock.release()  # expect: AIO201


class TestPipelines:
    """A pipeline's commands run at once when awaited and are queued when not: both ways, in one file."""

    def pipeline(self):
        return open_session().pipeline()

    @pytest.mark.asyncio
    async def test_immediate(self):
        pipe = self.pipeline()
        assert await pipe.get("a")

    @pytest.mark.asyncio
    async def test_queued(self):
        pipe = self.pipeline()
        pipe.multi()
        pipe.get("a")
        await pipe.execute()


@wrapped_in_session  # not installed: what it does with the body is unknown
def test_wrapped_sync_body():
    # Known only from the `await` above: under a wrapper that may run the body in a loop, not judged.
    session = open_session()
    session.commit()


@pytest.mark.asyncio
async def test_compared_in_an_assert():
    session = open_session()
    assert await session.fetch_total() == 3
    assert session.fetch_total() == 3  # expect: AIO202


@pytest.mark.asyncio
async def test_compared_outside_an_assert_is_unknown():
    session = open_session()
    assert await session.fetch_count() == 3
    if session.fetch_count() == 3:
        return


@pytest.mark.asyncio
async def test_decorated_function_as_receiver():
    @wrapped_in_session
    async def workflow(value):
        return value

    # What the decorator made of `workflow` is unknown; its `ainvoke` is awaited below.
    assert workflow.ainvoke(1) == 1  # expect: AIO202
    assert await workflow.ainvoke(2) == 2
