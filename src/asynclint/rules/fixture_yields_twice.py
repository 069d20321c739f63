"""AIO306: fixture-yields-twice."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from asynclint.rule import Example, Rule
from asynclint.walk import descendants

_HEAD = "import pytest\n\n\n@pytest.fixture\n"
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _own_yields(node: cst.CSTNode) -> int:
    """`yield`s in a simple statement, not counting nested functions and lambdas."""
    return sum(1 for child in descendants(node, prune=lambda n: isinstance(n, _SCOPES)) if isinstance(child, cst.Yield))


def _exits(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Return, cst.Raise)) for small in node.body
    )


def _block(statements: Sequence[cst.BaseStatement], start: int) -> tuple[int | None, int]:
    """Most yields on a path that runs through `statements` (None: no path does) and on one that leaves early."""
    fall: int | None = start
    done = -1
    for statement in statements:
        if fall is None:
            break
        fall, left = _statement(statement, fall)
        done = max(done, left)
    return fall, done


def _suite(suite: cst.BaseSuite, start: int) -> tuple[int | None, int]:
    if isinstance(suite, cst.IndentedBlock):
        return _block(suite.body, start)
    return (
        _block([cst.SimpleStatementLine(body=suite.body)], start)
        if isinstance(suite, cst.SimpleStatementSuite)
        else (start, -1)
    )


def _merge(*outcomes: tuple[int | None, int]) -> tuple[int | None, int]:
    falls = [fall for fall, _ in outcomes if fall is not None]
    return (max(falls) if falls else None), max(done for _, done in outcomes)


def _statement(statement: cst.BaseStatement, start: int) -> tuple[int | None, int]:
    if isinstance(statement, cst.SimpleStatementLine):
        count = start + _own_yields(statement)
        return (None, count) if _exits(statement) else (count, -1)
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return start, -1
    if isinstance(statement, cst.If):
        branches = [_suite(statement.body, start)]
        orelse = statement.orelse
        if orelse is None:
            branches.append((start, -1))
        elif isinstance(orelse, cst.If):
            branches.append(_statement(orelse, start))
        else:
            branches.append(_suite(orelse.body, start))
        return _merge(*branches)
    if isinstance(statement, (cst.For, cst.While)):
        once = _suite(statement.body, start)  # counted once: how often a loop runs is not known
        skipped = _suite(statement.orelse.body, start) if statement.orelse is not None else (start, -1)
        return _merge(once, skipped, (start, -1))
    if isinstance(statement, cst.With):
        return _suite(statement.body, start)
    if isinstance(statement, (cst.Try, cst.TryStar)):
        outcomes = [_suite(statement.body, start)]
        outcomes.extend(_suite(handler.body, start) for handler in statement.handlers)
        if statement.orelse is not None:
            fall, _ = outcomes[0]
            if fall is not None:
                outcomes[0] = _merge(outcomes[0], _suite(statement.orelse.body, fall))
        fall, done = _merge(*outcomes)
        if statement.finalbody is not None:
            extra = _own_yields(statement.finalbody)
            fall = fall + extra if fall is not None else None
            done = done + extra if done >= 0 else done
        return fall, done
    if isinstance(statement, cst.Match):
        return _merge(*(_suite(case.body, start) for case in statement.cases), (start, -1))
    return start + _own_yields(statement), -1


class FixtureYieldsTwice(Rule):
    """
    ## What it does
    Finds fixtures that can reach two `yield`s in one run through their body (not in exclusive branches).

    ## Why is this bad?
    pytest runs a yield fixture up to its first `yield` for setup and resumes it once for teardown, expecting
    it to finish. A second `yield` stops the teardown half-way: the test passes, then pytest reports an error
    in teardown ("fixture function has more than one 'yield'", or "Async generator fixture didn't stop. Yield
    only once." for async fixtures), and the code after the second `yield` never runs. A `yield` in a loop is
    counted once, since how often a loop runs is not known.

    ## Example
    ```python
    @pytest.fixture
    def connection():
        conn = connect()
        yield conn
        conn.reset()
        yield conn
        conn.close()
    ```

    Use instead:
    ```python
    @pytest.fixture
    def connection():
        conn = connect()
        yield conn
        conn.reset()
        conn.close()
    ```

    ## Fix safety
    No fix: which half of the fixture is the teardown is for its author to say.
    """

    code = "AIO306"
    name = "fixture-yields-twice"
    finds = (
        "a fixture that can reach two `yield`s in one run (a teardown error after the test, and the rest of the "
        "teardown never runs)"
    )
    triggers = ("yield",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}def data():\n    yield 1\n    print('teardown')\n"),
        Example(f"{_HEAD}def data(flag):\n    if flag:\n        yield 1\n    else:\n        yield 2\n"),
        Example(f"{_HEAD}def data(flag):\n    if flag:\n        yield 1\n        return\n    yield 2\n"),
        Example("def helper():\n    yield 1\n    yield 2\n"),
    )
    invalid = (
        Example(f"{_HEAD}def data():\n    yield 1\n    yield 2\n"),
        Example(f"{_HEAD}def data(flag):\n    try:\n        yield 1\n    finally:\n        yield 2\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or function.fixture is None or not function.is_generator:
            return
        fall, done = _suite(node.body, 0)
        most = max(fall if fall is not None else -1, done)
        if most < 2:
            return
        kind = "an async generator" if function.is_async else "a generator"
        message = (
            f"fixture `{function.name}` is {kind} that can reach {most} `yield`s in one run: the test passes, "
            "then pytest reports a teardown error and the code after the second `yield` never runs"
        )
        self.report_function(node, message)
