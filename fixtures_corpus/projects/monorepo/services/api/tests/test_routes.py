async def test_auto_mode_sub_project():
    assert True
