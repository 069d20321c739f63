from unittest import mock

import pytest
from hypothesis import given, strategies as st

from orders import client as client_module


def retry(function):
    return function


@given(st.integers())
async def test_hypothesis_unmarked(order_id):  # expect: AIO101
    assert order_id == order_id


@pytest.mark.asyncio
@given(st.integers())
async def test_hypothesis_marked(order_id):
    assert order_id == order_id


@mock.patch.object(client_module, "OrderClient")
async def test_patched_unmarked(fake_client):  # expect: AIO101
    assert fake_client is not None


@pytest.mark.parametrize("order_id", [1, 2])
async def test_parametrized_unmarked(client, order_id):  # expect: AIO101
    assert await client.get(order_id)


@retry
async def test_unknown_decorator(client):
    # asynclint cannot know what `retry` returns: it stays silent
    assert await client.get(1)


@pytest.mark.gen_test
async def test_run_by_pytest_tornado():
    # pytest-tornado runs tests with its gen_test mark
    assert True
