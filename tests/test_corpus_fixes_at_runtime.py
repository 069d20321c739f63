"""Every example project of fixtures_corpus with fixable findings, fixed with `--fix --unsafe-fixes` and run for
real: pytest runs a copy before and after the fix, under the pytest and pytest-asyncio installed here, when the
project's pins allow them (skipped with the reason otherwise).

What is checked, per project:
- the body of each test a fix was made in runs after the fix (observed with a profiler hook, whether the test
  then passes or not: corpus tests exercise stand-in code), unless it cannot run here at all (its module needs
  a package not installed here, its setup errors before and after, its subproject pins other runners);
- no warning and no error is new: the warning messages pytest reports after the fix are among those before,
  and no test errors that did not before;
- a second check reports, per file and code, no more findings than the first;
- a second `--fix --unsafe-fixes` changes nothing.
"""

from __future__ import annotations

import ast
import collections
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.model.versions import VersionResolver
from tests.helpers import run

pytestmark = pytest.mark.runtime

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"
FIXABLE = sorted(
    p for p in CORPUS.iterdir() if p.is_dir() and (any(p.rglob("*.py.fixed")) or any(p.rglob("*.py.unsafe-fixed")))
)
RUNNERS = ("pytest", "pytest-asyncio")

#: A pytest plugin recording which test functions' bodies started: a profiler hook sees each test's code object
#: entered, sync or async, whatever pytest then reports.
PROBE = """
import json, os, sys, threading

ROOT = os.environ["BODIES_ROOT"]
SEEN = set()


def _profile(frame, event, arg):
    if event == "call":
        code = frame.f_code
        if code.co_name.startswith("test") and code.co_filename.startswith(ROOT):
            SEEN.add(os.path.relpath(code.co_filename, ROOT) + "::" + code.co_qualname.replace(".", "::"))


def pytest_configure(config):
    sys.setprofile(_profile)
    threading.setprofile(_profile)


def pytest_unconfigure(config):
    sys.setprofile(None)
    with open(os.environ["BODIES_OUT"], "w") as handle:
        json.dump(sorted(SEEN), handle)
"""
WARNING = re.compile(r"^\s+(?P<where>\S+\.py):\d+: (?P<what>.+)$")
OUTCOME = re.compile(r"^(?P<outcome>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (?P<nodeid>\S+)")


def pins_allow_installed(project: Path, directory: Path) -> str | None:
    """Why the pins that apply to `directory` rule out the runners installed here, or None when they allow them."""
    versions = VersionResolver(environ={}, cwd=project).for_directory(directory)
    for name in RUNNERS:
        found = versions.get(name)
        if found is None:
            continue
        have = installed_version(name)
        if found.exact is not None and not found.from_environment and found.exact != have:
            return f"{name} {found.exact} pinned, {have} installed"
        if found.specifier and have not in SpecifierSet(found.specifier):
            return f"{name}{found.specifier} required, {have} installed"
    return None


