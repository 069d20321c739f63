"""Exit codes as the README documents them, for every situation a CI gate meets; and stdin for editors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_asynclint, write_project

CONFIG = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
FIXABLE = "import asyncio\n\nimport pytest\n\n\nasync def test_a():\n    await asyncio.sleep(0)\n"
UNFIXABLE = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    return 1\n"
CLEAN = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        pytest.param({"tests/test_a.py": CLEAN}, (), 0, id="clean"),
        pytest.param({"tests/test_a.py": FIXABLE}, (), 1, id="findings"),
        pytest.param({"tests/test_a.py": FIXABLE}, ("--fix",), 0, id="fixed"),
        pytest.param({"tests/test_a.py": FIXABLE}, ("--fix", "--exit-non-zero-on-fix"), 1, id="fixed-in-ci"),
        pytest.param({"tests/test_a.py": UNFIXABLE}, ("--fix",), 1, id="unfixable"),
        pytest.param({"tests/test_a.py": FIXABLE}, ("--exit-zero",), 0, id="exit-zero"),
        pytest.param({"tests/test_a.py": FIXABLE}, ("--diff",), 1, id="diff-to-show"),
        pytest.param({"tests/test_a.py": CLEAN}, ("--diff",), 0, id="no-diff"),
        pytest.param({"tests/test_a.py": CLEAN}, ("no/such/path",), 2, id="nonexistent-path"),
        pytest.param({"tests/test_a.py": "def test_a(:\n"}, (), 2, id="parse-error"),
        pytest.param(
            {"tests/test_a.py": CLEAN, "pyproject.toml": "[tool.asynclint]\nbad = 1\n"}, (), 2, id="bad-config"
        ),
        pytest.param({"tests/test_a.py": CLEAN}, ("--select", "NOPE"), 2, id="bad-arguments"),
    ],
)
def test_exit_code(tmp_path: Path, files: dict[str, str], args: tuple[str, ...], expected: int) -> None:
    project = write_project(tmp_path, {**CONFIG, **files})
    result = run_asynclint(project, *args)
    assert result.returncode == expected, result.stdout + result.stderr


def test_stdin_is_linted_as_the_named_file_and_fixed_to_stdout(tmp_path: Path) -> None:
    project = write_project(tmp_path, {**CONFIG, "tests/__init__.py": ""})
    checked = run_asynclint(project, "-", "--stdin-filename", "tests/test_new.py", stdin=FIXABLE)
    assert checked.returncode == 1
    assert checked.stdout.startswith("tests/test_new.py:6:1: AIO101")
    fixed = run_asynclint(project, "--fix", "-", "--stdin-filename", "tests/test_new.py", stdin=FIXABLE)
    assert fixed.returncode == 0, fixed.stderr
    assert "@pytest.mark.asyncio\nasync def test_a():" in fixed.stdout
    assert not (project / "tests" / "test_new.py").exists()
