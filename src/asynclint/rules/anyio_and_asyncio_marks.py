"""AIO104: anyio-and-asyncio-marks."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.edits import remove_mark_fix
from asynclint.model.collection import TestCaseKind
from asynclint.rule import Example, Rule


class AnyioAndAsyncioMarks(Rule):
    """
    ## What it does
    Finds tests that anyio runs (an `anyio` mark, a request for `anyio_backend`, or `anyio_mode = auto`) and
    that also carry the `asyncio` mark.

    ## Why is this bad?
    pytest-asyncio takes such a test over: every parametrization of `anyio_backend`, `[trio]` included, runs
    on asyncio, so the trio run silently tests nothing trio-specific. This happens in strict and in auto mode.

    ## Example
    ```python
    @pytest.mark.anyio
    @pytest.mark.asyncio
    async def test_fetch():
        ...
    ```

    Use instead:
    ```python
    @pytest.mark.anyio
    async def test_fetch():
        ...
    ```

    ## Fix safety
    Removing a function's own asyncio mark is safe when anyio is a dependency of the project (anyio then runs
    the test on every backend); otherwise it is unsafe. A class or module mark is not removed.
    """

    code = "AIO104"
    name = "anyio-and-asyncio-marks"
    finds = "a test anyio runs that also has the `asyncio` mark (pytest-asyncio runs every backend on asyncio)"
    fix_summary = "safe when anyio is a dependency"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("anyio",)

    valid = (
        Example("import pytest\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n"),
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
    )
    invalid = (
        Example(
            "import pytest\n\n\n@pytest.mark.anyio\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
            files={"requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\nanyio==4.16.0\n"},
            expected_fix="import pytest\n\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_fetch(anyio_backend):\n    pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or test.anyio_signal is None or not test.asyncio_marks:
            return
        if test.testcase is not TestCaseKind.NONE or test.decorators_unknown is not None:
            return  # unittest runs its own tests; an unknown decorator may change what runs
        if self.model.asyncio_evidence is None:
            return  # pytest-asyncio is off (`-p no:asyncio`), or the `asyncio` mark is the project's own
        closest = test.asyncio_marks[0]
        message = (
            f"test `{test.function.name}` is run by anyio ({test.anyio_signal}) but also has the asyncio mark "
            f"(on {closest.where}): pytest-asyncio takes it over and runs every anyio backend, trio included, "
            "on asyncio"
        )
        if closest.level == "function":
            decorator = self.ctx.node(closest.mark.key)
            if isinstance(decorator, cst.Decorator):
                fix = remove_mark_fix(node, decorator, safe=self.model.versions.has("anyio"))
                self.report(decorator, message, fix=fix)
                return
        self.report_function(node, message)
