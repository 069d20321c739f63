"""`[tool.asynclint]` settings: selection, per-file ignores, excludes, unknown keys; the CLI overrides them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main
from tests.helpers import write_project

UNMARKED = "import asyncio\n\n\nasync def test_a():\n    asyncio.sleep(0)\n"
BASE = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_api.py": UNMARKED,
    "tests/legacy/test_old.py": UNMARKED,
}


def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, *args: str) -> tuple[int, set[str]]:
    write_project(tmp_path, {**BASE, "pyproject.toml": f'[project]\nname = "x"\n\n[tool.asynclint]\n{table}'})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", "--format", "json-lines", *args])
    found = {
        line.split('"code": "')[1][:6] + "@" + line.split('"path": "')[1].split('"')[0]
        for line in result.stdout.splitlines()
    }
    return result.exit_code, found


def test_selection_from_the_file_and_the_cli_overriding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, found = lint(tmp_path, monkeypatch, 'select = ["AIO1"]\n')
    assert found == {"AIO101@tests/test_api.py", "AIO101@tests/legacy/test_old.py"} and code == 1
    _, found = lint(tmp_path, monkeypatch, 'select = ["AIO1"]\n', "--select", "AIO2")
    assert found == {"AIO201@tests/test_api.py", "AIO201@tests/legacy/test_old.py"}
    _, found = lint(tmp_path, monkeypatch, 'ignore = ["AIO101"]\n')
    assert {item.split("@")[0] for item in found} == {"AIO201"}


def test_per_file_ignores_and_excludes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, found = lint(tmp_path, monkeypatch, '[tool.asynclint.per-file-ignores]\n"tests/legacy/*" = ["AIO2"]\n')
    assert found == {"AIO101@tests/test_api.py", "AIO201@tests/test_api.py", "AIO101@tests/legacy/test_old.py"}
    _, found = lint(tmp_path, monkeypatch, 'extend-exclude = ["legacy"]\n')
    assert found == {"AIO101@tests/test_api.py", "AIO201@tests/test_api.py"}


def test_unknown_keys_are_an_error_naming_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, {**BASE, "pyproject.toml": '[tool.asynclint]\nselct = ["AIO1"]\n'})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache"])
    assert result.exit_code == 2
    assert "unknown key `selct`" in result.output


BLOCKING = (
    "import subprocess\n\nimport pytest\nfrom requests import get\n\n\n"
    "@pytest.mark.asyncio\nasync def test_fetch():\n    get('https://example.com')\n    subprocess.run(['true'])\n"
)


def test_rule_options_extend_what_a_rule_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, {"tests/test_blocking.py": BLOCKING})
    _, found = lint(tmp_path, monkeypatch, "")
    assert not any(item.startswith("AIO502") for item in found)
    table = '[tool.asynclint.blocking-sleep-in-async-test]\nblocking-calls = ["requests.get", "subprocess.run"]\n'
    code, found = lint(tmp_path, monkeypatch, table)
    assert code == 1
    assert [item for item in sorted(found) if item.startswith("AIO502")] == ["AIO502@tests/test_blocking.py"]
    result = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", "tests/test_blocking.py"])
    assert "`requests.get(...)` in an async test blocks the event loop" in result.stdout
    assert "`subprocess.run(...)` in an async test blocks the event loop" in result.stdout


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[tool.asynclint.blocking-sleep-in-async-test]\nblocking = []\n", "unknown option `blocking`"),
        ("[tool.asynclint.no-such-rule]\nx = []\n", "unknown key `no-such-rule`"),
        ("[tool.asynclint.blocking-sleep-in-async-test]\nblocking-calls = 3\n", "`blocking-calls` must be a list"),
    ],
)
def test_bad_rule_options_are_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, message: str
) -> None:
    write_project(tmp_path, {**BASE, "pyproject.toml": f'[project]\nname = "x"\n\n{table}'})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache"])
    assert result.exit_code == 2, result.output
    assert message in result.output
