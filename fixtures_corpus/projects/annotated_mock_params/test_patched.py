"""Parameters named like the module their annotation comes from: the annotation is read where the function is
defined, so `mock.MagicMock` names `unittest.mock`'s class, not the parameter."""

import os
from unittest import mock

import pytest


class Client:
    async def fetch(self) -> int:
        return 1


@pytest.mark.asyncio
@mock.patch.object(os, "getcwd", return_value="/")
async def test_patched(mock: mock.MagicMock):
    os.getcwd()
    mock.assert_called_once()


@pytest.mark.asyncio
@mock.patch.object(Client, "fetch", new_callable=mock.AsyncMock)
async def test_async_patched(mock: mock.AsyncMock):
    mock()  # expect: AIO201
    mock.assert_called_once()  # expect: AIO204


@pytest.mark.asyncio
async def test_self_referential_names():
    client: client.Client = make_client()
    client.fetch()
    factory = factory.make()
    factory.assert_called_once()
    with opener.open() as opener:
        opener.read()


def make_client():
    return Client()
