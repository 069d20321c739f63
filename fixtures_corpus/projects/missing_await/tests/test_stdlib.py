import asyncio

import pytest
import pytest_asyncio


@pytest.mark.asyncio
async def test_sleep():
    asyncio.sleep(0.01)  # expect: AIO201


@pytest.mark.asyncio
async def test_queue():
    queue = asyncio.Queue()
    await queue.put(1)
    assert queue.get() == 1  # expect: AIO202


@pytest.mark.asyncio
async def test_loop_method():
    loop = asyncio.get_running_loop()
    loop.getaddrinfo("localhost", 80)  # expect: AIO201


@pytest.mark.asyncio
async def test_orphan_task():
    # AIO205 is off by default; the corpus runs every rule.
    asyncio.create_task(asyncio.sleep(0))  # expect: AIO205


@pytest.mark.asyncio
async def test_stream_writer_from_open_connection():
    # What awaiting `open_connection` gives is known: a reader and a writer.
    reader, writer = await asyncio.open_connection("localhost", 8080)
    writer.write(b"PING\n")
    writer.drain()  # expect: AIO201
    assert reader.readline()  # expect: AIO202
    writer.close()
    writer.wait_closed()  # expect: AIO201


@pytest.mark.asyncio
async def test_subprocess():
    process = await asyncio.create_subprocess_exec("true")
    process.wait()  # expect: AIO201
    process.kill()


@pytest_asyncio.fixture
async def server():
    server = await asyncio.start_server(lambda reader, writer: None, "localhost", 0)
    yield server
    server.close()
    server.wait_closed()  # expect: AIO201
