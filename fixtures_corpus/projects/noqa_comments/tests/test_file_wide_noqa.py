# expect-next-line: AIO002
# asynclint: noqa: AIO201, AIO203
import pytest


def test_sync():
    assert True


@pytest.mark.asyncio
async def test_marked():
    assert True
