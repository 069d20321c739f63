import asyncio

import pytest


@pytest.mark.asyncio
async def test_echo(echo_port):  # expect: AIO402
    reader, writer = await asyncio.open_connection("127.0.0.1", echo_port)
    writer.write(b"ping\n")
    assert await asyncio.wait_for(reader.readline(), 1) == b"ping\n"
    writer.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_echo_in_the_session_loop(echo_port):
    reader, writer = await asyncio.open_connection("127.0.0.1", echo_port)
    writer.write(b"ping\n")
    assert await asyncio.wait_for(reader.readline(), 1) == b"ping\n"
    writer.close()


@pytest.mark.asyncio
async def test_scheduled_reply(main_loop):  # expect: AIO402
    reply = main_loop.create_future()
    main_loop.call_soon(reply.set_result, "pong")
    assert await reply == "pong"


@pytest.mark.asyncio
async def test_greeting(settings):
    assert settings["greeting"] == "hello"


@pytest.mark.asyncio
async def test_inbox(inbox):
    asyncio.get_running_loop().call_soon(inbox.put_nowait, "message")
    assert await inbox.get() == "message"


@pytest.mark.asyncio
async def test_directory(directory):
    assert await directory.lookup("alice") == "alice@example.org"


@pytest.mark.asyncio
async def test_warm_cache(warm_cache):
    assert warm_cache["alice"] == 1
