"""`[tool.asynclint]` settings: selection, per-file ignores, excludes, unknown keys; the CLI overrides them."""

from __future__ import annotations

import subprocess
import sys
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


def run_cli(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command in a real process, with the results cache on (its place is part of what is checked)."""
    return subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "-j", "1", *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def codes_by_file(output: str) -> set[str]:
    return {f"{line.split(': ')[1].split()[0]}@{line.split(':')[0]}" for line in output.splitlines() if ": AIO" in line}


def test_config_names_the_settings_file(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            **BASE,
            "pyproject.toml": '[tool.asynclint]\nselect = ["AIO2"]\n',
            "ci/asynclint-ci.toml": 'select = ["AIO1"]\nextend-exclude = ["tests/legacy"]\n',
        },
    )
    nearest = run_cli(project, "--no-cache", "tests")
    assert codes_by_file(nearest.stdout) == {"AIO201@tests/test_api.py", "AIO201@tests/legacy/test_old.py"}
    named = run_cli(project, "--no-cache", "--config", "ci/asynclint-ci.toml", "tests")
    assert named.returncode == 1, named.stderr
    assert codes_by_file(named.stdout) == {"AIO101@tests/test_api.py"}


def test_config_naming_a_pyproject_without_the_table_is_an_error(tmp_path: Path) -> None:
    project = write_project(tmp_path, {**BASE, "other/pyproject.toml": '[project]\nname = "other"\n'})
    done = run_cli(project, "--no-cache", "--config", "other/pyproject.toml", "tests")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["asynclint: error: other/pyproject.toml: has no [tool.asynclint] table"]


def test_model_settings_of_a_nested_project_are_checked_too(tmp_path: Path) -> None:
    """A bad value in the settings of a sub-project the run reaches is an error, not a silent default."""
    project = write_project(
        tmp_path,
        {
            **BASE,
            "pyproject.toml": '[tool.asynclint]\nselect = ["AIO1"]\n',
            "tests/legacy/asynclint.toml": 'asyncio-mode = "sometimes"\n',
        },
    )
    done = run_cli(project, "--no-cache", "tests")
    assert done.returncode == 2, done.stdout
    assert 'asynclint.toml: asyncio-mode = "sometimes" is not a mode' in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_force_exclude_applies_the_settings_to_files_named_on_the_command_line(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            **BASE,
            "pyproject.toml": '[tool.asynclint]\nextend-exclude = ["tests/legacy"]\n',
            "build/test_gen.py": UNMARKED,
        },
    )
    named = ("tests/test_api.py", "tests/legacy/test_old.py", "build/test_gen.py")
    without = run_cli(project, "--no-cache", *named)
    assert {item.split("@")[1] for item in codes_by_file(without.stdout)} == set(named)
    forced = run_cli(project, "--no-cache", "--force-exclude", *named)
    assert {item.split("@")[1] for item in codes_by_file(forced.stdout)} == {"tests/test_api.py"}
    before = (project / "tests/legacy/test_old.py").read_text(encoding="utf-8")
    fixed = run_cli(project, "--no-cache", "--fix", "--force-exclude", *named)
    assert fixed.returncode == 0, fixed.stderr
    assert (project / "tests/legacy/test_old.py").read_text(encoding="utf-8") == before
    assert "@pytest.mark.asyncio" in (project / "tests/test_api.py").read_text(encoding="utf-8")
    # Standard input standing for an excluded file: nothing to report, the source back unchanged.
    piped = run_cli(
        project, "--force-exclude", "--fix", "-", "--stdin-filename", "tests/legacy/test_old.py", stdin=UNMARKED
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, UNMARKED, "")


def test_the_results_cache_lives_at_the_project_root(tmp_path: Path) -> None:
    project = write_project(tmp_path / "app", {**BASE, "pyproject.toml": '[project]\nname = "app"\n'})
    run_cli(project / "tests", ".")
    run_cli(tmp_path, "app/tests")
    assert (project / ".asynclint_cache").is_dir()
    assert not (project / "tests/.asynclint_cache").exists() and not (tmp_path / ".asynclint_cache").exists()
    settings = write_project(tmp_path / "mono", {**BASE, "asynclint.toml": 'select = ["AIO1"]\n'})
    (settings / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    run_cli(settings / "tests" / "legacy", ".")
    assert (settings / ".asynclint_cache").is_dir()


def test_select_all_enables_every_rule_and_per_file_ignores_all_silences_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    orphan = (
        "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\n"
        "async def test_t():\n    asyncio.create_task(asyncio.sleep(0))\n"
    )
    write_project(tmp_path, {"tests/test_orphan.py": orphan})
    _, found = lint(tmp_path, monkeypatch, "")
    assert "AIO205@tests/test_orphan.py" not in found  # off by default
    _, found = lint(tmp_path, monkeypatch, 'select = ["ALL"]\n')
    assert "AIO205@tests/test_orphan.py" in found
    _, found = lint(
        tmp_path, monkeypatch, 'select = ["ALL"]\n\n[tool.asynclint.per-file-ignores]\n"tests/legacy/*" = ["ALL"]\n'
    )
    assert not [item for item in found if item.endswith("legacy/test_old.py")]
    assert "AIO101@tests/test_api.py" in found
