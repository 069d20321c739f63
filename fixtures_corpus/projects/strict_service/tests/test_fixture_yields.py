"""Yield fixtures: one `yield` per run, or teardown breaks."""

import pytest
import pytest_asyncio


class Connection:
    def reset(self):
        pass

    def close(self):
        pass


@pytest.fixture
def connection():  # expect: AIO306
    conn = Connection()
    yield conn
    conn.reset()
    yield conn
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
def retried():  # expect: AIO306
    try:
        yield Connection()
    finally:
        yield None


def test_connection(connection, session, early_exit):
    assert connection is not None
