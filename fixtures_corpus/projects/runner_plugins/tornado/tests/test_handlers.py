import pytest
from tornado import gen


@pytest.mark.gen_test
async def test_run_by_pytest_tornado(io_loop):
    await gen.sleep(0)


async def test_without_gen_test():  # expect: AIO101
    # pytest-tornado runs only `gen_test` tests, and nothing else here runs coroutine tests
    await gen.sleep(0)
