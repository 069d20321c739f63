"""Fixtures the tests below request, some handing out what another fixture makes."""

from unittest import mock

import pytest

from shop import devices
from shop.devices import Device, Endpoint


@pytest.fixture
def make_endpoint(monkeypatch):
    def make(number):
        # A setting patched beside the value: the endpoint made is still an `Endpoint`.
        monkeypatch.setattr(devices, "RETRIES", 0)
        return Endpoint(Device(), number)

    return make


@pytest.fixture
def endpoint(make_endpoint):
    return make_endpoint(1)


@pytest.fixture
def same_endpoint(endpoint):
    return endpoint


@pytest.fixture
def patched_endpoint(make_endpoint):
    # The method itself is patched while the test runs: what calling it gives is the patch's.
    with mock.patch.object(Endpoint, "request"):
        yield make_endpoint(2)


@pytest.fixture
def renamed_endpoint(make_endpoint):
    with mock.patch(f"{__name__}.Endpoint", devices.FakeDevice):
        yield make_endpoint(3)
