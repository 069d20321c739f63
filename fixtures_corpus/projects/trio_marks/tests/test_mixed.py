import pytest
import trio


@pytest.mark.trio
async def test_trio_marked():
    await trio.sleep(0)


@pytest.mark.network
async def test_forgot_the_mark():  # expect: AIO101
    await trio.sleep(0)
