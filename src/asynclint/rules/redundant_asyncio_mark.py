"""AIO106: redundant-asyncio-mark."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.edits import remove_mark_fix
from asynclint.model.collection import Owner
from asynclint.rule import Example, Rule

AUTO = {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}


class RedundantAsyncioMark(Rule):
    """
    ## What it does
    Finds `@pytest.mark.asyncio` without arguments on async tests when pytest-asyncio runs in auto mode
    (off by default: enable it with `--extend-select AIO106`, or `extend-select = ["AIO106"]` in `[tool.asynclint]`).

    ## Why is this bad?
    In auto mode pytest-asyncio already runs every coroutine test; a bare mark adds nothing and suggests that
    unmarked tests would not run. It is not reported where it matters: when a class or module mark sets a
    `loop_scope`, a bare function mark overrides it (the closest mark wins).

    ## Example
    ```python
    # asyncio_mode = auto
    @pytest.mark.asyncio
    async def test_fetch():
        ...
    ```

    Use instead:
    ```python
    async def test_fetch():
        ...
    ```

    ## Fix safety
    Safe: in auto mode the test runs the same without the mark.
    """

    code = "AIO106"
    name = "redundant-asyncio-mark"
    finds = "a bare `asyncio` mark in auto mode"
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    default_enabled = False
    triggers = ("asyncio",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example(
            "import pytest\n\npytestmark = pytest.mark.asyncio(loop_scope='module')\n\n"
            "@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
            files=AUTO,
        ),
        Example(
            "import pytest\n\n@pytest.mark.asyncio(loop_scope='module')\nasync def test_fetch():\n    pass\n",
            files=AUTO,
        ),
    )
    invalid = (
        Example(
            "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
            files=AUTO,
            expected_fix="async def test_fetch():\n    pass\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or test.owner is not Owner.PYTEST_ASYNCIO:
            return
        if self.model.settings.asyncio_mode != "auto":
            return
        marks = test.asyncio_marks
        if not marks or marks[0].level != "function" or marks[0].mark.has_arguments:
            return
        if any(level_mark.mark.has_arguments for level_mark in marks[1:]):
            return  # the bare mark overrides an enclosing loop_scope: removing it changes the loop
        decorator = self.ctx.node(marks[0].mark.key)
        if not isinstance(decorator, cst.Decorator):
            return
        fix = remove_mark_fix(node, decorator)
        message = (
            f"the asyncio mark on `{test.function.name}` is redundant: pytest-asyncio runs in auto mode "
            f"({self.model.settings.mode_reason}) and runs every async test"
        )
        self.report(decorator, message, fix=fix)
