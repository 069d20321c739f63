"""AIO306 points at the second `yield` a fixture can reach in one run: the line its author has to change."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run, run_asynclint, write_project

HEAD = "import pytest\n\n\n@pytest.fixture\n"
PINS = {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n"}


def _lines(tmp_path: Path, fixture: str) -> list[int]:
    write_project(tmp_path, {**PINS, "test_fixtures.py": HEAD + fixture})
    return [d.line for d in run([tmp_path], cwd=tmp_path, select=["AIO306"]).diagnostics]


def test_the_finding_is_on_the_second_yield(tmp_path: Path) -> None:
    fixture = "def connection():\n    conn = object()\n    yield conn\n    print('reset')\n    yield conn\n"
    assert _lines(tmp_path, fixture) == [9]


def test_a_yield_in_finally_after_the_body_is_the_second(tmp_path: Path) -> None:
    fixture = "def retried():\n    try:\n        yield 1\n    finally:\n        yield None\n"
    assert _lines(tmp_path, fixture) == [9]


def test_only_the_first_repeated_yield_is_reported(tmp_path: Path) -> None:
    fixture = "def triple():\n    yield 1\n    yield 2\n    yield 3\n"
    assert _lines(tmp_path, fixture) == [7]


def test_exclusive_branches_and_early_returns_are_one_yield(tmp_path: Path) -> None:
    fixture = (
        "def data(request):\n    if request.param:\n        yield 1\n        return\n"
        "    elif request.param is None:\n        yield 2\n    else:\n        yield 3\n"
    )
    assert _lines(tmp_path, fixture) == []


def test_a_long_elif_chain_is_read_without_recursion(tmp_path: Path) -> None:
    """A fixture with an `elif` chain 1,500 long (valid Python: one `yield` per branch) used to end in an
    internal error."""
    branches = "".join(f"    elif kind == {index}:\n        yield {index}\n" for index in range(1, 1500))
    fixture = f"def by_kind(kind):\n    if kind == 0:\n        yield 0\n{branches}    else:\n        yield -1\n"
    write_project(tmp_path, {**PINS, "test_fixtures.py": HEAD + fixture})
    result = run([tmp_path], cwd=tmp_path, select=["AIO306"])
    assert not result.internal_errors, result.internal_errors
    assert result.diagnostics == []


def test_noqa_on_the_second_yield_silences_it(tmp_path: Path) -> None:
    fixture = "def connection():\n    yield 1\n    yield 2  # noqa: AIO306\n"
    write_project(tmp_path, {**PINS, "test_fixtures.py": HEAD + fixture})
    done = run_asynclint(tmp_path, "--select", "AIO306", ".")
    assert done.returncode == 0, done.stdout


def test_the_message_says_what_pytest_reports(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            **PINS,
            "test_fixtures.py": "import pytest_asyncio\n\n\n@pytest_asyncio.fixture\n"
            "async def session():\n    yield 1\n    yield 2\n",
        },
    )
    (finding,) = run([tmp_path], cwd=tmp_path, select=["AIO306"]).diagnostics
    assert (finding.line, finding.column) == (7, 5)
    assert "Async generator fixture didn't stop. Yield only once." in finding.message
