"""The flake8 plugin, run through the real flake8: same findings as `asynclint check`, flake8's `noqa`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_a.py": (
        "import asyncio\n\n\nasync def test_unmarked():\n    await asyncio.sleep(0)\n\n\n"
        "async def test_silenced():  # noqa: AIO101\n    pass\n"
    ),
}


def test_flake8_reports_asynclint_findings(tmp_path: Path) -> None:
    project = write_project(tmp_path, PROJECT)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "AIO", "tests/"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("tests/test_a.py:4:1: AIO101 async test `test_unmarked` has no asyncio mark")
