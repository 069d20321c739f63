import pytest
import trio

pytestmark = pytest.mark.trio


async def test_trio_module_mark():
    await trio.sleep(0)
