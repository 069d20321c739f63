async def test_checked_because_the_mode_is_declared():  # expect: AIO101
    assert True
