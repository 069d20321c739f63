"""Session fixtures: each runs in the session loop, while the tests run in function loops unless marked."""

import asyncio

import pytest_asyncio


async def echo(reader, writer):
    writer.write(await reader.readline())
    await writer.drain()
    writer.close()


@pytest_asyncio.fixture(scope="session")
async def echo_port():
    # the server serves from the session loop, which does not run while a function-loop test does
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()


@pytest_asyncio.fixture(scope="session")
async def main_loop():
    return asyncio.get_running_loop()


@pytest_asyncio.fixture(scope="session")
async def settings():
    await asyncio.sleep(0)
    return {"greeting": "hello"}


@pytest_asyncio.fixture(scope="session")
async def inbox():
    # a queue binds to the loop of its first wait, not to the loop that made it
    return asyncio.Queue()


class Directory:
    async def lookup(self, name):
        await asyncio.sleep(0)
        return f"{name}@example.org"


@pytest_asyncio.fixture(scope="session")
async def directory():
    return Directory()


@pytest_asyncio.fixture(scope="session")
async def warm_cache():
    loading = asyncio.create_task(asyncio.sleep(0, result={"alice": 1}))
    await loading
    return loading.result()
