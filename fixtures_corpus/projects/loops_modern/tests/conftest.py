import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session")
async def engine():  # expect: AIO401
    # cached for the session, but the config puts async fixtures in function loops: ScopeMismatch
    yield object()


class Pool:
    async def fetch(self, query):
        return []

    async def keep_alive(self):
        while True:
            await asyncio.sleep(30)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pool():
    pool = Pool()
    # the keep-alive task runs in the session loop, and only while that loop runs
    keep_alive = asyncio.create_task(pool.keep_alive())
    yield pool
    keep_alive.cancel()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def repository():
    # coroutine methods, but nothing tied to the session loop: tests in any loop may use it
    return Pool()


@pytest_asyncio.fixture(scope="session")
def database_url():  # expect: AIO401
    # a sync fixture, but pytest-asyncio 1.1 and later set it up with a loop too: the config's function loop
    return "postgresql://localhost/inventory"


@pytest.fixture(scope="session")
def data_dir(tmp_path):  # expect: AIO403
    return tmp_path / "data"


@pytest.fixture(scope="session")
def event_loop_policy():  # expect: AIO408
    return asyncio.DefaultEventLoopPolicy()
