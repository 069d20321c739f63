import pytest


async def test_asyncio_side():
    assert True


@pytest.mark.anyio
async def test_anyio_side():
    # auto mode takes this one over for asyncio (AIO603 on pytest.ini)
    assert True
