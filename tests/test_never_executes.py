"""asynclint reads code; it never imports or runs it, not even conftests or pytest plugins. It writes only
inside the paths it is given, and never through a symbolic link that points outside them."""

from __future__ import annotations

from pathlib import Path

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

TRAP = "import pathlib\npathlib.Path({marker!r}).write_text('executed')\n"


def test_linted_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "EXECUTED"
    trap = TRAP.format(marker=str(marker))
    write_project(
        tmp_path / "project",
        {
            "pytest.ini": "[pytest]\naddopts = -p plugin_module\n",
            "setup.py": trap + "from setuptools import setup\nsetup(install_requires=['pytest-asyncio==0.21.1'])\n",
            "plugin_module.py": trap,
            "conftest.py": trap + "pytest_plugins = ['helpers.plugin']\n",
            "helpers/__init__.py": trap,
            "helpers/plugin.py": trap,
            "helpers/base.py": trap + "import unittest\nclass Base(unittest.TestCase):\n    pass\n",
            "tests/test_trap.py": trap
            + "from helpers.base import Base\n\nclass TestX(Base):\n    async def test_a(self):\n        pass\n",
        },
    )
    result = run([tmp_path / "project"], cwd=tmp_path, fix=None)
    assert [d.code for d in result.diagnostics] == ["AIO107"]  # the base class was read, not imported
    assert not marker.exists()


UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
FIXED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    assert True\n"
PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==8.3.5\npytest-asyncio==0.25.3\n",
}


def test_fix_never_writes_through_a_link_to_outside(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", {**PROJECT, "tests/test_own.py": UNMARKED})
    # Files are judged where they really are: the shared suite has the same config.
    outside = write_project(tmp_path / "elsewhere", {**PROJECT, "test_shared.py": UNMARKED}) / "test_shared.py"
    link = root / "tests" / "test_linked.py"
    link.symlink_to(outside)
    result = run([root / "tests"], cwd=root, fix=Applicability.SAFE, select=["AIO101"])
    assert (root / "tests" / "test_own.py").read_text(encoding="utf-8") == FIXED
    assert outside.read_text(encoding="utf-8") == UNMARKED
    assert link.is_symlink()
    assert [(d.path, d.code) for d in result.diagnostics] == [("tests/test_linked.py", "AIO101")]
    assert result.warnings == [
        f"tests/test_linked.py: not fixed: it is a symbolic link to {outside}, outside the paths given"
    ]


def test_fix_writes_the_target_of_a_link_inside_and_keeps_the_link(tmp_path: Path) -> None:
    root = write_project(tmp_path, {**PROJECT, "tests/real/test_a.py": UNMARKED})
    link = root / "tests" / "test_alias.py"
    link.symlink_to(root / "tests" / "real" / "test_a.py")
    run([link], cwd=root, fix=Applicability.SAFE, select=["AIO101"])
    assert link.is_symlink()
    assert (root / "tests" / "real" / "test_a.py").read_text(encoding="utf-8") == FIXED


def test_fix_leaves_config_files_outside_the_paths_alone(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"pytest.ini": "[pytest]\n", "requirements.txt": PROJECT["requirements.txt"]})
    write_project(root, {"tests/test_a.py": FIXED})
    result = run([root / "tests"], cwd=root, fix=Applicability.SAFE)
    assert (root / "pytest.ini").read_text(encoding="utf-8") == "[pytest]\n"
    assert [d.code for d in result.diagnostics] == ["AIO602"]
    assert result.warnings == ["pytest.ini: not fixed: it is outside the paths given (fix a folder that holds it)"]
    run([root], cwd=root, fix=Applicability.SAFE)
    assert "asyncio_default_fixture_loop_scope" in (root / "pytest.ini").read_text(encoding="utf-8")
