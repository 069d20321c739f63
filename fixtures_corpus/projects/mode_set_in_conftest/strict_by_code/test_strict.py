async def test_strict_because_of_the_conftest():  # expect: AIO101
    assert True
