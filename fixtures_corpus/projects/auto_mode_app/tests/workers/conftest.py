import pytest


@pytest.fixture
def job(queue):
    # `queue` (tests/conftest.py) is a plain async fixture: auto mode runs it, also for sync tests
    return {"queue": queue}


@pytest.fixture(autouse=True)
async def reset_workers():
    yield
