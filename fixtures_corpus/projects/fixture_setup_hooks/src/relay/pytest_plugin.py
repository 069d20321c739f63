"""The relay's pytest plugin: it runs `async def` fixtures in the test's loop, and hands out servers."""

import asyncio
import inspect

import pytest

from relay.server import Server


def pytest_fixture_setup(fixturedef):
    """Run coroutine fixtures; leave the others to pytest."""
    func = fixturedef.func
    if inspect.isasyncgenfunction(func):
        is_generator = True
    elif inspect.iscoroutinefunction(func):
        is_generator = False
    else:
        return

    def wrapper(*args, **kwargs):
        loop = asyncio.get_event_loop()
        if is_generator:
            return loop.run_until_complete(func(*args, **kwargs).__anext__())
        return loop.run_until_complete(func(*args, **kwargs))

    fixturedef.func = wrapper


@pytest.fixture
def relay_server():
    servers = []

    async def start(port=0):
        server = Server(port)
        await server.start()
        servers.append(server)
        return server

    yield start
