"""Values from annotations that allow None, factory fixtures and fixtures that pass another through."""

from typing import Callable, Union

import pytest

from shop.broker import Channel, Queue


@pytest.fixture
def channel():
    return Channel()


@pytest.fixture
def declare_queue(channel):
    declared = []

    async def declare(name: str) -> Queue:
        # Rebinds a name of the fixture, not the function the fixture hands out.
        nonlocal declared
        declared = [*declared, name]
        return await channel.declare_queue(name)

    return declare


@pytest.mark.asyncio
async def test_optional_message(channel):
    queue = await channel.declare_queue("orders")
    message = await queue.get()
    # `get()` may give None, which has no `ack`: where `ack` is called, the message is a Message.
    message.ack()  # expect: AIO201


@pytest.mark.asyncio
async def test_factory_with_nonlocal(declare_queue):
    queue = await declare_queue("orders")
    queue.bind("events")  # expect: AIO201


@pytest.mark.asyncio
async def test_annotated_callable(declare_queue: Callable):
    # `Callable` names no one class: the fixture's value decides.
    queue = await declare_queue("orders")
    queue.bind("events")  # expect: AIO201


@pytest.mark.asyncio
async def test_async_for_over_a_coroutine(channel):
    queue = await channel.declare_queue("orders")
    # `subscribe()` is a coroutine, not an async generator: `async for` raises TypeError.
    async for message in queue.subscribe():  # expect: AIO202
        await message.ack()


@pytest.mark.asyncio
async def test_consumer_callback(channel):
    queue = await channel.declare_queue("orders")

    async def handle(message):
        # `consume` calls it with a `Message` (its parameter is `Callable[[Message], Any]`).
        message.ack()  # expect: AIO201

    await queue.consume(handle)


@pytest.mark.asyncio
async def test_sync_consumer_callback(channel):
    queue = await channel.declare_queue("orders")

    def handle(message):
        message.ack()  # expect: AIO203

    await queue.consume(handle)


@pytest.mark.asyncio
async def test_callback_also_called_directly_is_unknown(channel, other_message):
    queue = await channel.declare_queue("orders")

    async def handle(message):
        message.ack()

    await queue.consume(handle)
    await handle(other_message)


async def next_item(channel: Channel) -> Union[Queue, Message]:
    return await channel.declare_queue("any")


@pytest.mark.asyncio
async def test_union_is_unknown(channel):
    item = await next_item(channel)
    item.bind("events")


@pytest.fixture
def replaced_queue(channel):
    async def declare(name: str) -> Queue:
        return await channel.declare_queue(name)

    def use_fakes():
        # Rebinds the very function the fixture hands out: what it is depends on what ran.
        nonlocal declare
        declare = channel.declare_queue

    use_fakes()
    return declare


@pytest.mark.asyncio
async def test_rebound_factory_is_unknown(replaced_queue):
    queue = await replaced_queue("orders")
    queue.bind("events")


class TestBase:
    @staticmethod
    @pytest.fixture(name="declare_queue")
    def declare_queue_(declare_queue):
        # Passes the fixture it overrides on, unchanged.
        return declare_queue


class TestQueues(TestBase):
    @pytest.mark.asyncio
    async def test_through_the_class_fixture(self, declare_queue):
        queue = await declare_queue("orders")
        message = await queue.get()
        message.reject()  # expect: AIO201
