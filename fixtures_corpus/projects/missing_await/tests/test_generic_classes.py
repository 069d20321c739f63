"""A generic class's type arguments, from an annotation or a module-level alias (`_RequestContext =
_RequestContextBase[Response]`), fill what its methods are annotated to give (`async def __aenter__(self) -> _T`),
as aiohttp's request context managers do."""

from typing import Any, Coroutine, Generator, Generic, TypeVar

import pytest

_T = TypeVar("_T")


class Response:
    async def json(self) -> dict[str, int]:
        return {"status": 1}


class _RequestContextBase(Generic[_T]):
    def __init__(self, coro: Coroutine[Any, None, _T]) -> None:
        self._coro = coro

    def __await__(self) -> Generator[Any, None, _T]:
        return self._coro.__await__()

    async def __aenter__(self) -> _T:
        return await self._coro

    async def __aexit__(self, *exc: object) -> None:
        pass


_RequestContext = _RequestContextBase[Response]


class Session:
    def get(self, url: str) -> "_RequestContext":
        return _RequestContext(self._request(url))

    def head(self, url: str) -> _RequestContextBase[Response]:
        return _RequestContextBase(self._request(url))

    def options(self, url: str) -> _RequestContextBase:  # no type argument: nothing is known
        return _RequestContextBase(self._request(url))

    async def _request(self, url: str) -> Response:
        return Response()


@pytest.mark.asyncio
async def test_entered_response():
    session = Session()
    async with session.get("/orders") as response:
        data = response.json()  # expect: AIO202
        assert data


@pytest.mark.asyncio
async def test_awaited_response():
    session = Session()
    response = await session.head("/orders")
    response.json()  # expect: AIO201
    other = await session.options("/orders")
    assert await other.json() == {"status": 1}
