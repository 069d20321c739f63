import anyio
import pytest


@pytest.mark.anyio
async def test_marked(client):
    await anyio.sleep(0)
    assert client["base_url"]


async def test_with_backend(anyio_backend, client):
    await anyio.sleep(0)


async def test_forgot_the_mark(client):  # expect: AIO101
    await anyio.sleep(0)


def test_sync_gets_a_coroutine(client):  # expect: AIO302
    assert client["base_url"]


def test_sync_through_a_fixture(headers):  # expect: AIO302
    assert headers["host"]


def test_sync_with_backend(anyio_backend, client):
    # anyio runs the async fixture for a test that uses `anyio_backend`
    assert client["base_url"]
