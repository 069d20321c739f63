async def test_strict_sub_project(job):  # expect: AIO101
    assert job["id"] == 1
