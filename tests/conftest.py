"""pytest options and fixtures shared by asynclint's tests."""

from __future__ import annotations

import os
import tempfile

import pytest

# Shapes of installed packages are cached per user; the suite keeps its own cache, away from the user's.
os.environ["ASYNCLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="asynclint-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden *.py.fixed files of fixtures_corpus from asynclint's current output.",
    )
    parser.addoption(
        "--sweep-cpython",
        action="store_true",
        default=False,
        help="Run the slow sweep that lints (and dry-run fixes) every .py file of CPython's own Lib/test.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
