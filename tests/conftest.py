"""pytest options and fixtures shared by asynclint's tests."""

from __future__ import annotations

import os
import tempfile

import pytest

# Shapes of installed packages are cached per user; the suite keeps its own cache, away from the user's.
os.environ["ASYNCLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="asynclint-test-cache-")
# The projects the tests lint are checked as their users check them: the virtual environment this suite runs in
# (`uv run` activates asynclint's own) is nobody's project environment. Tests about environments set their own.
os.environ.pop("VIRTUAL_ENV", None)


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
    parser.addoption(
        "--installed",
        action="store_true",
        default=False,
        help="Build the wheel and sdist, install them into fresh environments from the package index (needs the "
        "network) and test what users run: the asynclint command, flake8, the pre-commit hooks, the GitHub Action.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "installed: tests the built distributions installed from the package index (run with --installed)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--installed"):
        return
    skip = pytest.mark.skip(reason="tests of the installed distributions need the network: run pytest with --installed")
    for item in items:
        if item.get_closest_marker("installed") is not None:
            item.add_marker(skip)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
