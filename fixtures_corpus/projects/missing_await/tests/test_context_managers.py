"""What `async with` binds from an `@asynccontextmanager` function: what it yields."""

import pytest
import pytest_asyncio

from shop.devices import open_pair, running_device, running_endpoint


@pytest_asyncio.fixture
async def device():
    async with running_device() as running:
        yield running


@pytest.mark.asyncio
async def test_a_fixture_entering_a_context_manager(device):
    device.request(1, b"")  # expect: AIO201


@pytest.mark.asyncio
async def test_entered_in_the_test():
    async with running_endpoint() as endpoint:
        endpoint.request(2, b"")  # expect: AIO201
        await endpoint.reply(2, b"")


@pytest_asyncio.fixture
async def opened_pair():
    opened = open_pair()  # expect: AIO202
    async with running_device() as running:
        yield running, opened
