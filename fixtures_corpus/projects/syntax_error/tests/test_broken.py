import pytest


async def test_broken(:  # expect: AIO001
    pass
