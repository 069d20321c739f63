"""Marks stacked on fixtures: they never did anything, and pytest 9 refuses them."""

import pytest
import pytest_asyncio


# expect-next-line: AIO303
@pytest.mark.asyncio
@pytest_asyncio.fixture
async def order_client():
    return object()


@pytest_asyncio.fixture
# expect-next-line: AIO303
@pytest.mark.asyncio
async def inventory_client():
    return object()


@pytest.fixture
@pytest.mark.slow  # expect: AIO303  (a comment on the mark's line: the fix is unsafe, it would drop it)
def catalog():
    return ["book"]


# The mark meant "set up `catalog` first": the fix makes the fixture request it.
@pytest.fixture
# expect-next-line: AIO303
@pytest.mark.usefixtures("catalog")
def shelf():
    return ["shelf"]


# A computed name cannot become a parameter: removing the mark would drop the dependency, so it is unsafe.
CATALOG = "catalog"


@pytest.fixture
# expect-next-line: AIO303
@pytest.mark.usefixtures(CATALOG)
def cart():
    return []


pytestmark = pytest.mark.slow  # module marks reach the tests, not the fixtures: fine


@pytest.mark.asyncio
async def test_clients(order_client, inventory_client, catalog):
    assert order_client is not inventory_client
    assert catalog == ["book"]
