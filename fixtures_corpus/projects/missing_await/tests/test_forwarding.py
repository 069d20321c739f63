"""Plain functions that return a coroutine they did not await: calling one gives a coroutine to await."""

from unittest import mock
from unittest.mock import AsyncMock, MagicMock

import pytest
import pytest_asyncio

from shop.devices import Animator, Device, Endpoint, FakeDevice, open_pair, ping_later


@pytest.fixture
def endpoint():
    return Endpoint(Device(), 1)


@pytest.fixture
def mocked_endpoint():
    # The device is a mock: its methods return mocks, not coroutines.
    return Endpoint(MagicMock(), 1)


@pytest_asyncio.fixture
async def paired():
    device, endpoint = await open_pair()
    yield endpoint


def test_sync_test_calls_a_forwarding_method(endpoint):
    endpoint.request(7, b"")  # expect: AIO203
    assert endpoint.describe() == "endpoint 1"


def test_forwarded_twice(endpoint):
    endpoint.reply(7, b"")  # expect: AIO203


@pytest.mark.asyncio
async def test_async_test_drops_the_coroutine(endpoint):
    endpoint.request(8, b"")  # expect: AIO201
    assert await endpoint.request(8, b"") == (8, b"")


@pytest.mark.asyncio
async def test_a_module_function_returning_a_coroutine():
    result = ping_later()  # expect: AIO202
    assert result == "pong"


@pytest.mark.asyncio
async def test_a_value_unpacked_in_a_fixture(paired):
    paired.request(9, b"")  # expect: AIO201


@pytest.mark.asyncio
async def test_another_name_for_the_fixture(endpoint):
    same = endpoint
    same.request(10, b"")  # expect: AIO201


def test_a_callable_instance():
    animator = Animator()
    animator([1, 2])  # expect: AIO203


def test_made_with_a_mock(mocked_endpoint):
    mocked_endpoint.request(7, b"")
    assert mocked_endpoint.device.request.call_count == 1


def test_made_with_a_mock_here():
    device = MagicMock()
    Endpoint(device, 1).request(7, b"")
    endpoint = Endpoint(device, 1)
    endpoint.request(7, b"")
    endpoint = Endpoint(mock.sentinel.device, 1)


def test_the_test_replaces_what_the_method_reads(endpoint):
    endpoint._device = MagicMock()
    endpoint.reply(7, b"")


@pytest.fixture
def wired_endpoint():
    # A mock device whose `request` is an AsyncMock: `Endpoint.request` hands its coroutine back.
    device = MagicMock()
    device.request = AsyncMock()
    return Endpoint(device, 2)


def test_a_collaborator_configured_as_an_async_mock(wired_endpoint):
    wired_endpoint.request(7, b"")  # expect: AIO203
    wired_endpoint.ping()  # a MagicMock's method gives a MagicMock


def test_a_stand_in_with_plain_methods():
    # The argument is what `_device` holds, whatever the parameter's annotation says.
    endpoint = Endpoint(FakeDevice(), 3)
    assert endpoint.request(7, b"") == (7, b"")


@pytest.fixture
def fake_endpoint():
    return Endpoint(FakeDevice(), 4)


def test_a_fixture_built_with_a_stand_in(fake_endpoint):
    assert fake_endpoint.request(7, b"") == (7, b"")


def test_one_test_replaces_a_method(endpoint):
    endpoint.ping = MagicMock()
    endpoint.ping()


def test_another_test_is_judged_on_its_own(endpoint):
    endpoint.ping()  # expect: AIO203


def test_a_plain_function_raises_before_it_returns_its_coroutine(endpoint):
    # `checked_request` runs up to its `return` at the call: what it raises there is raised.
    with pytest.raises(ValueError):
        endpoint.checked_request(-1, b"")


def test_the_test_puts_an_async_mock_on_a_collaborator(endpoint):
    endpoint._device.request = AsyncMock()
    endpoint.request(7, b"")  # expect: AIO203


def test_what_the_test_puts_after_the_call_is_not_known_at_the_call(endpoint):
    endpoint.ping()
    endpoint._device.ping = MagicMock()


def test_what_the_test_puts_in_a_branch_may_not_be_there(endpoint):
    if endpoint.endpoint_id:
        endpoint._device.reply = MagicMock()
    endpoint.reply(7, b"")
