"""A background queue that works from sync and async callers alike: `flush()` waits for the worker thread
itself, or, when an event loop is running, hands back an awaitable for the caller to await."""

import asyncio
import concurrent.futures
import threading
from typing import Optional


def running_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def ready() -> bool:
    return threading.current_thread() is threading.main_thread()


class BackgroundQueue:
    def __init__(self) -> None:
        self._items: list[str] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def put(self, item: str) -> None:
        self._items.append(item)

    def _flush_in_thread(self) -> "concurrent.futures.Future[None]":
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._items.clear()
        future.set_result(None)
        return future

    def flush(self):
        """Wait until every item is handled; an awaitable when called from async code."""
        future = self._flush_in_thread()
        if running_loop() is not None:
            return asyncio.wrap_future(future)
        return future.result()

    def flush_all(self):
        loop = asyncio._get_running_loop()
        if loop is None:
            return self._flush_in_thread().result()
        return asyncio.wrap_future(self._flush_in_thread())

    def close(self):
        # Decides on what it holds, not on whether a loop runs: unknown.
        if self._loop is not None:
            return asyncio.wrap_future(self._flush_in_thread())
        return None

    def stop(self):
        # `ready()` says nothing about an event loop: unknown.
        if ready():
            return asyncio.wrap_future(self._flush_in_thread())
        return None


def flush_queue(queue: BackgroundQueue):
    if asyncio._get_running_loop() is not None:
        return asyncio.ensure_future(asyncio.sleep(0))
    return None
