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


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pool():
    yield Pool()


@pytest.fixture(scope="session")
def data_dir(tmp_path):  # expect: AIO403
    return tmp_path / "data"


@pytest.fixture(scope="session")
def event_loop_policy():  # expect: AIO408
    return asyncio.DefaultEventLoopPolicy()
