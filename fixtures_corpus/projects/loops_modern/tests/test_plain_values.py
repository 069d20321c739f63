import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def version():
    # a plain string crosses loops unharmed: tests in function loops may use it
    return "1.2.3"


@pytest.mark.asyncio
async def test_version(version):
    assert version.startswith("1.")


@pytest.mark.asyncio
async def test_repository(repository):
    # the session fixture's value has coroutine methods but holds nothing of the session loop
    assert await repository.fetch("select 1") == []


def fills_arguments(*names):
    """Like `gen_cluster`: hands pytest a function whose signature leaves out the names it fills itself."""

    def decorate(function):
        return function

    return decorate


@pytest.fixture(scope="module")
@fills_arguments("tmp_path")
def report_dir(tmp_path):
    # the decorator may fill `tmp_path` itself: what pytest requests is not what the `def` says
    return tmp_path
