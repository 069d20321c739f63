"""A fix that would break the file is left out and reported; the file's other fixes still apply."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from asynclint.diagnostics import Applicability, NodeFix
from asynclint.engine import FileLinter
from asynclint.model.collection import FileModelBuilder
from asynclint.model.project import build_project
from asynclint.registry import rule_by_code
from asynclint.rule import Rule
from tests.helpers import write_project


class BreaksTheFile(Rule):
    """A rule whose fix writes invalid Python (a stand-in for a bug in a real rule)."""

    code = "AIO999"
    name = "breaks-the-file"
    file_kinds = frozenset({"test"})

    def visit_Assign(self, node: cst.Assign) -> None:
        broken = cst.Expr(value=cst.Name("async"))
        fix = NodeFix("Break it", Applicability.SAFE, {node: broken})
        self.report(node, "an assignment", fix=fix)


def test_a_fix_that_does_not_parse_is_discarded(tmp_path: Path) -> None:
    source = "import asyncio\n\nx = 1\n\n\nasync def test_a():\n    await asyncio.sleep(0)\n"
    project = write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
            "tests/test_a.py": source,
        },
    )
    path = project / "tests" / "test_a.py"
    unmarked = rule_by_code("AIO101")
    assert unmarked is not None
    linter = FileLinter(FileModelBuilder(build_project([path])), [unmarked, BreaksTheFile])
    report = linter.check(path, path.read_bytes(), fix=Applicability.SAFE)
    assert report.discarded == ["the AIO999 fix at line 3 (Break it) would not parse"]
    assert report.fixed == 1 and report.fixed_source is not None
    fixed = report.fixed_source.decode()
    assert "@pytest.mark.asyncio" in fixed and "x = 1" in fixed
    compile(fixed, "test_a.py", "exec")
    assert [d.code for d in report.diagnostics] == ["AIO999"]
