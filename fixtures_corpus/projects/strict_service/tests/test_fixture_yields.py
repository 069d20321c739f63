"""Yield fixtures: one `yield` per run, or teardown breaks."""

import pytest
import pytest_asyncio


class Connection:
    def reset(self):
        pass

    def close(self):
        pass


@pytest.fixture
def connection():
    conn = Connection()
    yield conn
    conn.reset()
    yield conn  # expect: AIO306
    conn.close()


@pytest_asyncio.fixture
async def session(request):
    # One yield per branch: fine.
    if request.config.getoption("verbose"):
        yield "verbose"
    else:
        yield "quiet"


@pytest.fixture
def early_exit(request):
    if request.config.getoption("verbose"):
        yield 1
        return
    yield 2


@pytest.fixture
def retried():
    try:
        yield Connection()
    finally:
        yield None  # expect: AIO306


@pytest.fixture
def by_backend(request):
    # One yield per branch of a long `elif` chain: fine.
    backend = request.config.getoption("backend", "memory")
    if backend == "memory":
        yield {}
    elif backend == "sqlite":
        yield "sqlite://"
    elif backend == "postgres":
        yield "postgresql://localhost/test"
    else:
        yield None


@pytest_asyncio.fixture
async def pool(request):
    conn = Connection()
    if request.config.getoption("verbose"):
        yield conn
    conn.reset()
    yield conn  # expect: AIO306
    conn.close()


def test_connection(connection, session, early_exit, by_backend, pool):
    assert connection is not None
