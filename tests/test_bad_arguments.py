"""Bad arguments and bad settings: one line on standard error naming the problem, exit status 2, no traceback.

Run as a user runs it (a real process), so that what is checked is exactly what a terminal or a CI log shows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_project

UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==8.3.5\npytest-asyncio==0.25.3\n",
    "tests/test_a.py": UNMARKED,
}


def _asynclint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("check", "--select", "AIO999", "tests"), "unknown rule code or name: AIO999"),
        (("check", "--ignore", "nonsense", "tests"), "unknown rule code or name: nonsense"),
        (("check", "--frobnicate", "tests"), "No such option '--frobnicate'"),
        (("check", "no/such/folder"), "Path 'no/such/folder' does not exist"),
        (("check", "--format", "xml", "tests"), "'xml' is not one of"),
        (("check", "--jobs", "0", "tests"), "0 is not in the range x>=1"),
        (("chek", "tests"), "No such command 'chek'. Did you mean 'check'?"),
        (("check", "--diff", "--fix", "tests"), "--diff and --fix cannot be used together"),
        (("check", "--diff", "--fix-only", "tests"), "--diff and --fix-only cannot be used together"),
        (("check", "--statistics", "--format", "json", "tests"), "--statistics and --format cannot be used together"),
        (("check", "--exit-zero", "--exit-non-zero-on-fix", "tests"), "--exit-zero and --exit-non-zero-on-fix"),
        (("check", "--no-cache", "--cache-dir", "x", "tests"), "--no-cache and --cache-dir cannot be used together"),
        (("check", "--stdin-filename", "a.py", "tests"), "give `-` as the path"),
        (("check", "-", "tests"), "`-` reads one file from standard input and needs --stdin-filename"),
        (("rule", "AIO999"), "no rule is called 'AIO999'"),
        (("check", "--output-file", "no/such/folder/report.json", "tests"), "the folder no/such/folder does not exist"),
        (("check", "--python", "no/such/venv", "tests"), "--python no/such/venv: no/such/venv does not exist"),
        (("check", "--config", "missing.toml", "tests"), "File 'missing.toml' does not exist"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_bad_arguments(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    root = write_project(tmp_path, PROJECT)
    done = _asynclint(root, *args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0]
    assert lines[0].startswith("asynclint"), lines[0]


@pytest.mark.parametrize(
    ("files", "says"),
    [
        pytest.param(
            {"asynclint.toml": 'select = ["AIO1"\n'},
            "asynclint.toml:2:1: invalid TOML",
            id="asynclint.toml not TOML",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\nselect = "AIO1\n'},
            "pyproject.toml:2:15: invalid TOML",
            id="[tool.asynclint] not TOML",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\nselect = ["AIO999"]\n'},
            "pyproject.toml: unknown rule code or name in select: AIO999",
            id="unknown code in the settings",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint.per-file-ignores]\n"tests/*" = ["AIO1O1"]\n'},
            'pyproject.toml: unknown rule code or name in per-file-ignores "tests/*": AIO1O1',
            id="unknown code in per-file-ignores",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\nasyncio-mode = "auto-ish"\n'},
            'pyproject.toml: asyncio-mode = "auto-ish" is not a mode (use "strict" or "auto")',
            id="bad asyncio-mode",
        ),
        pytest.param(
            {"asynclint.toml": 'pytest-asyncio-version = "banana"\n'},
            'asynclint.toml: pytest-asyncio-version = "banana" is not a version',
            id="bad pytest-asyncio-version",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.asynclint]\npytest-version = 8.3\n"},
            "pyproject.toml: pytest-version = 8.3 is not a version (write it as a string",
            id="version as a number",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\npython = "/nonexistent"\n'},
            'pyproject.toml: python = "/nonexistent": /nonexistent does not exist',
            id="python that does not exist",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\npython = "tests"\n'},
            'pyproject.toml: python = "tests": ',
            id="python that is no environment",
        ),
        pytest.param(
            {"asynclint.toml": '[tool.asynclint]\nselect = ["AIO1"]\n'},
            "asynclint.toml: a [tool.asynclint] header belongs in pyproject.toml; in asynclint.toml the keys go at "
            "the top of the file, without a header",
            id="tool header in asynclint.toml",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint]\nselekt = ["AIO1"]\n'},
            "unknown key `selekt`",
            id="unknown key",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint.no-such-rule]\nx = ["y"]\n'},
            "unknown key `no-such-rule`",
            id="options of no rule",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.asynclint.blocking-sleep-in-async-test]\nblocking = ["requests.get"]\n'},
            "unknown option `blocking`",
            id="unknown rule option",
        ),
    ],
)
def test_bad_settings(tmp_path: Path, files: dict[str, str], says: str) -> None:
    root = write_project(tmp_path, {**PROJECT, **files})
    done = _asynclint(root, "check", "tests")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0]


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        (
            "pyproject.toml",
            '[tool.pytest.ini_options]\nasyncio_mode = "strict\n',
            "pyproject.toml:2:1: AIO001 pytest cannot read this config file: Illegal character",
        ),
        ("setup.cfg", "[tool:pytest]\nasyncio_mode\n", "setup.cfg:2:1: AIO001 pytest cannot read this config file"),
        (
            "tox.ini",
            "[pytest]\nasyncio_mode\n",
            "tox.ini:2:1: AIO001 pytest cannot read this config file: unexpected line: 'asyncio_mode'",
        ),
        (
            "pytest.ini",
            "[pytest]\nasyncio_mode = auto\nasyncio_mode = strict\n",
            "pytest.ini:3:1: AIO001 pytest cannot read this config file: duplicate name 'asyncio_mode'",
        ),
    ],
)
def test_malformed_pytest_config_names_file_and_line(tmp_path: Path, name: str, text: str, says: str) -> None:
    """A config file pytest cannot read is reported where it breaks, as pytest would stop on it: exit 2."""
    files = {key: value for key, value in PROJECT.items() if key != "pytest.ini"}
    root = write_project(tmp_path, {**files, name: text})
    done = _asynclint(root, "check", "tests")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert says in done.stdout
