"""Keys written into pytest config files: every other byte stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.config_edits import set_pytest_keys

KEYS = {"asyncio_default_fixture_loop_scope": "session", "asyncio_default_test_loop_scope": "session"}


@pytest.mark.parametrize(
    ("name", "section", "before", "after"),
    [
        (
            "pytest.ini",
            "[pytest]",
            "[pytest]\n# run the slow ones too\naddopts = -ra\n\n; trailing comment\n",
            "[pytest]\n# run the slow ones too\naddopts = -ra\nasyncio_default_fixture_loop_scope = session\n"
            "asyncio_default_test_loop_scope = session\n\n; trailing comment\n",
        ),
        (
            "tox.ini",
            "[pytest]",
            "[tox]\nenvlist = py311\r\n\r\n[pytest]\r\n"
            "asyncio_default_fixture_loop_scope = function\r\n\r\n[testenv]\r\n",
            "[tox]\nenvlist = py311\r\n\r\n[pytest]\r\nasyncio_default_fixture_loop_scope = session\r\n"
            "asyncio_default_test_loop_scope = session\r\n\r\n[testenv]\r\n",
        ),
        (
            "setup.cfg",
            "[tool:pytest]",
            "[metadata]\nname = x\n\n[tool:pytest]\nmarkers =\n    slow: slow tests\n",
            "[metadata]\nname = x\n\n[tool:pytest]\nmarkers =\n    slow: slow tests\n"
            "asyncio_default_fixture_loop_scope = session\nasyncio_default_test_loop_scope = session\n",
        ),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]",
            '[project]\nname = "x"\n\n[tool.pytest.ini_options]\nfilterwarnings = [\n    "error",\n]\n\n'
            "[tool.ruff]\nline-length = 100\n",
            '[project]\nname = "x"\n\n[tool.pytest.ini_options]\nfilterwarnings = [\n    "error",\n]\n'
            'asyncio_default_fixture_loop_scope = "session"\nasyncio_default_test_loop_scope = "session"\n\n'
            "[tool.ruff]\nline-length = 100\n",
        ),
        (
            "pytest.ini",
            "[pytest]",
            "[pytest]",
            "[pytest]\nasyncio_default_fixture_loop_scope = session\nasyncio_default_test_loop_scope = session\n",
        ),
    ],
)
def test_keys_are_set_and_nothing_else_changes(
    tmp_path: Path, name: str, section: str, before: str, after: str
) -> None:
    path = tmp_path / name
    path.write_bytes(before.encode())
    edited = set_pytest_keys(path, section, KEYS)
    assert edited is not None
    assert edited == (before.encode(), after.encode())


def test_missing_section_or_continued_value_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "pytest.ini"
    path.write_text("[tool:pytest]\naddopts = -ra\n")
    assert set_pytest_keys(path, "[pytest]", KEYS) is None
    path.write_text("[pytest]\nasyncio_default_test_loop_scope =\n    session\n")
    assert set_pytest_keys(path, "[pytest]", KEYS) is None
