"""Tuples a fixture or helper hands out: each name a test unpacks is the element it gets."""

import pytest

from shop import ShopClient


def make_pair():
    return ShopClient(), ShopClient()


async def open_pair():
    client = ShopClient()
    return client, await client.ping()


@pytest.mark.asyncio
async def test_unpacked_fixture(pair_clients):
    first, second = pair_clients
    first.get_order(1)  # expect: AIO201
    second.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_annotated_fixture(pair_annotated):
    client, count = pair_annotated
    client.get_order(count)  # expect: AIO201


@pytest.mark.asyncio
async def test_paths_agree_on_the_first_element_only(pair_mixed):
    client, other = pair_mixed
    client.aclose()  # expect: AIO201
    other.aclose()


@pytest.mark.asyncio
async def test_helpers():
    left, right = make_pair()
    right.get_order(2)  # expect: AIO201
    client, pong = await open_pair()
    client.ping()  # expect: AIO201


@pytest.mark.asyncio
async def test_constant_index(pair_clients):
    last = pair_clients[-1]
    last.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_unpacking_not_followed(pair_clients):
    head, *rest = pair_clients
    head.aclose()
    rebound, kept = pair_clients
    if not kept:
        rebound = None
    rebound.aclose()


def test_sync_test_unpacks_too(pair_clients):
    first, second = pair_clients
    first.aclose()  # expect: AIO203


@pytest.mark.asyncio
async def test_an_annotated_parameter(pair_clients: tuple[list[ShopClient], ShopClient]):
    # What the annotation says the fixture gives: unpacking a list binds one of its elements.
    [[first], second] = pair_clients
    first.get_order(3)  # expect: AIO201
    second.aclose()  # expect: AIO201


@pytest.mark.asyncio
async def test_a_tuple_of_any_length_leaves_it_to_the_fixture(pair_clients: tuple[ShopClient, ...]):
    # The annotation gives no element its place: the fixture's own value (`yield first, ShopClient()`) does.
    first, second = pair_clients
    first.get_order(4)  # expect: AIO201