def pytest_run(project: Path, probe: Path, label: str) -> tuple[set[str], set[str], dict[str, str], str]:
    """(bodies that started, warnings without line numbers, outcome by test id, output) of one pytest run."""
    out = project.parent / f"bodies-{label}.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "VIRTUAL_ENV"))}
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join([str(probe), env.get("PYTHONPATH", "")]),
        BODIES_ROOT=str(project) + os.sep,
        BODIES_OUT=str(out),
    )
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "bodies_probe", "-p", "no:cacheprovider"),
            *("-q", "-rA", "-W", "default", "--continue-on-collection-errors"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    bodies = set(json.loads(out.read_text(encoding="utf-8"))) if out.exists() else set()
    warnings: set[str] = set()
    section = False
    for line in result.stdout.splitlines():
        if line.startswith("="):
            section = "warnings summary" in line
            continue
        match = WARNING.match(line) if section else None
        if match is not None:
            # By message: where a never-awaited coroutine is reported is wherever garbage collection ran.
            warnings.add(re.sub(r"0x[0-9a-f]+|line \d+", "", match["what"]))
    outcomes = {m["nodeid"]: m["outcome"] for m in map(OUTCOME.match, result.stdout.splitlines()) if m is not None}
    return bodies, warnings, outcomes, output


def fixed_tests(project: Path, findings: list[Diagnostic]) -> set[str]:
    """The tests (`path::Class::test_name`, as pytest names them) holding a finding that has a fix; not one
    about `noqa` comments (AIO0xx), which leaves the test as its comment wants it."""
    found: set[str] = set()
    trees: dict[str, ast.Module | None] = {}
    for finding in findings:
        if finding.fix is None or not finding.path.endswith(".py") or finding.code.startswith("AIO0"):
            continue
        if finding.path not in trees:
            try:
                trees[finding.path] = ast.parse((project / finding.path).read_text(encoding="utf-8"))
            except SyntaxError:
                trees[finding.path] = None
        tree = trees[finding.path]
        test = _test_at(tree, finding.line) if tree is not None else None
        if test is not None:
            found.add(f"{finding.path}::{test}")
    return found


def _test_at(tree: ast.Module, line: int) -> str | None:
    """The qualified name of the test function whose lines (decorators included) hold `line`."""

    def walk(body: list[ast.stmt], prefix: str) -> str | None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                inner = walk(node.body, f"{prefix}{node.name}::")
                if inner is not None:
                    return inner
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                if first <= line <= (node.end_lineno or node.lineno):
                    return prefix + node.name
        return None

    return walk(tree.body, "")


def counts(findings: list[Diagnostic]) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((d.path, d.code) for d in findings)


def file_texts(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("corpus_project", FIXABLE, ids=[p.name for p in FIXABLE])
def test_fixed_tests_run_and_nothing_new_goes_wrong(corpus_project: Path, tmp_path: Path) -> None:
    # Pins of the project as a whole; subprojects with pins of their own are judged test by test below.
    reason = pins_allow_installed(corpus_project, corpus_project)
    if reason is not None:
        pytest.skip(reason)
    project = tmp_path / corpus_project.name
    shutil.copytree(corpus_project, project, ignore=shutil.ignore_patterns("*.fixed", "*.unsafe-fixed"))
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "bodies_probe.py").write_text(PROBE, encoding="utf-8")

    first = run([project], cwd=project)
    assert not first.internal_errors
    tests = fixed_tests(project, first.diagnostics)
    _, warnings_before, outcomes_before, _ = pytest_run(project, probe, "before")

    fixed = run([project], cwd=project, fix=Applicability.UNSAFE)
    assert not fixed.internal_errors
    bodies, warnings_after, outcomes_after, output = pytest_run(project, probe, "after")

    # What cannot run here proves nothing either way: a module that cannot be collected (a package the project
    # does not ship), a test whose setup errors before and after (a fixture of a plugin not installed here), a
    # subproject whose pins rule out the runners installed here.
    by_test = collections.defaultdict(set)
    for nodeid, outcome in outcomes_after.items():
        by_test[nodeid.partition("[")[0]].add(outcome)  # every parameter of a parametrized test
    runnable = {test for test in tests if by_test.get(test) != {"ERROR"}}
    collected = {nodeid.partition("::")[0] for nodeid in outcomes_after if "::" in nodeid}
    checked = {
        test
        for test in runnable
        if test.partition("::")[0] in collected
        and pins_allow_installed(project, (project / test.partition("::")[0]).parent) is None
    }
    assert checked <= bodies, f"fixed tests whose body did not run: {sorted(checked - bodies)}\n{output}"
    assert warnings_after <= warnings_before, f"new warnings: {sorted(warnings_after - warnings_before)}\n{output}"
    errors = {n for n, outcome in outcomes_after.items() if outcome == "ERROR" and outcomes_before.get(n) != "ERROR"}
    assert not errors, f"tests that now error: {sorted(errors)}\n{output}"

    second = run([project], cwd=project)
    grown = {key: n for key, n in counts(second.diagnostics).items() if n > counts(first.diagnostics)[key]}
    assert not grown, f"a second check reports more: {grown}"
    texts = file_texts(project)
    run([project], cwd=project, fix=Applicability.UNSAFE)
    assert file_texts(project) == texts, "a second --fix changed files"
