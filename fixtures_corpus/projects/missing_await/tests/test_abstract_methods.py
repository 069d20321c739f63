"""An abstract method names what subclasses provide; a call runs an override. Where the code iterates or enters
what an abstract `async def` gives, the overrides are async generators or context managers, as the use says."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest


class Feed(ABC):
    @abstractmethod
    async def entries(self) -> AsyncIterator[str]:
        """Each entry of the feed."""

    @abstractmethod
    async def session(self) -> "Feed":
        """The feed, opened for one reader."""

    @abstractmethod
    async def refresh(self) -> None:
        """Fetch the feed again."""


class MemoryFeed(Feed):
    async def entries(self) -> AsyncIterator[str]:
        yield "first"

    @asynccontextmanager
    async def session(self) -> AsyncIterator["MemoryFeed"]:
        yield self

    async def refresh(self) -> None:
        pass


@pytest.fixture
def feed() -> Feed:
    return MemoryFeed()


@pytest.mark.asyncio
async def test_entries(feed: Feed) -> None:
    assert [entry async for entry in feed.entries()] == ["first"]
    async for entry in feed.entries():
        assert entry
    async with feed.session() as opened:
        assert opened is feed


@pytest.mark.asyncio
async def test_refresh(feed: Feed) -> None:
    feed.refresh()  # expect: AIO201
