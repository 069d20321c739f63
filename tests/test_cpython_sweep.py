"""An opt-in sweep (`pytest --sweep-cpython`): lint, and dry-run fix at the unsafe tier, every .py file of
CPython's own test suite (`Lib/test` of the running interpreter), the largest body of odd but real Python at
hand. It takes a minute or two.

The run must finish without internal errors, report AIO001 exactly where the file cannot be parsed (see
`test_sweep_of_cpython_test_suite` for what "cannot be parsed" means precisely), produce fixes that still
parse (and compile, where the original did), and write nothing into the standard library.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.model.collection import is_test_support
from asynclint.parsing import parse_in_pieces
from asynclint.registry import all_rules
from tests.helpers import compiles, libcst_parses, python_parses, run

STDLIB_TESTS = Path(sysconfig.get_paths()["stdlib"]) / "test"
#: Fewer files than this: a distribution's stripped copy (Debian keeps about 30 of the 800), not the suite.
COMPLETE = 500


def _count(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.py")) if folder.is_dir() else 0


def _cpython_test_suites() -> list[Path]:
    """`Lib/test` of the running Python, then of the other Pythons installed the usual ways (the system's,
    pyenv's), for when the running one is a distribution's Python with its test suite stripped."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [
        STDLIB_TESTS,
        *sorted(pyenv.glob("*/lib/python3*/test")),
        *sorted(Path("/usr/local/lib").glob("python3*/test")),
        *sorted(Path("/usr/lib").glob("python3*/test")),
    ]
    return [folder for folder in dict.fromkeys(candidates) if folder.is_dir()]


SYNTAX_ERROR = "AIO001"
RULE_CODES = frozenset(rule.code for rule in all_rules())


