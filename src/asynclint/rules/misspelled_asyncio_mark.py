"""AIO105: misspelled-asyncio-mark."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import rename_mark
from asynclint.model.collection import edit_distance as edit_distance  # other rules measure names with it
from asynclint.model.collection import misspelled_asyncio
from asynclint.model.facts import Mark
from asynclint.rule import Example, Rule


class MisspelledAsyncioMark(Rule):
    """
    ## What it does
    Finds marks whose name is within two edits of `asyncio` (`asyncios`, `asycnio`, `async_io`...) and that
    are not registered marks of the project. Not where `-p no:asyncio` turns pytest-asyncio off: an `asyncio`
    mark would mean nothing there either.

    ## Why is this bad?
    pytest treats a misspelled mark as an unknown mark (a warning, or an error with `--strict-markers`) and
    pytest-asyncio never sees an `asyncio` mark: in strict mode the test does not run; in auto mode it runs, but
    without what the mark's arguments (`loop_scope=`) say. AIO101 leaves such a test to this rule: one finding,
    whose fix gives the test the mark it lacks.

    ## Example
    ```python
    @pytest.mark.asyncios
    async def test_fetch():
        ...
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        ...
    ```

    ## Fix safety
    Safe: the rename is what the mark was meant to be, and a mark name that the project registers itself is
    never reported.
    """

    code = "AIO105"
    name = "misspelled-asyncio-mark"
    finds = "`pytest.mark.asyncios`, `asycnio`... (within two edits of `asyncio`, not a registered mark)"
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("mark",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example(
            "import pytest\n\n@pytest.mark.asyncios\nasync def test_fetch():\n    pass\n",
            files={"pytest.ini": "[pytest]\nmarkers =\n    asyncios: our own mark\n"},
        ),
    )
    invalid = (
        Example(
            "import pytest\n\n@pytest.mark.asyncios\nasync def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest\n\npytestmark = [pytest.mark.asycnio(loop_scope='module')]\n",
            expected_fix="import pytest\n\npytestmark = [pytest.mark.asyncio(loop_scope='module')]\n",
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        if self.model.settings.asyncio_plugin_disabled:
            return
        summary = self.model.summary
        marks: list[Mark] = [*summary.module_marks.marks]
        for info in summary.classes:
            marks.extend(info.marks.marks)
        for function in summary.functions:
            marks.extend(function.marks.marks)
        registered = self.model.registered_markers
        for mark in marks:
            if misspelled_asyncio(mark.name, registered):
                self._report(mark)

    def _report(self, mark: Mark) -> None:
        target = self.ctx.node(mark.key)
        expression = target.decorator if isinstance(target, cst.Decorator) else target
        if not isinstance(expression, cst.BaseExpression):
            return
        settings = self.model.settings
        if settings.marks_needed:
            effect = "pytest-asyncio does not run the test it is meant for"
        elif settings.asyncio_mode == "auto":
            effect = "pytest-asyncio runs the test only because auto mode runs every coroutine test" + (
                ", without what the mark's arguments say" if mark.has_arguments else ""
            )
        else:
            effect = "pytest-asyncio sees no `asyncio` mark on the test it is meant for"
        looks = f"`pytest.mark.{mark.name}` looks like a misspelled `asyncio` mark"
        message = f"{looks}: pytest sees an unknown mark and {effect}"
        renamed = rename_mark(expression, mark.name, "asyncio")
        fix = None
        if renamed is not None:
            fix = NodeFix(
                title="Rename the mark to `asyncio`",
                applicability=Applicability.SAFE,
                replacements={expression: renamed},
            )
        self.report(target, message, fix=fix)
