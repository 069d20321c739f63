"""AIO305: teardown-after-return."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.rule import Example, Rule
from asynclint.walk import descendants

_HEAD = "import pytest\n\n\n@pytest.fixture\n"
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _blocks(body: cst.BaseSuite) -> Iterator[Sequence[cst.BaseStatement]]:
    """Every statement block of a function's own body (nested functions and classes excluded)."""
    for node in descendants(body, prune=lambda n: isinstance(n, _SCOPES)):
        if isinstance(node, cst.IndentedBlock):
            yield node.body


def _value_return(statement: cst.BaseStatement) -> cst.Return | None:
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Return) and small.value is not None:
                return small
    return None


class TeardownAfterReturn(Rule):
    """
    ## What it does
    Finds fixtures with statements after a `return <value>` in the same block: teardown code that was meant to
    run after the test.

    ## Why is this bad?
    Nothing after `return` runs, so the teardown never happens, and nothing at runtime says so: connections
    stay open, files stay on disk, state leaks into the next test. A fixture that tears down must `yield` its
    value; the code after the `yield` runs when the test is done.

    ## Example
    ```python
    @pytest.fixture
    def database():
        db = Database()
        return db
        db.drop()
    ```

    Use instead:
    ```python
    @pytest.fixture
    def database():
        db = Database()
        yield db
        db.drop()
    ```

    ## Fix safety
    Safe when the fixture has no `yield` and this is its only `return` with a value, at the top level of its
    body: `return X` becomes `yield X`, the test gets the same value, and the teardown now runs after it.
    Otherwise no fix is offered.
    """

    code = "AIO305"
    name = "teardown-after-return"
    finds = "statements after `return <value>` in a fixture: the teardown they hold never runs"
    fix_summary = "safe (single top-level `return`)"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("return",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}def database():\n    db = object()\n    yield db\n    print('drop')\n"),
        Example(f"{_HEAD}def database():\n    return object()\n"),
        Example("def helper():\n    return 1\n    print('unreachable, but not a fixture')\n"),
    )
    invalid = (
        Example(
            f"{_HEAD}def database():\n    db = object()\n    return db\n    print('drop')\n",
            expected_fix=f"{_HEAD}def database():\n    db = object()\n    yield db\n    print('drop')\n",
        ),
        Example(f"{_HEAD}def database(flag):\n    if flag:\n        return 1\n        print('never')\n    return 2\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or function.fixture is None:
            return
        returns = [ret for block in _blocks(node.body) for statement in block if (ret := _value_return(statement))]
        for block in _blocks(node.body):
            for index, statement in enumerate(block[:-1]):
                found = _value_return(statement)
                if found is None:
                    continue
                after = len(block) - index - 1
                what = "the statement" if after == 1 else f"the {after} statements"
                verb = "runs" if after == 1 else "run"
                message = (
                    f"{what} after `return` in fixture `{function.name}` never {verb}, so its teardown never "
                    "happens: `yield` the value instead"
                )
                top_level = isinstance(node.body, cst.IndentedBlock) and block is node.body.body
                fix = None
                if top_level and len(returns) == 1 and not function.is_generator:
                    assert found.value is not None
                    fix = NodeFix(
                        title="Yield the value instead of returning it",
                        applicability=Applicability.SAFE,
                        replacements={found: cst.Expr(value=cst.Yield(value=found.value))},
                    )
                self.report(found, message, fix=fix)
