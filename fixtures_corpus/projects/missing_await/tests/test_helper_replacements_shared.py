"""A helper that replaces a method and is also passed around: which objects it reaches cannot be told, so
`request` stays unknown in the whole file."""

from unittest import mock

import pytest

from shop.devices import Device, Endpoint


@pytest.fixture
def endpoint():
    return Endpoint(Device(), 1)


def _fake_request(ep):
    ep.request = mock.MagicMock()


@pytest.fixture
def prepared(endpoint):
    return list(map(_fake_request, [endpoint]))


def test_request(endpoint, prepared):
    endpoint.request(7, b"")


def _fake_reply(*endpoints):
    for ep in endpoints:
        ep.reply = mock.MagicMock()


def _fake_reply_of(ep):
    ep.reply = mock.MagicMock()


def _prepare(*endpoints):
    _fake_reply_of(*endpoints)


def test_reply(endpoint):
    _prepare(endpoint)
    endpoint.reply(7, b"")
