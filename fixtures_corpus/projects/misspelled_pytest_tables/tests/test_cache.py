import pytest


async def load(key):
    return {"key": key}


@pytest.mark.asyncio
async def test_load():
    assert (await load("a"))["key"] == "a"
