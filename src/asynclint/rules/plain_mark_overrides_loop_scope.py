"""AIO407: plain-mark-overrides-loop-scope."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.model.collection import Owner
from asynclint.model.loops import Era, asyncio_version
from asynclint.rule import Example, Rule

_HEAD = "import pytest\n\n"


class PlainMarkOverridesLoopScope(Rule):
    """
    ## What it does
    Finds a bare `@pytest.mark.asyncio` on a test inside a module or class whose `asyncio` mark sets a wider
    `loop_scope` (or `scope`).

    ## Why is this bad?
    The closest mark wins, arguments included: the bare mark puts the test back in a function loop, away from
    the module or class loop its neighbours share. Anything it uses from that shared loop fails with
    "attached to a different loop".

    ## Example
    ```python
    pytestmark = pytest.mark.asyncio(loop_scope="module")

    @pytest.mark.asyncio
    async def test_uses_shared_client():
        ...
    ```

    Use instead: remove the function's mark (the module mark already applies), or write
    `@pytest.mark.asyncio(loop_scope="function")` if the test must have a loop of its own.

    ## Fix safety
    No automatic fix: only the author knows which loop the test should have.
    """

    code = "AIO407"
    name = "plain-mark-overrides-loop-scope"
    finds = "a bare function-level `asyncio` mark that undoes a module or class `loop_scope`"
    fix_availability = FixAvailability.NONE
    triggers = ("scope",)

    valid = (
        Example(f"{_HEAD}pytestmark = pytest.mark.asyncio(loop_scope='module')\n\n\nasync def test_a():\n    pass\n"),
        Example(
            f"{_HEAD}pytestmark = pytest.mark.asyncio(loop_scope='module')\n\n\n"
            "@pytest.mark.asyncio(loop_scope='function')\nasync def test_a():\n    pass\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}pytestmark = pytest.mark.asyncio(loop_scope='module')\n\n\n"
            "@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
        ),
        Example(
            f"{_HEAD}\n@pytest.mark.asyncio(loop_scope='class')\nclass TestA:\n    @pytest.mark.asyncio\n"
            "    async def test_a(self):\n        pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or test.owner is not Owner.PYTEST_ASYNCIO or test.marks_unknown is not None:
            return
        marks = test.asyncio_marks
        if len(marks) < 2 or marks[0].level != "function" or marks[0].mark.has_arguments:
            return
        version = asyncio_version(self.model.versions)
        if version.era is Era.EVENT_LOOP:
            return
        keywords = ("scope",) if version.era is Era.CACHING_SCOPE else ("loop_scope", "scope")
        for outer in marks[1:]:
            for keyword in keywords:
                value = outer.mark.kwarg(keyword)
                if isinstance(value, str) and value != "function":
                    message = (
                        f"the bare asyncio mark on `{test.function.name}` replaces `{keyword}={value!r}` of the "
                        f"asyncio mark on {outer.where} (the closest mark wins): the test runs in a function loop, "
                        f'not the shared {value} loop; remove this mark, or write `loop_scope="function"` if '
                        "the test needs a loop of its own"
                    )
                    self.report(self.ctx.node(marks[0].mark.key), message)
                    return
