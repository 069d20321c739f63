"""Calls whose object is async on one path and sync on another are left alone."""

import pytest

from shop.client import ShopClient


@pytest.fixture(params=["async", "sync"])
def client(request):
    return ShopClient() if request.param == "async" else object()


@pytest.mark.asyncio
async def test_either_kind(client):
    if isinstance(client, ShopClient):
        await client.refresh_cache()
    else:
        client.refresh_cache()


@pytest.mark.asyncio
async def test_awaited_alone(client):
    await client.refresh_cache()


@pytest.mark.asyncio
async def test_caller_chooses_how_it_runs():
    # A `_sync=True` argument asks a dispatching wrapper to run at once (Prefect's `@async_dispatch`).
    shop = ShopClient()
    shop.get_order(1, _sync=True)
