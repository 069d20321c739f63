import pytest


@pytest.mark.parametrize("value", [pytest.param(1, marks=pytest.mark.asyncio)])
async def test_marks_per_parameter(value):
    assert value
