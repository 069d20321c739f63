import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.asyncio  # expect: AIO407
async def test_bare_mark_changes_the_loop():
    # the bare mark overrides the module's loop_scope: removing it would change the loop, so it is kept
    assert True


async def test_module_loop():
    assert True
