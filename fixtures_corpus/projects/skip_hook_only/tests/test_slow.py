import pytest


@pytest.mark.slow
async def test_slow_but_unmarked():  # expect: AIO101
    assert True
