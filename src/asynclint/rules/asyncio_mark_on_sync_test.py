"""AIO102: asyncio-mark-on-sync-test."""

from __future__ import annotations

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import FixAvailability
from asynclint.edits import remove_mark_fix
from asynclint.model.collection import TestCaseKind
from asynclint.rule import Example, Rule


class AsyncioMarkOnSyncTest(Rule):
    """
    ## What it does
    Finds sync tests that carry the `asyncio` mark, directly or through a class or module mark.

    ## Why is this bad?
    The mark does nothing for a sync test: it runs as a plain test, and pytest-asyncio warns "is marked with
    '@pytest.mark.asyncio' but it is not an async function" for every such test (an error under
    `filterwarnings = error`; releases before 0.18 do not warn). A module `pytestmark` usually covers sync
    tests by accident. Tests with a decorator asynclint does not know are not reported: it may turn them into
    coroutines.

    ## Example
    ```python
    @pytest.mark.asyncio
    def test_parse():
        assert parse("1") == 1
    ```

    Use instead:
    ```python
    def test_parse():
        assert parse("1") == 1
    ```

    ## Fix safety
    Safe when the mark is a decorator of the test itself: removing it changes nothing but the warning. A mark
    inherited from a class or module is needed by the async tests there, so it is not removed; move it onto
    the async tests instead.
    """

    code = "AIO102"
    name = "asyncio-mark-on-sync-test"
    finds = "the `asyncio` mark on a sync test, directly or through a class or module mark"
    fix_summary = "safe (direct mark)"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("asyncio",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example("import pytest\n\ndef test_parse():\n    pass\n"),
        Example(
            "import pytest\nfrom helpers import run_async\n\n"
            "@pytest.mark.asyncio\n@run_async\ndef test_x():\n    pass\n"
        ),
    )
    invalid = (
        Example(
            "import pytest\n\n\n@pytest.mark.asyncio\ndef test_parse():\n    pass\n",
            expected_fix="def test_parse():\n    pass\n",
        ),
        Example(
            "import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_fetch():\n    pass\n\n"
            "def test_parse():\n    pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or test.function.is_async or test.testcase is not TestCaseKind.NONE:
            return
        if test.decorators_unknown is not None:
            return  # an unknown decorator may make it a coroutine function
        if self.model.asyncio_evidence is None:
            return  # pytest-asyncio is off (`-p no:asyncio`), or the `asyncio` mark is the project's own
        marks = test.asyncio_marks
        if not marks:
            return
        closest = marks[0]
        name = test.function.name
        if closest.level == "function":
            decorator = self.ctx.node(closest.mark.key)
            if not isinstance(decorator, cst.Decorator):
                return
            fix = remove_mark_fix(node, decorator)
            outcome = runtime.mark_on_sync_test(self.model.versions)
            self.report(decorator, f"sync test `{name}` has the asyncio mark: {outcome}", fix=fix)
            return
        message = (
            f"sync test `{name}` gets the asyncio mark from {closest.where}: "
            f"{runtime.mark_on_sync_test(self.model.versions)}; "
            "mark the async tests individually instead"
        )
        self.report_function(node, message)
