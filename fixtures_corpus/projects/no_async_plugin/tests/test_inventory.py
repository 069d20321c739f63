import asyncio

import pytest


@pytest.fixture
async def stock():
    await asyncio.sleep(0)
    return {"apples": 3}


@pytest.fixture
def apples(stock):
    return stock["apples"]


async def test_restock():  # expect: AIO101
    # uv.lock lists every package of the project, and none runs coroutine tests
    await asyncio.sleep(0)


def test_stock_is_read(stock):  # expect: AIO302
    assert stock["apples"] == 3


def test_apples(apples):  # expect: AIO302
    assert apples == 3
