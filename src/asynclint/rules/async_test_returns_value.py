"""AIO504: async-test-returns-value."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.direct_body import direct_nodes
from asynclint.diagnostics import FixAvailability
from asynclint.model.collection import Owner
from asynclint.rule import Example, Rule

_HEAD = "import pytest\n\n\n"


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
    )
    invalid = (Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    return 5\n"),)

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
                message = (
                    f"async test `{test.function.name}` returns a value, which pytest-asyncio drops without a "
                    "warning: if it was meant as a check, `assert` it"
                )
                self.report(inner, message)
