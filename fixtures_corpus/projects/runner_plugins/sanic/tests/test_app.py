async def test_run_by_pytest_sanic(loop):
    # pytest-sanic runs every coroutine test in its `loop`
    assert loop is not None