def _is_module_rules_read(path: Path) -> bool:
    """Whether some rule reads this file: a test module (pytest's default `python_files`), a conftest, or
    another module of a test folder (the missing-await rules read the helpers tests import)."""
    return (
        path.name == "conftest.py"
        or path.name.startswith("test_")
        or path.name.endswith("_test.py")
        or is_test_support(path)
    )


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every entry under `root` with its size and modification time: the sweep must change none of them."""
    entries: dict[str, tuple[int, int]] = {}
    for directory, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = os.path.join(directory, name)
            status = os.lstat(path)
            entries[path] = (status.st_size, status.st_mtime_ns)
    return entries


@pytest.fixture
def cpython_tests(request: pytest.FixtureRequest) -> Path:
    if not request.config.getoption("--sweep-cpython"):
        pytest.skip("the CPython sweep is opt-in (slow): run pytest with --sweep-cpython")
    suites = _cpython_test_suites()
    if not suites:
        pytest.skip(f"this Python has no test suite installed (no {STDLIB_TESTS})")
    complete = [folder for folder in suites if _count(folder) >= COMPLETE]
    return complete[0] if complete else max(suites, key=_count)


def test_sweep_of_cpython_test_suite(cpython_tests: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The folder is passed as a user would. (It is linted even when git ignores it: pyenv installs Python inside
    # its own git checkout, whose .gitignore lists `/versions`.) Only regular files count: a folder or link
    # named *.py is no module to sweep.
    files = sorted(path.resolve() for path in cpython_tests.rglob("*.py") if path.is_file())
    assert files, f"no .py file under {cpython_tests}"
    before = _snapshot(cpython_tests)

    # A dry run at the unsafe tier computes every fix and writes nothing; no cache of any kind: the shape
    # cache is off (and pointed into tmp_path in any case), and no results cache is asked for.
    result = run(
        [cpython_tests],
        cwd=tmp_path,
        fix=Applicability.UNSAFE,
        dry_run=True,
        no_cache=True,
        cache_dir=tmp_path / "cache",
    )

    assert _snapshot(cpython_tests) == before, "the sweep changed the standard library"
    assert not result.internal_errors, "\n".join(result.internal_errors)
    reports = {Path(report.path).resolve(): report for report in result.reports}
    assert set(reports) == set(files), "every swept file gets exactly one report"
    assert len(reports) == len(result.reports)
    assert all(d.code in RULE_CODES for d in result.diagnostics)

    by_file: dict[Path, list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        by_file.setdefault(Path(diagnostic.path).resolve(), []).append(diagnostic)
    reported = {path for path, found in by_file.items() if any(d.code == SYNTAX_ERROR for d in found)}
    for path in reported:
        # A file that cannot be parsed gets AIO001 alone.
        assert [d.code for d in by_file[path]] == [SYNTAX_ERROR], (path, by_file[path])
        assert reports[path].error, path
    assert {path for path, report in reports.items() if report.error} == reported

    sources = {path: path.read_bytes() for path in files}
    python_rejects = {path for path, source in sources.items() if not python_parses(source)}
    # "Cannot be parsed" is LibCST's verdict: asynclint reads files with LibCST. The two parsers disagree on
    # a few files, so the rule is, precisely:
    # - a file CPython rejects is always parsed with LibCST, and reported exactly when LibCST rejects it too
    #   (a file LibCST accepts despite CPython is linted like any other);
    # - a file CPython accepts is reported only when LibCST rejects it (LibCST lags CPython's grammar: in
    #   3.11's test_grammar.py, the parenthesized annotation target `(no_such_global): int`), and only if some
    #   rule reads it (a test module or a conftest): a file no rule reads gets only CPython's syntax check.
    #   LibCST is not run over every file here, which would double the sweep: the files reported are checked.
    libcst_rejects = {path for path in python_rejects | reported if not libcst_parses(sources[path])}
    both_reject = python_rejects & libcst_rejects
    libcst_only = reported - python_rejects
    assert reported & python_rejects == both_reject, sorted(map(str, both_reject ^ (reported & python_rejects)))
    assert libcst_only <= libcst_rejects, sorted(map(str, libcst_only - libcst_rejects))
    assert all(_is_module_rules_read(path) for path in libcst_only), sorted(map(str, libcst_only))

    # Every file LibCST parsed went through the fix loop (its output is its source when nothing applied).
    fix_outputs = sum(1 for report in reports.values() if report.fixed_source is not None)
    fixes_checked = 0
    for path, report in reports.items():
        if report.original is None or report.fixed_source is None or report.fixed_source == report.original:
            continue
        fixes_checked += 1
        assert report.original == sources[path]
        assert libcst_parses(report.fixed_source), f"the fixed {path} does not parse with LibCST"
        if compiles(report.original, str(path)):
            assert compiles(report.fixed_source, str(path)), f"the fixed {path} no longer compiles"

    findings = [d for d in result.diagnostics if d.code != SYNTAX_ERROR]
    with capsys.disabled():
        print(
            f"\nCPython sweep of {cpython_tests}: {len(files)} files swept, {len(reported)} AIO001 "
            f"({len(both_reject)} rejected by CPython and LibCST, {len(libcst_only)} by LibCST only: "
            f"{', '.join(p.name for p in sorted(libcst_only)) or 'none'}; "
            f"{len(python_rejects - libcst_rejects)} rejected by CPython only), "
            f"{len(findings)} findings, {fix_outputs} fix outputs computed, {result.fixed} fixes applied, "
            f"{fixes_checked} changed outputs checked"
        )


def test_cpython_modules_parse_in_pieces_as_whole(cpython_tests: Path) -> None:
    """Big modules are parsed in pieces (see `asynclint.parsing`): on a spread of CPython's own test modules,
    cut wherever a cut is allowed, the pieces join into the module a whole parse gives."""
    by_size = sorted((path for path in cpython_tests.rglob("*.py") if path.is_file()), key=lambda p: p.stat().st_size)
    sample = [*by_size[::25], *by_size[-3:]]
    pieced = 0
    for path in sample:
        source = path.read_bytes()
        try:
            whole = cst.parse_module(source)
        except Exception:
            continue
        module = parse_in_pieces(source, 512)
        if module is None:
            continue
        pieced += 1
        assert module.deep_equals(whole), path
        assert module.bytes == whole.bytes, path
    assert pieced >= len(sample) // 2
