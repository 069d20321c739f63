"""`assert_called*` on an `AsyncMock` only the code under test calls: reported when nothing else would notice a
missing `await`. Silent when the test sets what awaiting the mock gives (an un-awaited call would hand the
code a coroutine, or raise nothing), when only the test's own code calls it (always under `await`), and when a
fixture hands the mock over (set up out of sight)."""

from unittest.mock import AsyncMock

import pytest


async def run_checkout(hook):
    return await hook("order-1")


@pytest.fixture
def payment_gateway():
    return AsyncMock(return_value={"status": "paid"})


@pytest.mark.asyncio
async def test_handed_to_the_code_and_never_checked():
    notify = AsyncMock()
    await run_checkout(notify)
    notify.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_a_result_of_none_is_the_default():
    # Set explicitly, `None` is what the mock gives anyway: nothing depends on the await.
    notify = AsyncMock(return_value=None)
    await run_checkout(notify)
    notify.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_checked_in_a_nested_function():
    notify = AsyncMock()
    await run_checkout(notify)

    def verify():
        notify.assert_called_once()  # expect: AIO204

    verify()


@pytest.mark.asyncio
async def test_the_result_it_gives_is_checked():
    charge = AsyncMock(return_value={"status": "paid"})
    assert await run_checkout(charge) == {"status": "paid"}
    charge.assert_called_once_with("order-1")


@pytest.mark.asyncio
async def test_it_raises_what_the_test_expects():
    charge = AsyncMock()
    charge.side_effect = RuntimeError("declined")
    with pytest.raises(RuntimeError):
        await run_checkout(charge)
    charge.assert_called_once()


@pytest.mark.asyncio
async def test_only_the_tests_own_hook_calls_it():
    audit = AsyncMock()

    async def hook(order):
        await audit(order)

    await run_checkout(hook)
    audit.assert_called_once_with("order-1")


@pytest.mark.asyncio
async def test_a_fixture_hands_it_over(payment_gateway):
    await run_checkout(payment_gateway)
    payment_gateway.assert_called_once()
