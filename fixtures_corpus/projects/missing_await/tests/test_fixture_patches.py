"""A fixture that patches: what it patches may be patched in other fixtures too."""

from unittest import mock

import pytest
import pytest_asyncio

from shop import ShopClient


@pytest.fixture
def quiet_client():
    with mock.patch.object(ShopClient, "aclose"):
        yield ShopClient()


@pytest_asyncio.fixture
async def client(quiet_client):
    yield quiet_client
    quiet_client.aclose()
