"""AIO306: fixture-yields-twice."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from asynclint.rule import Example, Rule
from asynclint.walk import code_children, descendants

_HEAD = "import pytest\n\n\n@pytest.fixture\n"
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
#: (the most `yield`s on a path that runs on past a statement, None when none does; the most on a path that
#: leaves the function inside it, -1 when none does).
_Outcome = tuple[int | None, int]


def _merge(*outcomes: _Outcome) -> _Outcome:
    falls = [fall for fall, _ in outcomes if fall is not None]
    return (max(falls) if falls else None), max(done for _, done in outcomes)


class _Paths:
    """The most `yield`s one run of a fixture's body can reach, and each `yield` a run can reach after another.

    Counts follow the paths through the body: exclusive branches are alternatives, a `return` or `raise`
    ends a path, a loop body counts once (how often a loop runs is not known), an exception handler starts
    from the count before its `try` (what raises after a `yield` is not known either), and a `finally` block
    runs after every path through its `try`.
    """

    def __init__(self) -> None:
        #: `yield`s some run reaches after an earlier one, in the order met (source order).
        self.repeated: dict[cst.Yield, int] = {}

    def suite(self, suite: cst.BaseSuite, start: int) -> _Outcome:
        if isinstance(suite, cst.IndentedBlock):
            return self.block(suite.body, start)
        if isinstance(suite, cst.SimpleStatementSuite):
            return self.simple(suite.body, start)
        return start, -1

    def block(self, statements: Sequence[cst.BaseStatement], start: int) -> _Outcome:
        fall: int | None = start
        done = -1
        for statement in statements:
            if fall is None:
                break
            fall, left = self.statement(statement, fall)
            done = max(done, left)
        return fall, done

    def simple(self, body: Sequence[cst.BaseSmallStatement], start: int) -> _Outcome:
        count = start
        for small in body:
            count = self.expressions(small, count)
            if isinstance(small, (cst.Return, cst.Raise)):
                return None, count
        return count, -1

    def expressions(self, node: cst.CSTNode, start: int) -> int:
        """Count the `yield`s of code that runs straight through (no nested scopes), noting repeated ones."""
        count = start
        for inner in descendants(node, prune=lambda n: isinstance(n, _SCOPES), expand=code_children):
            if isinstance(inner, cst.Yield):
                if count >= 1:
                    self.repeated.setdefault(inner, count + 1)
                count += 1
        return count

    def statement(self, statement: cst.BaseStatement, start: int) -> _Outcome:
        if isinstance(statement, cst.SimpleStatementLine):
            return self.simple(statement.body, start)
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            return start, -1
        if isinstance(statement, cst.If):
            return self._if(statement, start)
        if isinstance(statement, (cst.For, cst.While)):
            head = self.expressions(statement.iter if isinstance(statement, cst.For) else statement.test, start)
            once = self.suite(statement.body, head)
            skipped = self.suite(statement.orelse.body, head) if statement.orelse is not None else (head, -1)
            return _merge(once, skipped, (head, -1))
        if isinstance(statement, cst.With):
            head = start
            for item in statement.items:
                head = self.expressions(item.item, head)
            return self.suite(statement.body, head)
        if isinstance(statement, (cst.Try, cst.TryStar)):
            return self._try(statement, start)
        if isinstance(statement, cst.Match):
            head = self.expressions(statement.subject, start)
            return _merge(*(self.suite(case.body, head) for case in statement.cases), (head, -1))
        return self.expressions(statement, start), -1

    def _if(self, statement: cst.If, start: int) -> _Outcome:
        # An `elif` chain is walked in a loop, not by recursion: a chain thousands long is valid Python.
        branches: list[_Outcome] = []
        test = start
        current: cst.If | None = statement
        while current is not None:
            test = self.expressions(current.test, test)
            branches.append(self.suite(current.body, test))
            orelse = current.orelse
            current = None
            if orelse is None:
                branches.append((test, -1))
            elif isinstance(orelse, cst.If):
                current = orelse
            else:
                branches.append(self.suite(orelse.body, test))
        return _merge(*branches)

    def _try(self, statement: cst.Try | cst.TryStar, start: int) -> _Outcome:
        body = self.suite(statement.body, start)
        outcomes = [body]
        outcomes.extend(self.suite(handler.body, start) for handler in statement.handlers)
        if statement.orelse is not None and body[0] is not None:
            outcomes[0] = _merge(body, self.suite(statement.orelse.body, body[0]))
        fall, done = _merge(*outcomes)
        if statement.finalbody is None:
            return fall, done
        # The `finally` block runs after every path: counted once, from the most any path brings to it.
        entering = max(start, fall if fall is not None else -1, done)
        final_fall, final_done = self.suite(statement.finalbody.body, entering)
        added = final_fall - entering if final_fall is not None else None
        new_fall = fall + added if fall is not None and added is not None else None
        new_done = max(done + added if done >= 0 and added is not None else -1, final_done)
        return new_fall, new_done


class FixtureYieldsTwice(Rule):
    """
    ## What it does
    Finds fixtures that can reach two `yield`s in one run through their body (not in exclusive branches),
    and reports the second one: the `yield` to remove or move into another branch.

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
        "a fixture that can reach two `yield`s in one run, reported at the second (a teardown error after the "
        "test, and the rest of the teardown never runs)"
    )
    triggers = ("yield",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}def data():\n    yield 1\n    print('teardown')\n"),
        Example(f"{_HEAD}def data(flag):\n    if flag:\n        yield 1\n    else:\n        yield 2\n"),
        Example(f"{_HEAD}def data(flag):\n    if flag:\n        yield 1\n        return\n    yield 2\n"),
        Example(
            f"{_HEAD}def data(kind):\n    if kind == 1:\n        yield 1\n    elif kind == 2:\n        yield 2\n"
            "    else:\n        yield 3\n"
        ),
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
        paths = _Paths()
        fall, done = paths.suite(node.body, 0)
        if not paths.repeated:
            return
        second = next(iter(paths.repeated))
        most = max(fall if fall is not None else -1, done)
        kind = "an async generator" if function.is_async else "a generator"
        error = (
            '"Async generator fixture didn\'t stop. Yield only once."'
            if function.is_async
            else "\"fixture function has more than one 'yield'\""
        )
        message = (
            f"fixture `{function.name}` is {kind} that can reach this `yield` after an earlier one in the same run "
            f"({most} in all): the test passes, then its teardown stops here with {error} and the code after this "
            "`yield` never runs"
        )
        self.report(second, message)
