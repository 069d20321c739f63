"""An `AsyncMock`'s attributes are `AsyncMock`s too: calling one returns a coroutine, whatever it is named."""

from unittest.mock import AsyncMock, MagicMock

import pytest

from shop.client import ShopClient


@pytest.fixture
def api_class():
    # Stands in for a client class: what the code under test makes of it is `api_class.return_value`.
    api = MagicMock(spec=ShopClient, return_value=AsyncMock())
    api.return_value.get_order.return_value.total = 10
    api.return_value.url = MagicMock(return_value="https://shop.test/orders")
    return api


@pytest.mark.asyncio
async def test_child_of_an_asyncmock():
    client = AsyncMock()
    client.close()  # expect: AIO201
    assert client.send(b"order")  # expect: AIO202


@pytest.mark.asyncio
async def test_child_of_a_fixtures_mock(api_class):
    assert api_class.return_value.delete_order(1)  # expect: AIO202


@pytest.mark.asyncio
async def test_child_set_where_the_mock_is_made(api_class):
    # `url` was replaced with a plain mock, and `get_order` set up deeper: its call still gives a coroutine.
    assert api_class.return_value.url("orders")
    assert api_class.return_value.get_order(1)  # expect: AIO202


@pytest.mark.asyncio
async def test_children_are_awaited():
    client = AsyncMock()
    await client.close()
    client.close.assert_called_once()


@pytest.mark.asyncio
async def test_a_spec_decides():
    # With a spec, a plain `def` of the class is a plain mock.
    client = AsyncMock(spec=ShopClient)
    client.url("orders")


@pytest.mark.asyncio
async def test_replaced_child():
    client = AsyncMock()
    client.url = MagicMock(return_value="https://shop.test")
    assert client.url()


@pytest.mark.asyncio
async def test_the_mocks_own_interface():
    client = AsyncMock()
    client.reset_mock()
    assert not client.called


@pytest.mark.asyncio
async def test_plain_mock_children():
    client = MagicMock()
    assert client.send(b"order")


async def checkout(client):
    return await client.send(b"order")


@pytest.mark.asyncio
async def test_keyword_mock():
    client = AsyncMock(send=AsyncMock())
    await checkout(client)
    client.send.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_keyword_mock_with_its_result_set():
    # What awaiting `send` gives is set where it is made: only an awaited call hands it on, and the test checks it.
    client = AsyncMock(send=AsyncMock(side_effect=["sent"]))
    assert await checkout(client) == "sent"
    client.send.assert_called_once()
