"""asynclint reads code; it never imports or runs it, not even conftests or pytest plugins."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run, write_project

TRAP = "import pathlib\npathlib.Path({marker!r}).write_text('executed')\n"


def test_linted_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "EXECUTED"
    trap = TRAP.format(marker=str(marker))
    write_project(
        tmp_path / "project",
        {
            "pytest.ini": "[pytest]\naddopts = -p plugin_module\n",
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
