import pytest


# parsing needs no event loop
# expect-next-line: AIO102
@pytest.mark.asyncio
def test_parse_order_id():
    assert int("7") == 7


@pytest.mark.asyncio
class TestMixed:
    async def test_async(self, client):
        assert await client.get(1)

    def test_sync(self):  # expect: AIO102
        assert True
