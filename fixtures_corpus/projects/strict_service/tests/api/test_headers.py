"""Sync tests that reach an async fixture of tests/conftest.py nobody runs in strict mode."""

import pytest


def test_headers(headers):  # expect: AIO302
    # `headers` (api/conftest.py) requests `token` (tests/conftest.py): a coroutine object
    assert headers["Authorization"] == "secret"


@pytest.mark.usefixtures("token")
def test_logged_in():  # expect: AIO302
    pass


@pytest.mark.asyncio
async def test_session(session):
    # the nearest `session` (api/conftest.py) is a pytest_asyncio fixture: fine
    assert session is not None


def test_plain():
    assert True
