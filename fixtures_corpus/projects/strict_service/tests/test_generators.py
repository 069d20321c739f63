import pytest


@pytest.mark.asyncio
async def test_stream_orders(client):  # expect: AIO103
    order = await client.get(1)
    yield order
    assert order


async def test_stream_unmarked():  # expect: AIO103
    yield 1


@pytest.mark.asyncio
async def test_nested_generator_is_fine():
    async def numbers():
        yield 1

    assert [n async for n in numbers()] == [1]
