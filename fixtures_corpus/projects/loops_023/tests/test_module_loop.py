import pytest

# `scope=` is how pytest-asyncio 0.23 spells the test's loop: nothing to report
pytestmark = pytest.mark.asyncio(scope="module")


async def test_client(client):
    assert client is not None
