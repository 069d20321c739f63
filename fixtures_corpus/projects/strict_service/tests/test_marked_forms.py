"""Every way of marking an async test that pytest-asyncio honours: nothing to report here."""

import pytest
from pytest import mark

asyncio_mark = pytest.mark.asyncio


@pytest.mark.asyncio
async def test_plain_mark(client):
    assert await client.get(1)


@pytest.mark.asyncio(loop_scope="function")
async def test_mark_with_arguments(client):
    assert await client.get(1)


@mark.asyncio
async def test_from_pytest_import_mark(client):
    assert await client.get(1)


@asyncio_mark
async def test_module_level_alias(client):
    assert await client.get(1)


@pytest.mark.asyncio
class TestDecoratedClass:
    async def test_method(self, client):
        assert await client.get(1)


class TestClassPytestmark:
    pytestmark = pytest.mark.asyncio

    async def test_method(self, client):
        assert await client.get(1)


class TestBase:
    pytestmark = [pytest.mark.asyncio]


class TestInheritsMark(TestBase):
    async def test_inherited(self, client):
        assert await client.get(1)
