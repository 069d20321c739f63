"""The same fixture's method awaited in one test and not in another."""

import pytest


@pytest.fixture
def store(tmp_path):
    # A class asynclint cannot see: only the file's other uses say what its methods return.
    return make_store(tmp_path)  # noqa: F821


@pytest.mark.asyncio
async def test_commit_awaited(store):
    await store.commit()
    assert await store.exists("a")


@pytest.mark.asyncio
async def test_commit_forgotten(store):
    store.commit()  # expect: AIO201
    assert store.exists("a")  # expect: AIO202


@pytest.mark.asyncio
async def test_both_ways_on_one_path(store):
    # `refresh` is awaited on one branch and called plainly on the other: it may be sync on that path.
    if store.is_async:
        await store.refresh()
    else:
        store.refresh()


@pytest.mark.asyncio
async def test_used_as_a_value(store):
    await store.snapshot()
    saved = store.snapshot()
    store.restore(saved)


@pytest.mark.asyncio
async def test_stored_then_only_checked(store):
    # Stored, then only tested for truth: as good as `assert store.size()`, which cannot fail.
    await store.size()
    size = store.size()  # expect: AIO202
    assert size


@pytest.mark.asyncio
async def test_method_meant_both_ways(store):
    # Called plainly more often than awaited: a method that works both ways, not a forgotten `await`.
    store.scale(2)
    store.scale(1)
    await store.scale(2)


@pytest.mark.asyncio
async def test_protocol_hook_called_by_name(store):
    # `__getattr__` gives whatever the name is: awaited for one name, a plain value for another.
    await store.__getattr__("flush")
    attribute = store.__getattr__("size")
    assert attribute
