"""A file that patches what a forwarding method calls: the patch decides what the method hands back."""

from unittest import mock

import pytest

from shop.devices import Device, Endpoint


@pytest.fixture
def endpoint():
    return Endpoint(Device(), 1)


def test_patched_on_the_way(endpoint):
    with mock.patch.object(Device, "request"):
        endpoint.request(7, b"")
        endpoint.reply(7, b"")


def test_the_test_replaces_what_the_method_calls(endpoint):
    endpoint.request = mock.MagicMock()
    endpoint.reply(7, b"")
