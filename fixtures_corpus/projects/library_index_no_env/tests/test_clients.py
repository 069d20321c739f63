"""The forecast service's HTTP and cache clients against the staging stack."""

import httpx
import redis.asyncio
from aiohttp import ClientSession
from pymongo import AsyncMongoClient

BASE_URL = "https://staging.forecast.example.org"


async def test_today_is_served():
    async with httpx.AsyncClient(base_url=BASE_URL) as client:
        response = await client.post("/v1/refresh")
        assert response.status_code == 202
        client.get("/v1/today")  # expect: AIO201


async def test_cache_round_trip():
    cache = redis.asyncio.from_url("redis://localhost")
    await cache.execute_command("SET", "city", "Oslo")
    # `set` is a plain `def` the blocking client shares: only the async client's call returns a coroutine.
    assert await cache.set("city", "Bergen")
    cache.aclose()  # expect: AIO201


async def test_feed_is_published():
    session = ClientSession()
    # `get` is a plain `def` returning a context manager, used as one here.
    async with session.get(f"{BASE_URL}/feed") as response:
        assert response.status == 200
    session.close()  # expect: AIO201


async def test_readings_are_stored():
    client = AsyncMongoClient("mongodb://localhost")
    # A database and a collection are reached by name, through `__getattr__` and `__getitem__`.
    await client.forecast.readings.insert_one({"city": "Oslo"})
    client.forecast.readings.delete_many({})  # expect: AIO201
    client["forecast"]["readings"].drop()  # expect: AIO201
    await client.close()
