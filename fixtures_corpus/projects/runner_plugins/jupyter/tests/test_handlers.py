async def test_run_by_pytest_jupyter(jp_fetch):
    # pytest-jupyter's plugins run every coroutine test themselves
    response = await jp_fetch("api", "status")
    assert response.code == 200
