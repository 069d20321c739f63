"""An interrupted `--fix` (Ctrl-C or SIGTERM at any moment) leaves every file whole: as it was, or fully fixed.

A real `asynclint` process fixes a few hundred files and is signalled at moments spread over its run, from
start-up to the writing of the last files. After each interruption every file holds exactly its original bytes
or exactly the bytes an uninterrupted run writes, no temporary file is left behind, and standard error holds
no traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FILES = 150
BROKEN = """\
import asyncio

import pytest


@pytest.mark.asyncio
async def test_{index}():
    asyncio.sleep(0)


class TestGroup:
    @pytest.mark.asyncio
    async def test_method(self):
        asyncio.sleep(0)
"""


def _project(root: Path) -> dict[Path, bytes]:
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n", encoding="utf-8"
    )
    (root / "requirements.txt").write_text("pytest==8.3.5\npytest-asyncio==0.25.3\n", encoding="utf-8")
    originals = {}
    for index in range(FILES):
        path = root / "tests" / f"test_{index:03}.py"
        path.write_text(BROKEN.format(index=index), encoding="utf-8")
        originals[path.relative_to(root)] = path.read_bytes()
    return originals


def _fix(root: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "asynclint", "check", "--fix", "--no-cache", "-q", "-j", "1", "tests"]
    return subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Path, bytes], dict[Path, bytes], float]:
    """The project, its files before and after an uninterrupted fix, and how long that fix took."""
    root = tmp_path_factory.mktemp("reference")
    before = _project(root)
    pristine = tmp_path_factory.mktemp("pristine")
    shutil.copytree(root, pristine, dirs_exist_ok=True)
    started = time.monotonic()
    process = _fix(root)
    _, errors = process.communicate(timeout=300)
    took = time.monotonic() - started
    assert process.returncode == 0, errors.decode()
    after = {relative: (root / relative).read_bytes() for relative in before}
    assert all(after[relative] != before[relative] for relative in before), "every file has something to fix"
    return pristine, before, after, took


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("moment", [0.4, 0.8, 0.95])
def test_interrupted_fix_leaves_every_file_old_or_new(
    tmp_path: Path,
    reference: tuple[Path, dict[Path, bytes], dict[Path, bytes], float],
    signum: signal.Signals,
    moment: float,
) -> None:
    pristine, before, after, took = reference
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    process = _fix(root)
    time.sleep(took * moment)
    process.send_signal(signum)
    _, errors = process.communicate(timeout=300)
    stderr = errors.decode()
    assert "Traceback" not in stderr, stderr
    if process.returncode == -signum:
        pass  # the signal came while Python was still starting, before asynclint could read a file
    elif process.returncode != 0:  # it was still running when the signal came
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr
    for relative in before:
        content = (root / relative).read_bytes()
        assert content in (before[relative], after[relative]), f"{relative} is half-written"
    leftovers = [name for name in os.listdir(root / "tests") if not name.startswith("test_")]
    assert leftovers == []
