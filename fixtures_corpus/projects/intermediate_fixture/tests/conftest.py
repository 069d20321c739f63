import pytest


@pytest.fixture
async def token():  # expect: AIO301
    return "secret"


@pytest.fixture
def auth_headers(token):
    return {"Authorization": f"Bearer {token}"}
