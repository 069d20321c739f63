"""`storage` is another member of the workspace, read from its `src/` folder like the project's own code."""

import pytest
from storage import Bucket


@pytest.mark.asyncio
async def test_upload():
    bucket = Bucket()
    bucket.upload("avatar", b"")  # expect: AIO201
    assert bucket.url("avatar") == "memory://avatar"
