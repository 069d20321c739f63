"""A plain function annotated to return a context manager of one class (`-> AsyncContextManager[Session]`):
`async with` binds that class."""

import contextlib
from collections.abc import AsyncIterator
from typing import AsyncContextManager

import pytest


class Session:
    async def commit(self) -> None:
        pass

    def close(self) -> None:
        pass


class Database:
    def session(self) -> AsyncContextManager[Session]:
        return self._session()

    def untyped_session(self):
        return self._session()

    def sessions(self) -> "contextlib.AbstractAsyncContextManager[Session]":
        return self._session()

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[Session]:
        session = Session()
        try:
            yield session
        finally:
            session.close()


@pytest.mark.asyncio
async def test_session_committed():
    database = Database()
    async with database.session() as session:
        session.commit()  # expect: AIO201
    async with database.sessions() as other:
        other.commit()  # expect: AIO201
        await other.commit()


@pytest.mark.asyncio
async def test_untyped_factory():
    database = Database()
    async with database.untyped_session() as session:
        session.close()
        await session.commit()
