"""Helpers that replace a method on the object they are given: only the tests calling them see the
replacement."""

from unittest import mock

import pytest

from shop.devices import Device, Endpoint


@pytest.fixture
def endpoint():
    return Endpoint(Device(), 1)


def _with_fake_request(ep, result=None):
    ep.request = mock.MagicMock(return_value=result)
    return ep


def test_request_is_sent(endpoint):
    # Nothing replaced `request` here: the device's coroutine is dropped.
    endpoint.request(7, b"")  # expect: AIO203


def test_fake_request(endpoint):
    _with_fake_request(endpoint)
    endpoint.request(7, b"")


def test_fake_request_result(endpoint):
    endpoint = _with_fake_request(endpoint, result=1)
    assert endpoint.request(7, b"") == 1


def test_fake_request_returned(endpoint):
    faked = _with_fake_request(endpoint)
    faked.request(7, b"")
