"""Fixtures that hand over a resource they already closed."""

import tempfile
from unittest import mock

import pytest
import pytest_asyncio

from orders.settings import locked_settings, opened_ledger


class Connection:
    def __init__(self):
        self.closed = False

    async def close(self):
        self.closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()


async def cleanup_connection(connection):
    await connection.close()


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "app.cfg"
    path.write_text("debug = true\n")
    with open(path) as f:
        return f  # expect: AIO304


@pytest.fixture
def config_text(tmp_path):
    path = tmp_path / "app.cfg"
    path.write_text("debug = true\n")
    with open(path) as f:
        return f.read()


@pytest_asyncio.fixture
async def connection():
    async with Connection() as conn:
        return conn  # expect: AIO304


@pytest_asyncio.fixture
async def cleaned_connection():
    conn = Connection()
    await cleanup_connection(conn)
    return conn  # expect: AIO304


@pytest_asyncio.fixture
async def checked_connection():
    conn = Connection()
    await conn.close()
    assert conn.closed
    return conn  # expect: AIO304


@pytest.fixture
def mocked_time():
    with mock.patch("time.time", return_value=0.0):
        value = 0.0
        return value


@pytest.fixture
def scratch_path():
    with tempfile.NamedTemporaryFile(delete=False) as f:
        return f


@pytest.fixture
def raised():
    with pytest.raises(KeyError) as info:
        {}["missing"]
    return info


def test_config(config_file, config_text, mocked_time, scratch_path, raised):
    assert config_file.read() == config_text


@pytest.mark.asyncio
async def test_connections(connection, cleaned_connection, checked_connection):
    assert not connection.closed


@pytest.fixture
def settings():
    # The block releases a lock, not the dict it hands out: returning it is fine.
    with locked_settings() as values:
        return values


@pytest.fixture
def ledger(tmp_path):
    with opened_ledger(tmp_path / "ledger.txt") as handle:
        return handle  # expect: AIO304
