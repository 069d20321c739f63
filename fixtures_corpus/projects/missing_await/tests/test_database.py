"""`quickdb` is installed in the project's venv/: asynclint reads its source."""

import pytest

import quickdb
from quickdb import Connection, Pool


@pytest.fixture
def dsn():
    return "quickdb://test"


@pytest.mark.asyncio
async def test_installed_function(dsn):
    quickdb.connect(dsn)  # expect: AIO201


@pytest.mark.asyncio
async def test_installed_class_and_base():
    connection = Connection()
    connection.execute("select 1")  # expect: AIO201
    assert not connection.is_closed()
    assert connection.cursor() is None


async def check_value(connection: Connection):
    assert connection.fetchval("select 1") == 1  # expect: AIO202


@pytest.mark.asyncio
async def test_pool():
    pool = Pool()
    pool.acquire()  # expect: AIO201
    # `release` is wrapped by `retrying`, whose source shows an `async def` wrapper awaiting it: still a
    # coroutine function. `size` is not defined (`__getattr__` makes it up): unknown.
    pool.release(None)  # expect: AIO201
    pool.size()
