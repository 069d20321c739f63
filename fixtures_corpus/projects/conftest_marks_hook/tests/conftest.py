import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    # marks every async test at collection time (the pattern from pytest-asyncio's docs)
    session_scope_marker = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item):
            item.add_marker(session_scope_marker, append=False)
