async def test_marked_at_collection():
    assert True
