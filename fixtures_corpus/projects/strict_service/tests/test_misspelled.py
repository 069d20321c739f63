import pytest


@pytest.mark.asyncios  # expect: AIO105
async def test_plural(client):  # AIO105 only: its fix gives the test its mark
    assert await client.get(1)


@pytest.mark.asycnio(loop_scope="function")  # expect: AIO105
async def test_transposed(client):
    assert await client.get(1)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_registered_mark_is_fine(client):
    assert await client.get(1)
