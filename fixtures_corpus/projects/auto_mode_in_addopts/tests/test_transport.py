import pytest


async def send(payload):
    return len(payload)


@pytest.mark.anyio
async def test_send_on_each_backend():
    assert await send(b"abc") == 3
