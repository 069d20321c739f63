import sys

import pytest


def marks():
    return [pytest.mark.asyncio]


pytestmark = marks()


async def test_marked_by_a_function():
    assert True
