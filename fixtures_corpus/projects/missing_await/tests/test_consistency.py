import pytest
from vendor_sdk import open_session  # not installed: asynclint cannot read it


@pytest.mark.asyncio
async def test_session_commit():
    session = open_session()
    await session.commit()
    session.commit()  # expect: AIO201


@pytest.mark.asyncio
async def test_session_unknown():
    session = open_session()
    session.commit()
