import pytest

# `scope=` is how pytest-asyncio 0.23 spells the test's loop: nothing to report
pytestmark = pytest.mark.asyncio(scope="module")


async def test_client(client):
    reader, writer = client
    writer.write(b"PING\r\n")
    assert await reader.readline() == b"+PONG\r\n"


@pytest.mark.asyncio(loop_scope="module")  # expect: AIO605
async def test_loop_scope_is_ignored(client):  # expect: AIO402
    # 0.23 has no `loop_scope`: the mark's `scope=` is the spelling it reads
    reader, writer = client
    writer.write(b"PING\r\n")
    assert await reader.readline() == b"+PONG\r\n"
