import pytest


@pytest.mark.asyncios  # expect: AIO105
async def test_plural(client):  # expect: AIO101
    assert await client.get(1)


@pytest.mark.asycnio(loop_scope="function")  # expect: AIO105
async def test_transposed(client):  # expect: AIO101
    assert await client.get(1)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_registered_mark_is_fine(client):
    assert await client.get(1)
