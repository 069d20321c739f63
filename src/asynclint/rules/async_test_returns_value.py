"""AIO504: async-test-returns-value."""

from __future__ import annotations

from collections import Counter

import libcst as cst

from asynclint.analysis.direct_body import direct_nodes
from asynclint.diagnostics import FixAvailability
from asynclint.model.collection import Owner
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule
from asynclint.walk import children

_HEAD = "import pytest\n\n\n"
#: pytest's outcomes: they raise, so `return pytest.skip(...)` returns nothing.
_RAISING = frozenset(
    f"{module}.{name}" for module in ("pytest", "_pytest.outcomes") for name in ("skip", "fail", "xfail", "exit")
)


class AsyncTestReturnsValue(Rule):
    """
    ## What it does
    Finds `return <value>` in an `async def` test that pytest-asyncio runs.

    ## Why is this bad?
    A test reports through assertions, not return values. pytest warns when a sync test returns something
    (`PytestReturnNotNoneWarning`, usually an `assert` written as `return`), but pytest-asyncio drops the
    value of an async test silently, so the check the author meant never happens.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_total():
        return await total() == 3
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_total():
        assert await total() == 3
    ```

    A test that other code uses as a helper (calls or awaits it in its module, or imports it from another
    linted module) returns its value on purpose, and is not reported; neither is `return pytest.skip(...)`
    (or `fail`, `xfail`, `exit`, or a function of the module annotated `NoReturn` or ending in `raise`),
    which raises.

    ## Fix safety
    No automatic fix: whether the value was meant as an assertion is for the author to say.
    """

    code = "AIO504"
    name = "async-test-returns-value"
    finds = "`return <value>` in an async test: pytest-asyncio drops it silently"
    fix_availability = FixAvailability.NONE
    triggers = ("return",)

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    return\n"),
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    def helper():\n        return 1\n"),
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    return None\n"),
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    return pytest.skip('later')\n"),
        Example(
            f"{_HEAD}from typing import NoReturn\n\n\ndef give_up(reason: str) -> NoReturn:\n"
            "    raise AssertionError(reason)\n\n\n"
            "@pytest.mark.asyncio\nasync def test_a():\n    return give_up('no server')\n"
        ),
        Example(
            f"{_HEAD}def give_up(reason):\n    raise AssertionError(reason)\n\n\n"
            "@pytest.mark.asyncio\nasync def test_a():\n    return give_up('no server')\n"
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_make():\n    return 5\n\n\n"
            "@pytest.mark.asyncio\nasync def test_use():\n    assert await test_make() == 5\n"
        ),
    )
    invalid = (Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    return 5\n"),)

    _references: Counter[str] | None = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or test.function.is_generator:
            return
        if test.owner is not Owner.PYTEST_ASYNCIO:
            return
        for inner in direct_nodes(node):
            if type(inner) is cst.Return and inner.value is not None:
                if isinstance(inner.value, cst.Name) and inner.value.value == "None":
                    continue
                if self._raises(inner.value) or self._used_elsewhere(test.function.name, test.function.class_qualname):
                    continue
                message = (
                    f"async test `{test.function.name}` returns a value, which pytest-asyncio drops without a "
                    "warning: if it was meant as a check, `assert` it"
                )
                self.report(inner, message)

    _never_return: frozenset[str] | None = None

    def _raises(self, value: cst.BaseExpression) -> bool:
        """`pytest.skip(...)`, `fail`, `xfail`, `exit`, or a function of the module that never returns (annotated
        `NoReturn`/`Never`, or a body that always ends by raising): nothing is returned."""
        written = dotted_name(value.func) if isinstance(value, cst.Call) else None
        if written is None:
            return False
        if self.model.summary.imports.resolve(written) in _RAISING:
            return True
        if self._never_return is None:
            self._never_return = _never_returning(self.ctx.module)
        return written in self._never_return

    def _used_elsewhere(self, name: str, class_qualname: str | None) -> bool:
        """Whether the test is referenced besides its definition: called, awaited or passed on in its module
        (by name or as an attribute), or, for a module-level test, imported by another linted module."""
        if self._references is None:
            self._references = _references(self.ctx.module)
        if self._references[name]:
            return True
        imported = self.model.imported_names
        return class_qualname is None and (name in imported or "*" in imported)


_NEVER = frozenset({"NoReturn", "Never", "typing.NoReturn", "typing.Never", "typing_extensions.NoReturn"})


def _never_returning(module: cst.Module) -> frozenset[str]:
    """Module-level functions that never return: annotated `NoReturn` or `Never`, or whose body's last statement
    is a `raise` with no `return` before it (`def fail(reason): raise AssertionError(reason)`)."""
    found: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        returns = statement.returns
        if returns is not None and dotted_name(returns.annotation) in _NEVER:
            found.add(statement.name.value)
            continue
        body = statement.body
        if not isinstance(body, cst.IndentedBlock) or not body.body:
            continue
        last = body.body[-1]
        raises = isinstance(last, cst.SimpleStatementLine) and any(isinstance(s, cst.Raise) for s in last.body)
        if raises and not any(type(node) is cst.Return for node in direct_nodes(statement)):
            found.add(statement.name.value)
    return frozenset(found)


def _references(module: cst.Module) -> Counter[str]:
    """How often each name is used in the module (loads, attributes, imports), not counting the names that
    `def` and `class` statements define."""
    found: Counter[str] = Counter()
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found[node.value] += 1
            continue
        inner = children(node)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            inner = [child for child in inner if child is not node.name]
        stack.extend(inner)
    return found
