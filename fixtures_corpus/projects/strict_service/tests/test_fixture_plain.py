"""Async fixtures in a test module: who uses them decides whether they are broken."""

import asyncio

import pytest


@pytest.fixture(scope="module", name="inventory")
async def make_inventory():  # expect: AIO301
    await asyncio.sleep(0)
    return {"apples": 3}


@pytest.fixture
async def restock():  # expect: AIO301
    await asyncio.sleep(0)
    yield


@pytest.fixture
async def anyio_only(anyio_backend):
    # requests anyio_backend: anyio runs it for whoever asks
    return anyio_backend


@pytest.fixture
async def unused():
    # nobody requests it: nothing goes wrong at runtime
    return 1


@pytest.mark.asyncio
async def test_inventory(inventory):
    assert inventory["apples"] == 3


def test_restock(restock):  # expect: AIO302
    pass


@pytest.mark.anyio
async def test_anyio(anyio_only):
    assert anyio_only
