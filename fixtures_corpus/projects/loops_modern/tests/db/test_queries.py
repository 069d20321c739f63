import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_pool(pool):
    # the test and `pool` share the session loop
    assert pool is not None


@pytest.mark.asyncio  # expect: AIO407
async def test_isolated(pool):  # expect: AIO402
    # the bare mark puts this test in a function loop, away from `pool`'s session loop
    assert pool is not None
