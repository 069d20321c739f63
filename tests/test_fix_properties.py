"""Property tests: on generated test modules, fixing always parses, converges, is idempotent, touches only
decorators and imports, and leaves no fixable AIO1xx finding behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

IMPORTS = st.sampled_from(["import pytest\n", "import pytest as pt\n", "from pytest import mark\n", ""])
DECORATORS = st.lists(
    st.sampled_from(["asyncio", "asyncios", "asycnio", "slow", "parametrize"]), max_size=2, unique=True
)


@st.composite
def functions(draw: st.DrawFn, name: str, indent: str) -> str:
    is_async = draw(st.booleans())
    test_name = draw(st.sampled_from(["test_", "helper_"])) + name
    lines = []
    for mark in draw(DECORATORS):
        arguments = '("x", [1])' if mark == "parametrize" else ""
        lines.append(f"{indent}@pytest.mark.{mark}{arguments}")
    params = ["self"] if indent else []
    if any("parametrize" in line for line in lines):
        params.append("x")
    comment = draw(st.sampled_from(["", "  # keep", "  # noqa: AIO101"]))
    lines.append(f"{indent}{'async ' if is_async else ''}def {test_name}({', '.join(params)}):{comment}")
    body = draw(st.sampled_from(["pass", "assert True", "yield 1" if is_async else "pass"]))
    lines.append(f"{indent}    {body}")
    return "\n".join(lines) + "\n"


@st.composite
def modules(draw: st.DrawFn) -> str:
    imports = draw(IMPORTS)
    parts = [imports, "import pytest\n" if "pytest" not in imports else ""]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["pytestmark = pytest.mark.asyncio\n", "pytestmark = [pytest.mark.slow]\n"])))
    for index in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            header = draw(st.sampled_from(["", "@pytest.mark.asyncio\n"]))
            methods = [draw(functions(f"{index}_{n}", "    ")) for n in range(draw(st.integers(1, 2)))]
            parts.append(f"\n\n{header}class TestGroup{index}:\n" + "\n".join(methods))
        else:
            parts.append("\n\n" + draw(functions(str(index), "")))
    return "".join(parts)


PROJECT = {
    "pytest.ini": "[pytest]\nmarkers =\n    slow: slow\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}


def code_lines(source: str) -> list[str]:
    """The lines that are neither decorators nor imports: a fix must leave them exactly as they were (but for a
    `# noqa: AIO101` that suppresses nothing, which AIO002 removes)."""
    return [
        line.removesuffix("  # noqa: AIO101")
        for line in source.splitlines()
        if not line.strip().startswith("@") and not line.startswith(("import ", "from "))
    ]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_fixing_generated_modules(source: str) -> None:
    cst.parse_module(source)
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), {**PROJECT, "tests/test_generated.py": source})
        target = root / "tests" / "test_generated.py"
        first = run([root], cwd=root, fix=Applicability.SAFE)
        assert not first.internal_errors, first.internal_errors
        fixed = target.read_text(encoding="utf-8")
        cst.parse_module(fixed)
        compile(fixed, str(target), "exec")
        assert code_lines(fixed) == code_lines(source)
        left = [d for d in first.diagnostics if d.fix is not None and d.fix.applicability is Applicability.SAFE]
        assert left == [], "a safe fix was left unapplied"
        second = run([root], cwd=root, fix=Applicability.SAFE)
        assert second.fixed == 0
        assert target.read_text(encoding="utf-8") == fixed


MARK_RULES = ["AIO002", "AIO101", "AIO102", "AIO103", "AIO104", "AIO105", "AIO106", "AIO107", "AIO108", "AIO109"]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.lists(st.sampled_from(MARK_RULES), min_size=1, max_size=3, unique=True))
def test_fixing_some_rules_first_ends_where_fixing_all_does(source: str, first: list[str]) -> None:
    """Two runs do not differ from one: fixing with a few rules, then with all, gives what fixing with all gives
    (a mark-adding or mark-renaming fix looks at the marks already there, whoever put them)."""
    with tempfile.TemporaryDirectory() as once, tempfile.TemporaryDirectory() as twice:
        one = write_project(Path(once), {**PROJECT, "tests/test_generated.py": source})
        two = write_project(Path(twice), {**PROJECT, "tests/test_generated.py": source})
        run([one], cwd=one, fix=Applicability.SAFE)
        run([two], cwd=two, fix=Applicability.SAFE, select=first)
        run([two], cwd=two, fix=Applicability.SAFE)
        target = Path("tests") / "test_generated.py"
        assert (two / target).read_text(encoding="utf-8") == (one / target).read_text(encoding="utf-8")
