import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param


@pytest.fixture
async def stream(anyio_backend):
    # anyio runs this fixture for the anyio tests that request it
    return [anyio_backend]


@pytest.fixture
async def client(stream):
    return stream
