import anyio
import pytest


@pytest.mark.anyio
async def test_marked():
    await anyio.sleep(0)


async def test_forgot_the_mark():  # expect: AIO101
    await anyio.sleep(0)
