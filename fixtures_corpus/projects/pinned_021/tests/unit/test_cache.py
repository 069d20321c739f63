import pytest
import pytest_asyncio

# 0.21 ignores `scope=` on the mark: these tests run in the function-scoped `event_loop`
pytestmark = pytest.mark.asyncio(scope="module")  # expect: AIO406


@pytest_asyncio.fixture(scope="module")
async def cache():  # expect: AIO401
    # cached per module, but the `event_loop` it runs in (unit/conftest.py) is function-scoped
    return {}


async def test_cache(cache):
    assert cache == {}
