"""Fixtures handing out what a fixture they request makes: pytest resolves a fixture's requests for the test
being run, so each test gets the value its own fixtures make."""

from unittest import mock

import pytest


def test_request(endpoint):
    endpoint.request(7, b"")  # expect: AIO203


def test_reply(same_endpoint):
    same_endpoint.reply(7, b"")  # expect: AIO203


def test_patched(patched_endpoint):
    patched_endpoint.request(7, b"")


def test_renamed(renamed_endpoint):
    renamed_endpoint.request(7, b"")


class TestOwnEndpoint:
    @pytest.fixture
    def endpoint(self):
        return mock.MagicMock()

    def test_request(self, same_endpoint):
        # `same_endpoint` requests `endpoint`, and this class's `endpoint` is a mock.
        same_endpoint.request(7, b"")


@pytest.fixture
def endpoint_again(endpoint_again):
    return endpoint_again


@pytest.fixture
def built_later(make_endpoint, request):
    return request.getfixturevalue("endpoint")


def test_not_followed(built_later):
    built_later.request(7, b"")
