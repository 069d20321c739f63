"""Where pytest-asyncio is not what runs the async tests, its rules stay silent: `-p no:asyncio` turns it off
for every rule, a plugin with an `event_loop` fixture of its own (aiomisc's) owns that fixture, and an `asyncio`
mark the project registers itself is no sign of pytest-asyncio."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.model.project import build_project
from tests.helpers import run, write_project

PINS = "pytest==8.4.2\npytest-asyncio==1.2.0\n"

#: Code that, in a strict-mode project using pytest-asyncio, most of its rules report.
SUITE = """\
import asyncio
import time
import unittest

import pytest
import pytest_asyncio


async def fetch():
    return 1


async def test_unmarked():
    await fetch()


@pytest.mark.asyncio
def test_sync_marked():
    pass


@pytest.mark.asyncios
async def test_typo():
    pass


@pytest.mark.asyncio
async def test_returns():
    return 5


@pytest.mark.asyncio
async def test_dropped():
    fetch()
    time.sleep(0.1)


@pytest.mark.asyncio
async def test_loop(event_loop):
    pass


@pytest.fixture
async def plain_async():
    return 1


def test_sync_uses(plain_async):
    pass


@pytest.mark.asyncio(scope="module")
async def test_scope_keyword():
    pass


@pytest_asyncio.fixture(scope="module", loop_scope="function")
async def narrow():
    yield 1


@pytest.mark.asyncio
async def test_narrow(narrow):
    pass


class TestLegacy(unittest.TestCase):
    async def test_never_awaited(self):
        pass
"""
#: Rules that say nothing about pytest-asyncio: they may speak whether it runs or not (a coroutine dropped in
#: any `async def` is a bug whoever runs it).
INDEPENDENT = {
    "AIO001",
    "AIO107",
    "AIO201",
    "AIO202",
    "AIO204",
    "AIO303",
    "AIO304",
    "AIO305",
    "AIO306",
    "AIO403",
    "AIO604",
}


def codes(root: Path, files: dict[str, str]) -> set[str]:
    write_project(root, files)
    result = run([root], cwd=root)
    assert not result.internal_errors, result.internal_errors
    return {d.code for d in result.diagnostics}


def test_p_no_asyncio_silences_every_pytest_asyncio_rule(tmp_path: Path) -> None:
    files = {"requirements.txt": PINS, "tests/test_suite.py": SUITE}
    on = codes(tmp_path / "on", {**files, "pytest.ini": "[pytest]\n"})
    # The suite does trip pytest-asyncio's rules while the plugin is on...
    assert {"AIO101", "AIO102", "AIO105", "AIO201", "AIO301", "AIO405", "AIO504", "AIO602"} <= on
    for addopts in ("-p no:asyncio", "-p no:pytest_asyncio", "-pno:asyncio", "--plugin=no:asyncio"):
        off = codes(tmp_path / addopts.replace(":", "_"), {**files, "pytest.ini": f"[pytest]\naddopts = {addopts}\n"})
        # ... and none of them once it is off: only what holds without pytest-asyncio remains.
        assert off <= INDEPENDENT, (addopts, off - INDEPENDENT)
        assert "AIO107" in off


def test_p_no_asyncio_leaves_no_evidence_of_pytest_asyncio(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-p no:asyncio"\nasyncio_mode = "auto"\n',
        "requirements.txt": PINS,
        "tests/conftest.py": "import pytest_asyncio\n\npytest_plugins = ['pytest_asyncio']\n",
        "tests/test_x.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n",
    }
    write_project(tmp_path, files)
    project = build_project([tmp_path / "tests/test_x.py"])
    (facts,) = project.directories.values()
    assert facts.settings.asyncio_plugin_disabled
    assert facts.environment.asyncio_evidence is None


AIOMISC_TEST = """\
import pytest


async def test_unmarked(event_loop):
    fut = event_loop.create_future()
    event_loop.call_soon(fut.set_result, 1)
    assert await fut == 1


@pytest.mark.asyncio
async def test_marked(event_loop):
    pass


def test_sync(event_loop):
    event_loop.run_until_complete(None)
"""


@pytest.mark.parametrize(
    ("plugin", "provides", "runs"),
    [
        ("aiomisc-pytest==2.0.0", True, True),
        ("aiomisc-pytest==1.1.1", True, True),
        ("aiomisc==16.3.15", False, True),  # aiomisc's own plugin, before 17: it has `loop`, not `event_loop`
        ("aiomisc==18.0.37", False, False),  # no plugin: that is aiomisc-pytest's now
        ("", False, False),
    ],
)
def test_a_plugin_with_its_own_event_loop_fixture(tmp_path: Path, plugin: str, provides: bool, runs: bool) -> None:
    files = {
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        "requirements.txt": f"{PINS}{plugin}\n",
        "tests/test_loop.py": AIOMISC_TEST,
    }
    found = codes(tmp_path, files)
    assert ("AIO405" in found) is not provides
    assert ("AIO101" in found) is not runs  # aiomisc's plugin runs the unmarked coroutine test itself


def test_an_event_loop_override_in_a_project_using_aiomisc(tmp_path: Path) -> None:
    conftest = (
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture(scope='session')\n"
        "def event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
    )
    test = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
    base = {"pytest.ini": "[pytest]\n", "tests/conftest.py": conftest, "tests/test_x.py": test}
    assert "AIO404" in codes(tmp_path / "plain", {**base, "requirements.txt": PINS})
    assert "AIO404" not in codes(tmp_path / "aiomisc", {**base, "requirements.txt": f"{PINS}aiomisc-pytest==2.0.0\n"})


OWN_MARK_TEST = """\
import pytest


@pytest.mark.asyncio
async def test_with_loop(event_loop):
    return 1


@pytest.mark.asyncio
def test_sync():
    pass
"""


@pytest.mark.parametrize(
    "registers",
    [
        "[pytest]\nmarkers =\n    asyncio: run in our own loop\n",
        "[pytest]\n",  # registered by a conftest below
    ],
)
def test_an_asyncio_mark_the_project_registers_itself(tmp_path: Path, registers: str) -> None:
    conftest = "def pytest_configure(config):\n    config.addinivalue_line('markers', 'asyncio: our own')\n"
    files = {
        "pytest.ini": registers,
        "requirements.txt": "pytest==8.4.2\n",
        "tests/test_own.py": OWN_MARK_TEST,
    }
    if "markers" not in registers:
        files["tests/conftest.py"] = conftest
    assert not codes(tmp_path, files) & {"AIO102", "AIO405", "AIO504"}


def test_an_unregistered_asyncio_mark_still_shows_pytest_asyncio(tmp_path: Path) -> None:
    files = {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest==8.4.2\n", "tests/test_own.py": OWN_MARK_TEST}
    assert {"AIO102", "AIO405", "AIO504"} <= codes(tmp_path, files)


def test_a_registered_mark_with_pytest_asyncio_pinned_is_pytest_asyncios(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\nmarkers =\n    asyncio: pytest-asyncio\n",
        "requirements.txt": PINS,
        "tests/test_own.py": OWN_MARK_TEST,
    }
    assert {"AIO102", "AIO405", "AIO504"} <= codes(tmp_path, files)
