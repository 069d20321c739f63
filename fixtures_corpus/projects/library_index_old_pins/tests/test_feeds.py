"""The tide feeds, fetched with the aiohttp 2 client the service ships and the httpx client of its tools."""

import aiohttp
import httpx

FEED = "https://tides.example.org/feed"


async def test_feed_is_served():
    session = aiohttp.ClientSession()
    response = await session.get(FEED)
    assert response.status == 200
    # aiohttp 2's `close()` closed at once; awaiting what it returned was optional.
    session.close()


async def test_tools_fetch_the_feed():
    async with httpx.AsyncClient() as client:
        response = await client.get(FEED)
        assert response.status_code == 200
        client.get(FEED + "/today")  # expect: AIO201
