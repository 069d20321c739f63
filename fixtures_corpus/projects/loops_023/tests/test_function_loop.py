import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def local():
    yield object()


@pytest.mark.asyncio
async def test_default_loop(client):  # expect: AIO402
    reader, writer = client
    writer.write(b"PING\r\n")
    assert await reader.readline() == b"+PONG\r\n"


@pytest.mark.asyncio(scope="session")
async def test_session_loop(local):  # expect: AIO402
    # 0.23 fails collection: MultipleEventLoopsRequestedError
    assert local is not None


@pytest.mark.asyncio
async def test_local(local, event_loop):
    assert local is not None
