async def test_outside_the_root_testpaths_runs_in_auto_mode():
    assert True
