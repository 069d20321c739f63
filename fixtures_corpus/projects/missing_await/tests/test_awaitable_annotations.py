"""A plain method annotated to return an awaitable returns one or not by how the object was made: where the same
call on the same object is awaited elsewhere in the file, a call not awaited is a mistake."""

import asyncio
from typing import Union

import pytest


class ApiClient:
    """Runs requests on the event loop when made with `run_async=True`, at once otherwise."""

    def __init__(self, run_async: bool = False) -> None:
        self.run_async = run_async

    def list_channels(self, **params: object) -> Union["asyncio.Future[list[str]]", list[str]]:
        if self.run_async:
            future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
            future.set_result(["general"])
            return future
        return ["general"]

    def scale(self, workers: int):  # no annotation: whatever it returns, the awaits prove nothing
        return NoOpAwaitable() if self.run_async else None


class NoOpAwaitable:
    def __await__(self):
        yield from ()


@pytest.mark.asyncio
async def test_listed_both_ways():
    client = ApiClient(run_async=True)
    channels = await client.list_channels(limit=1)
    assert channels == ["general"]

    channels = client.list_channels(limit=2)  # expect: AIO202
    assert channels is not None


@pytest.mark.asyncio
async def test_dropped():
    client = ApiClient(run_async=True)
    await client.list_channels()
    client.list_channels()  # expect: AIO201


@pytest.mark.asyncio
async def test_unannotated_method():
    client = ApiClient(run_async=True)
    await client.scale(2)
    client.scale(3)


def test_sync_client():
    client = ApiClient()
    assert client.list_channels() == ["general"]
