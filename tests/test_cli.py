"""The command line, driven as users drive it: exit codes, formats, selection, fixing, diffs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asynclint.cli import main
from tests.helpers import run_asynclint, write_project

UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, {**PROJECT, "tests/test_api.py": UNMARKED})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_findings_exit_1_with_text_format(project: Path) -> None:
    result = invoke("check", "tests")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("tests/test_api.py:4:1: AIO101 [*] async test `test_fetch` has no asyncio mark")
    assert "Found 1 finding (1 fixable with `--fix`)." in result.stdout


def test_default_path_is_the_current_folder(project: Path) -> None:
    assert invoke("check").exit_code == 1


def test_clean_exit_0(project: Path) -> None:
    (project / "tests" / "test_api.py").write_text("def test_sync():\n    pass\n")
    result = invoke("check", "tests")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_exit_zero(project: Path) -> None:
    assert invoke("check", "--exit-zero", "tests").exit_code == 0


def test_select_and_ignore_by_prefix(project: Path) -> None:
    assert invoke("check", "--ignore", "AIO1", "tests").exit_code == 0
    assert invoke("check", "--select", "AIO102,AIO103", "tests").exit_code == 0
    assert invoke("check", "--select", "AIO10", "--select", "AIO2", "tests").exit_code == 1
    assert invoke("check", "--select", "async-test-not-run", "tests").exit_code == 1


def test_unknown_selector_is_a_usage_error(project: Path) -> None:
    result = invoke("check", "--select", "AIO999", "tests")
    assert result.exit_code == 2
    assert "unknown rule code or name: AIO999" in result.stderr


def test_missing_path_is_a_usage_error(project: Path) -> None:
    assert invoke("check", "does-not-exist").exit_code == 2


def test_asyncio_mode_option(project: Path) -> None:
    assert invoke("check", "--asyncio-mode", "auto", "tests").exit_code == 0


def test_json_format_is_the_documented_contract(project: Path) -> None:
    result = invoke("check", "--format", "json", "tests")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert set(finding) == {"path", "line", "column", "end_line", "end_column", "code", "name", "message", "fix"}
    assert (finding["path"], finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        "tests/test_api.py",
        4,
        1,
        4,
        21,
    )
    assert (finding["code"], finding["name"]) == ("AIO101", "async-test-not-run")
    fix = finding["fix"]
    assert fix["applicability"] == "safe"
    assert fix["edits"] == [
        {"content": "@pytest.mark.asyncio\n", "line": 4, "column": 1, "end_line": 4, "end_column": 1}
    ]


def test_fix_writes_and_reports_what_remains(project: Path) -> None:
    result = invoke("check", "--fix", "tests")
    assert result.exit_code == 0
    assert "Fixed 1 finding." in result.stdout
    assert (project / "tests" / "test_api.py").read_text() == (
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    assert True\n"
    )
    assert invoke("check", "tests").exit_code == 0


def test_fix_keeps_unfixable_findings_and_exit_1(project: Path) -> None:
    (project / "tests" / "test_gen.py").write_text("import pytest\n\nasync def test_gen():\n    yield 1\n")
    result = invoke("check", "--fix", "tests")
    assert result.exit_code == 1
    assert "AIO103" in result.stdout and "AIO101" not in result.stdout


def test_diff_writes_nothing(project: Path) -> None:
    before = (project / "tests" / "test_api.py").read_bytes()
    result = invoke("check", "--diff", "tests")
    assert result.exit_code == 1
    assert "+@pytest.mark.asyncio" in result.stdout
    assert result.stdout.startswith("--- a/tests/test_api.py\n+++ b/tests/test_api.py\n")
    assert (project / "tests" / "test_api.py").read_bytes() == before
    (project / "tests" / "test_api.py").write_text("def test_sync():\n    pass\n")
    assert invoke("check", "--diff", "tests").exit_code == 0


def test_unsafe_fixes_need_the_flag(project: Path) -> None:
    source = "import unittest\n\nclass TestA(unittest.TestCase):\n    async def test_x(self):\n        pass\n"
    (project / "tests" / "test_api.py").write_text(source)
    assert invoke("check", "--fix", "tests").exit_code == 1
    assert (project / "tests" / "test_api.py").read_text() == source
    assert invoke("check", "--fix", "--unsafe-fixes", "tests").exit_code == 0
    assert "IsolatedAsyncioTestCase" in (project / "tests" / "test_api.py").read_text()


def test_syntax_error_exits_2_and_the_run_goes_on(project: Path) -> None:
    (project / "tests" / "test_broken.py").write_text("def test_x(:\n    pass\n")
    result = invoke("check", "tests")
    assert result.exit_code == 2
    assert "tests/test_broken.py:1:12: AIO001 cannot parse the file" in result.stdout
    assert "tests/test_api.py:4:1: AIO101" in result.stdout


def test_unreadable_config_exits_2(project: Path) -> None:
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\nasyncio_mode = strict\n")
    result = invoke("check", "tests")
    assert result.exit_code == 2
    assert "pytest.ini:3:1: AIO001 pytest cannot read this config file: duplicate name 'asyncio_mode'" in result.stdout
    assert "AIO101" not in result.stdout  # the mode is unknown


def test_fix_preserves_crlf_and_mode(project: Path) -> None:
    path = project / "tests" / "test_api.py"
    path.write_bytes(UNMARKED.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    assert invoke("check", "--fix", "tests").exit_code == 0
    assert (
        path.read_bytes()
        == b"import pytest\r\n\r\n\r\n@pytest.mark.asyncio\r\nasync def test_fetch():\r\n    assert True\r\n"
    )
    assert path.stat().st_mode & 0o777 == 0o640


def test_rules_lists_the_catalog() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("AIO000")
    assert any(line.startswith("AIO101 [~] async-test-not-run:") for line in lines)
    assert any("AIO106" in line and "(off by default)" in line for line in lines)
    rows = json.loads(invoke("rules", "--format", "json").stdout)
    assert {"code", "name", "default", "fix", "summary"} <= set(rows[0])


def test_python_dash_m_and_version(project: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "tests"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1 and "AIO101" in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "asynclint", "--version"], capture_output=True, text=True, check=False
    )
    assert version.stdout.startswith("asynclint, version ")


def test_rule_command_prints_the_rule_documentation() -> None:
    runner = CliRunner()
    by_code = runner.invoke(main, ["rule", "aio304"])
    assert by_code.exit_code == 0, by_code.output
    assert by_code.output.startswith("# AIO304 resource-closed-before-use\n")
    assert "## Why is this bad?" in by_code.output and "## Fix safety" in by_code.output
    by_name = runner.invoke(main, ["rule", "resource-closed-before-use"])
    assert by_name.output == by_code.output
    unknown = runner.invoke(main, ["rule", "AIO999"])
    assert unknown.exit_code == 2 and "no rule is called" in unknown.output


def test_show_fixes_and_fix_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = (
        "import asyncio\n\nimport pytest\n\n\nasync def test_a():\n    asyncio.sleep(0)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_b():\n    return 1\n"
    )
    write_project(tmp_path, {**PROJECT, "tests/test_x.py": module})
    monkeypatch.chdir(tmp_path)
    shown = invoke("check", "--no-cache", "--fix", "--show-fixes", "tests")
    assert shown.exit_code == 1  # AIO504 has no fix and remains
    assert "Applied fixes:\ntests/test_x.py:\n    1 AIO101\n    1 AIO201\n" in shown.stdout
    assert "AIO504" in shown.stdout

    write_project(tmp_path, {"tests/test_x.py": module})
    only = invoke("check", "--no-cache", "--fix-only", "tests")
    assert only.exit_code == 0
    assert only.stdout == "Fixed 2 findings.\n"


@pytest.mark.parametrize(
    ("before", "newline", "mode"),
    [
        pytest.param(
            b"\xef\xbb\xbfimport asyncio\r\n\r\nimport pytest\r\n\r\n\r\nasync def test_a():\r\n    pass\r\n",
            b"\r\n",
            0o751,
            id="BOM, CRLF and mode",
        ),
        pytest.param(
            b'# -*- coding: latin-1 -*-\nimport pytest\n\n\nasync def test_caf\xe9():\n    assert "\xe9t\xe9"\n',
            b"\n",
            0o644,
            id="declared latin-1 encoding",
        ),
    ],
)
def test_fix_keeps_the_file_bytes_around_the_edit(
    before: bytes, newline: bytes, mode: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The encoding (BOM, a coding cookie), line endings and permissions survive a fix, byte for byte."""
    write_project(tmp_path, PROJECT)
    target = tmp_path / "tests" / "test_kept.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(before)
    target.chmod(mode)
    monkeypatch.chdir(tmp_path)
    assert invoke("check", "--no-cache", "--fix", "tests").exit_code == 0
    assert target.read_bytes() == before.replace(b"async def", b"@pytest.mark.asyncio" + newline + b"async def")
    assert target.stat().st_mode & 0o777 == mode


