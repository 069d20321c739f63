import asyncio

import pytest


@pytest.mark.asyncio
async def test_job():
    await asyncio.sleep(0)
