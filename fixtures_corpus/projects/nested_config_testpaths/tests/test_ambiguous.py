async def test_mode_depends_on_how_pytest_is_run():
    assert True
