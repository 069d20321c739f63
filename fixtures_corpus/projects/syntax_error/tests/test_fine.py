async def test_still_checked():  # expect: AIO101
    assert True
