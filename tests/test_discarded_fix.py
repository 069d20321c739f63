"""Fixes that go wrong never reach the disk half-done: a fix that would break the file is left out and
reported (the file's other fixes still apply); fixes that never settle are an internal error and the file is
left as it was; a file that changed since it was read is not overwritten."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from asynclint.api import CheckOptions, check_paths
from asynclint.diagnostics import Applicability, NodeFix
from asynclint.engine import FileLinter, InternalError
from asynclint.files import ChangedOnDisk, write_atomically
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


class NeverSettles(Rule):
    """A rule whose fix always leaves something to fix again (`x = 1` becomes `x = 2`, then `x = 3`...)."""

    code = "AIO998"
    name = "never-settles"
    file_kinds = frozenset({"test"})

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Integer):
            bumped = node.with_changes(value=cst.Integer(str(int(node.value.value) + 1)))
            self.report(node, "an assignment", fix=NodeFix("Bump it", Applicability.SAFE, {node: bumped}))


def test_fixes_that_never_settle_are_an_internal_error_and_write_nothing(tmp_path: Path) -> None:
    source = "x = 1\n\n\ndef test_a():\n    assert x\n"
    project = write_project(tmp_path, {"pytest.ini": "[pytest]\n", "tests/test_a.py": source})
    path = project / "tests" / "test_a.py"
    linter = FileLinter(FileModelBuilder(build_project([path])), [NeverSettles])
    with pytest.raises(InternalError, match="did not converge"):
        linter.check(path, path.read_bytes(), fix=Applicability.SAFE)

    result = check_paths([project], CheckOptions(rules=[NeverSettles], fix=Applicability.SAFE, no_cache=True))
    assert any("did not converge" in error for error in result.internal_errors)
    assert path.read_text() == source


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "test_a.py"
    path.write_bytes(b"edited in the editor meanwhile\n")
    with pytest.raises(ChangedOnDisk):
        write_atomically(path, b"what asynclint read\n", b"the fixed file\n")
    assert path.read_bytes() == b"edited in the editor meanwhile\n"
    write_atomically(path, b"edited in the editor meanwhile\n", b"the fixed file\n")
    assert path.read_bytes() == b"the fixed file\n"
    assert [entry.name for entry in tmp_path.iterdir()] == ["test_a.py"]  # no temporary file left behind


def test_an_unknown_coding_cookie_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "tests/test_cookie.py": "# coding: uft-8\nasync def test_a():\n    pass\n",
            "tests/test_fine.py": "import pytest_asyncio\n\n\nasync def test_b():\n    pass\n",
        },
    )
    result = check_paths([project], CheckOptions(no_cache=True, jobs=1), cwd=project)
    found = {(d.path, d.code, d.message) for d in result.diagnostics}
    assert ("tests/test_cookie.py", "AIO001", "cannot decode the file: unknown encoding: uft-8") in found
    assert any(path == "tests/test_fine.py" and code == "AIO101" for path, code, _ in found)


def test_an_unexpected_error_on_one_file_does_not_stop_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "tests/test_a.py": "import pytest_asyncio\n\n\nasync def test_a():\n    pass\n",
            "tests/test_b.py": "import pytest_asyncio\n\n\nasync def test_b():\n    pass\n",
        },
    )
    original = FileLinter.check

    def check(self: FileLinter, path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "test_a.py":
            raise KeyError("a bug")
        return original(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FileLinter, "check", check)
    result = check_paths([project], CheckOptions(no_cache=True, jobs=1), cwd=project)
    assert result.internal_errors == ["tests/test_a.py: internal error: KeyError: 'a bug'"]
    assert ("tests/test_b.py", "AIO101") in [(d.path, d.code) for d in result.diagnostics]
    # The file's findings are missing: in their place, one AIO000 at its line 1 (every output format shows it).
    assert [(d.line, d.code) for d in result.diagnostics if d.path == "tests/test_a.py"] == [(1, "AIO000")]
    assert result.has_errors
