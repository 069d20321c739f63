import asyncio

import pytest


async def test_skipped_on_pytest_7():  # expect: AIO101
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_generator_passes_without_running():  # expect: AIO103
    yield
    assert False


@pytest.mark.asyncio
async def test_fine():
    await asyncio.sleep(0)
