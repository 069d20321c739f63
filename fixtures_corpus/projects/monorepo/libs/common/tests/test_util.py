async def test_mode_from_addopts():
    assert True
