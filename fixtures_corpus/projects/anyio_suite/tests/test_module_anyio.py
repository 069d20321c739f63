import anyio
import pytest

pytestmark = pytest.mark.anyio


async def test_sleep():
    await anyio.sleep(0)


class TestGroup:
    async def test_in_class(self):
        await anyio.sleep(0)
