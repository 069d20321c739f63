async def test_mode_is_passed_by_ci():
    # CI runs pytest with --asyncio-mode=auto; asynclint cannot know which mode applies, so it is silent
    assert True
