"""`assert_called_once()` on an `AsyncMock` the code under test calls: with warnings as errors, a missing
`await` in that code fails the test ("coroutine ... was never awaited"), so the assertion hides nothing."""

from unittest.mock import AsyncMock

import pytest


async def notify(send) -> None:
    await send("hello")


@pytest.mark.asyncio
async def test_notify_sends() -> None:
    send = AsyncMock()
    await notify(send)
    send.assert_called_once()
