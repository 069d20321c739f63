from marks import asyncio_mark

pytestmark = [asyncio_mark]


async def test_marked_through_an_import():
    assert True
