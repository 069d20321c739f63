import pytest


@pytest.fixture
def anyio_backend():
    # every anyio test of this project runs on asyncio
    return "asyncio"


@pytest.fixture
async def client():
    return {"base_url": "http://testserver"}


@pytest.fixture
def headers(client):
    return {"host": client["base_url"]}
