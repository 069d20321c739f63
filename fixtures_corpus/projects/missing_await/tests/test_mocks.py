from unittest.mock import AsyncMock, patch

import pytest

from shop.client import ShopClient


async def run_checkout(notify=None):
    pass


@pytest.mark.asyncio
async def test_asyncmock_called():
    notify = AsyncMock()
    notify()  # expect: AIO201
    notify.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_asyncmock_awaited_here():
    notify = AsyncMock()
    await notify()
    notify.assert_called_once()


@pytest.mark.asyncio
async def test_called_by_the_code_under_test():
    # Passes even if `run_checkout` calls `notify` without awaiting it: the test checks awaiting nowhere.
    notify = AsyncMock()
    await run_checkout(notify)
    notify.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_called_by_the_code_under_test_and_its_result_compared():
    # Only an awaited call hands `run_checkout` the mock's return value: this checks the await.
    notify = AsyncMock(return_value="sent")
    result = await run_checkout(notify)
    notify.assert_called_once()
    assert result == notify.return_value


@pytest.mark.asyncio
async def test_called_by_the_code_under_test_and_await_checked():
    notify = AsyncMock()
    await run_checkout(notify)
    notify.assert_called_once()
    assert notify.await_count == 1


@pytest.mark.asyncio
async def test_mocker_asyncmock(mocker):
    sender = mocker.AsyncMock(return_value=True)
    sender(1)  # expect: AIO201
    sender.assert_called_with(1)  # expect: AIO204


@pytest.mark.asyncio
async def test_patch_new_callable():
    with patch("shop.api.fetch_order", new_callable=AsyncMock) as fetch:
        fetch(1)  # expect: AIO201
    fetch.assert_called_once_with(1)  # expect: AIO204


@pytest.mark.asyncio
async def test_patch_object_async_target():
    # patch() makes an AsyncMock for an `async def` target.
    with patch.object(ShopClient, "get_order") as get_order:
        get_order(1)  # expect: AIO201
    get_order.assert_any_call(1)  # expect: AIO204


@pytest.mark.asyncio
async def test_patch_sync_target():
    with patch.object(ShopClient, "url") as url:
        url("orders")
    url.assert_called_once()


def test_not_called_is_left_alone():
    notify = AsyncMock()
    notify.assert_not_called()
