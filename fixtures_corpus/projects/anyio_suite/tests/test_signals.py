import anyio
import pytest


async def test_requests_backend(anyio_backend):
    await anyio.sleep(0)


async def test_transitive_backend(client):
    # `client` -> `stream` -> `anyio_backend`: anyio runs this test
    assert client


@pytest.mark.usefixtures("anyio_backend")
async def test_usefixtures_backend():
    await anyio.sleep(0)


@pytest.mark.anyio
class TestMarkedClass:
    async def test_method(self):
        await anyio.sleep(0)


@pytest.mark.anyio
@pytest.mark.asyncio  # expect: AIO104
async def test_both_marks():
    await anyio.sleep(0)


async def test_asyncio_code_without_a_mark():  # expect: AIO101
    await anyio.sleep(0)
