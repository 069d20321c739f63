"""Legacy mode, the default of pytest-asyncio 0.17 and 0.18: plain async fixtures run, unmarked tests do not."""

import pytest

pytestmark = pytest.mark.asyncio


async def test_token(session_token):
    assert session_token == "token"


class TestHeaders:
    def test_header(self, session_token):  # expect: AIO102
        assert session_token == "token"
