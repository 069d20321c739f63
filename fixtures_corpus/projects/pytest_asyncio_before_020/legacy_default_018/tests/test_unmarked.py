import asyncio


async def test_refresh(session_token):  # expect: AIO101
    await asyncio.sleep(0)
    assert session_token
