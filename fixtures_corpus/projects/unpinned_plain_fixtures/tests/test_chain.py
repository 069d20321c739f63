"""An async fixture under plain `@pytest.fixture`, in a project that does not pin pytest-asyncio."""

import pytest

from store.chain import Chain


@pytest.fixture
async def chain():  # expect: AIO301
    return Chain()


@pytest.mark.asyncio
async def test_receive(chain):
    # Awaiting its methods only works if pytest-asyncio runs the fixture: this suite shows it does.
    assert await chain.receive(1) == 1


@pytest.mark.asyncio
async def test_peak(chain):
    current = chain
    current.peak()  # expect: AIO201
