async def test_mode_depends_on_the_environment():
    assert True