def test_diff_and_show_fixes_include_config_file_fixes(tmp_path: Path) -> None:
    """A fix that rewrites the pytest config is shown by --diff (exit 1, nothing written) and listed by
    --show-fixes, like a fix of a test module."""
    config = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\nasyncio_mode = "auto"\n'
    project = write_project(tmp_path, {"pyproject.toml": config, "tests/test_a.py": "async def test_a():\n    pass\n"})
    diff = run_asynclint(project, "--diff", ".")
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout.splitlines()[:2] == ["--- a/pyproject.toml", "+++ b/pyproject.toml"]
    assert '+asyncio_default_fixture_loop_scope = "function"' in diff.stdout
    assert "Would fix 1 finding." in diff.stderr
    assert (project / "pyproject.toml").read_text(encoding="utf-8") == config
    fixed = run_asynclint(project, "--fix", "--show-fixes", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "pyproject.toml:\n    1 AIO602\n" in fixed.stdout
    assert "asyncio_default_fixture_loop_scope" in (project / "pyproject.toml").read_text(encoding="utf-8")


def test_a_config_file_named_on_the_command_line_is_checked_as_config(tmp_path: Path) -> None:
    """`check pyproject.toml` (a pre-commit hook passing every changed file) reads it as config, never as Python."""
    pyproject = (
        '[tool.poetry.dev-dependencies]\npytest-asyncio = "*"\n\n[tool.pytest.ini_options]\nasyncio_mode = "strict"\n'
    )
    project = write_project(
        tmp_path, {"pyproject.toml": pyproject, "tests/test_a.py": "import pytest\n\n\nasync def test_a():\n    pass\n"}
    )
    result = run_asynclint(project, "--format", "json", "pyproject.toml")
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    assert "AIO001" not in codes, result.stdout
    assert "AIO602" in codes, result.stdout
