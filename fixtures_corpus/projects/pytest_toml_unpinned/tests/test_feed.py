async def fetch(url):
    return {"url": url, "items": []}


async def test_fetch_empty_feed():
    feed = await fetch("https://example.invalid/feed")
    assert feed["items"] == []
