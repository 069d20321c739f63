"""A file asynclint fails on is an AIO000 finding in every output format, exit status 2, never cached.

The failure is real, in a real `asynclint` process, and nothing of asynclint is patched: the command runs with a
small stack (512 KB, as a thread or container may give it), under which LibCST's native parser overflows on a
module nested 190 brackets deep (Python accepts up to 200, so asynclint parses it). Linted by worker processes
(`-j 2`, more than 48 files), the worker that parses that module dies, and asynclint reports the file it was on
and goes on with the others.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.helpers import write_project

resource = pytest.importorskip("resource")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="stack limits as Linux sets them")

STACK_BYTES = 512 * 1024
DEEP = "import pytest\n\nDEPTH = " + "(" * 190 + "1" + ")" * 190 + "\n\n\nasync def test_deep():\n    assert DEPTH\n"
UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_{index}():\n    pass\n"
CRASHED = "asynclint failed on this file (the process linting it crashed), so it was not checked"


def _small_stack() -> None:
    resource.setrlimit(resource.RLIMIT_STACK, (STACK_BYTES, STACK_BYTES))


def _asynclint(project: Path, *args: str, small_stack: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "-j", "2", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        preexec_fn=_small_stack if small_stack else None,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    probe = subprocess.run(
        [sys.executable, "-c", f"import libcst; libcst.parse_module({DEEP!r})"],
        preexec_fn=_small_stack,
        capture_output=True,
        check=False,
    )
    if probe.returncode >= 0:
        pytest.skip("LibCST's parser no longer overflows a small stack on deep nesting: no way left to crash it")
    files = {
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
        "tests/test_deep.py": DEEP,
        "tests/test_unmarked.py": UNMARKED,
    }
    files.update({f"tests/test_{index:02}.py": MARKED.format(index=index) for index in range(50)})
    return write_project(tmp_path_factory.mktemp("crash"), files)


def _check_crash_reported(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 2, done.stderr
    assert "error: tests/test_deep.py: internal error: the process linting it crashed\n" in done.stderr
    assert "Traceback" not in done.stderr


def test_text_reports_aio000_and_the_other_files(project: Path) -> None:
    done = _asynclint(project, "--no-cache", "tests")
    _check_crash_reported(done)
    lines = done.stdout.splitlines()
    assert any(line.startswith(f"tests/test_deep.py:1:1: AIO000 {CRASHED}") for line in lines), done.stdout
    assert any(line.startswith("tests/test_unmarked.py:4:1: AIO101") for line in lines), done.stdout
    assert "report a bug with the file at https://github.com/asynclint/asynclint/issues" in done.stdout


@pytest.mark.parametrize("output", ["json", "json-lines"])
def test_json_formats(project: Path, output: str) -> None:
    done = _asynclint(project, "--no-cache", "--format", output, "tests")
    _check_crash_reported(done)
    found = json.loads(done.stdout) if output == "json" else [json.loads(line) for line in done.stdout.splitlines()]
    crash = [f for f in found if f["code"] == "AIO000"]
    assert [(f["path"], f["line"], f["column"], f["name"], f["fix"]) for f in crash] == [
        ("tests/test_deep.py", 1, 1, "internal-error", None)
    ]
    assert crash[0]["message"].startswith(CRASHED)
    assert ("tests/test_unmarked.py", "AIO101") in [(f["path"], f["code"]) for f in found]


def test_sarif(project: Path) -> None:
    done = _asynclint(project, "--no-cache", "--format", "sarif", "tests")
    _check_crash_reported(done)
    run = json.loads(done.stdout)["runs"][0]
    crash = [r for r in run["results"] if r["ruleId"] == "AIO000"]
    assert len(crash) == 1
    location = crash[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/test_deep.py"
    assert location["region"]["startLine"] == 1
    assert run["tool"]["driver"]["rules"][crash[0]["ruleIndex"]]["id"] == "AIO000"
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"]] == [
        "tests/test_deep.py: internal error: the process linting it crashed"
    ]


def test_junit_counts_it_as_an_error(project: Path) -> None:
    done = _asynclint(project, "--no-cache", "--format", "junit", "tests")
    _check_crash_reported(done)
    root = ElementTree.fromstring(done.stdout)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "tests/test_deep.py")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    error = suite.find("testcase/error")
    assert error is not None and error.get("type") == "AIO000"


def test_gitlab_and_github(project: Path) -> None:
    gitlab = _asynclint(project, "--no-cache", "--format", "gitlab", "tests")
    _check_crash_reported(gitlab)
    issues = [i for i in json.loads(gitlab.stdout) if i["check_name"] == "AIO000 internal-error"]
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [("tests/test_deep.py", 1)]
    github = _asynclint(project, "--no-cache", "--format", "github", "tests")
    _check_crash_reported(github)
    assert any(
        line.startswith("::error title=asynclint (AIO000),file=tests/test_deep.py,line=1,col=1")
        for line in github.stdout.splitlines()
    ), github.stdout


def test_it_cannot_be_turned_off(project: Path) -> None:
    (project / "asynclint.toml").write_text('[per-file-ignores]\n"tests/test_deep.py" = ["AIO000"]\n')
    try:
        for args in (["--ignore", "AIO000"], ["--select", "AIO1"], ["--exit-zero"]):
            done = _asynclint(project, "--no-cache", *args, "tests")
            _check_crash_reported(done)
            assert f"tests/test_deep.py:1:1: AIO000 {CRASHED}" in done.stdout, args
    finally:
        (project / "asynclint.toml").unlink()


def test_add_noqa_leaves_it_to_the_report(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    before = (copy / "tests" / "test_deep.py").read_bytes()
    done = _asynclint(copy, "--no-cache", "--add-noqa", "--select", "AIO101", "tests")
    assert "1 AIO000 (a file asynclint failed on: report it as a bug)" in done.stdout, done.stdout
    assert (copy / "tests" / "test_deep.py").read_bytes() == before


def test_it_is_never_cached(project: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    crashed = _asynclint(project, "--cache-dir", cache, "tests")
    _check_crash_reported(crashed)
    # With room on the stack the same files, unchanged, are linted again: the file's findings, no AIO000.
    again = _asynclint(project, "--cache-dir", cache, "tests", small_stack=False)
    assert again.returncode == 1, again.stderr
    assert "AIO000" not in again.stdout
    assert "tests/test_deep.py:6:1: AIO101" in again.stdout
    # ...and what is cached from that run answers the next one the same.
    third = _asynclint(project, "--cache-dir", cache, "tests", small_stack=False)
    assert (third.returncode, third.stdout) == (again.returncode, again.stdout)


def test_no_process_outlives_the_run(project: Path) -> None:
    """The crashed worker's pool is wound up before the run goes on: none of its other workers is left
    waiting on the pool with the run's standard output open (a caller reading it would wait forever). Several
    runs at once load the machine, which is when a worker used to be left behind."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "asynclint", "check", "--no-cache", "-j", "2", "tests"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_small_stack,
        )
        for _ in range(6)
    ]
    try:
        outcomes = [run.communicate(timeout=60) for run in runs]  # ends once every writer closed its end
    finally:
        for run in runs:
            run.kill()
    assert [run.returncode for run in runs] == [2] * len(runs)
    assert all(b"AIO000" in stdout for stdout, _ in outcomes)


def test_its_rule_page_says_what_to_do() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asynclint", "rule", "AIO000"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("# AIO000 internal-error\n")
    assert "report a bug at https://github.com/asynclint/asynclint/issues with the file" in done.stdout
