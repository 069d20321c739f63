"""Fixtures shared by import: pytest registers them in every module that imports them."""

import pytest

from shop.devices import Device, Endpoint


@pytest.fixture
def shared_endpoint():
    return Endpoint(Device(), 3)


@pytest.fixture
def shared_device():
    return Device()
