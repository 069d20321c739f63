"""AIO101: async-test-not-run."""

from __future__ import annotations

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import add_decorator, pytest_mark_prefix
from asynclint.model.collection import Owner
from asynclint.rule import Example, Rule


class AsyncTestNotRun(Rule):
    """
    ## What it does
    Finds `async def` tests that pytest-asyncio will not run because, in strict mode, they carry no `asyncio`
    mark at any level (function, class, class or module `pytestmark`). Legacy mode (the default of
    pytest-asyncio 0.17 and 0.18) and releases before 0.17 also run only marked tests.

    ## Why is this bad?
    In strict mode (pytest-asyncio's default from 0.19) an unmarked coroutine test is left to pytest, which
    cannot run it: pytest 8.3 and earlier skip it with a warning, pytest 8.4 and later fail it with "async def
    functions are not natively supported". Either way its body never runs. Tests run by anyio, pytest-trio or
    unittest, tests under an unknown decorator, and projects in auto mode are not reported.

    ## Example
    ```python
    async def test_fetch():
        assert await fetch() == 1
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        assert await fetch() == 1
    ```

    ## Fix safety
    Safe: adds `@pytest.mark.asyncio` (spelled as the module already imports pytest, or with a new
    `import pytest`). The only effect is that pytest-asyncio runs the test.
    """

    code = "AIO101"
    name = "async-test-not-run"
    finds = (
        "an `async def` test pytest-asyncio will not run: strict (or legacy) mode and no `asyncio` mark at any level"
    )
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example("import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_fetch():\n    pass\n"),
        Example("async def test_fetch():\n    pass\n", files={"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}),
        Example("import pytest\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n"),
        Example(
            "import unittest\n\nclass TestCase(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_fetch(self):\n        pass\n"
        ),
        Example("from helpers import retry\n\n@retry\nasync def test_fetch():\n    pass\n"),
    )
    invalid = (
        Example(
            "import pytest\n\n\nasync def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "async def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest as pt\n\nclass TestClient:\n    async def test_get(self):\n        pass\n",
            expected_fix=(
                "import pytest as pt\n\nclass TestClient:\n    @pt.mark.asyncio\n"
                "    async def test_get(self):\n        pass\n"
            ),
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or test.function.is_generator:
            return  # async generators are AIO103's: a mark would not make them run
        if test.owner is not Owner.PYTEST_ASYNCIO or test.asyncio_marks:
            return
        settings = self.model.settings
        if not settings.marks_needed:
            return  # auto mode runs every coroutine test; an unknown mode says nothing
        if settings.asyncio_mode == "strict":
            mode = f"pytest-asyncio is in strict mode ({settings.mode_reason})"
        else:
            mode = f"pytest-asyncio runs only marked tests in legacy mode ({settings.mode_reason})"
        message = (
            f"async test `{test.function.name}` has no asyncio mark and {mode}: "
            f"{runtime.unmarked_async_test(self.model.versions)}"
        )
        self.report_function(node, message, fix=self._fix(node))

    def _fix(self, node: cst.FunctionDef) -> NodeFix | None:
        spelling = pytest_mark_prefix(self.model.summary.imports)
        if spelling is None:
            return None
        prefix, request = spelling
        new = add_decorator(node, f"{prefix}.asyncio", self.ctx.module.config_for_parsing)
        return NodeFix(
            title="Add `@pytest.mark.asyncio`",
            applicability=Applicability.SAFE,
            replacements={node: new},
            imports=(request,) if request else (),
        )
