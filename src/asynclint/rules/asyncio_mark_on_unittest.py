"""AIO108: asyncio-mark-on-unittest."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.edits import remove_mark_fix
from asynclint.model.collection import ClassFacts, TestCaseKind
from asynclint.rule import Example, Rule


class AsyncioMarkOnUnittest(Rule):
    """
    ## What it does
    Finds the `asyncio` mark on methods (or classes) of async unittest test cases such as
    `unittest.IsolatedAsyncioTestCase`.

    ## Why is this bad?
    unittest runs these tests itself; pytest-asyncio never sees them, so the mark has no effect. It suggests
    that pytest-asyncio's loop, fixtures or loop scopes apply, and they do not.

    ## Example
    ```python
    class TestClient(unittest.IsolatedAsyncioTestCase):
        @pytest.mark.asyncio
        async def test_get(self):
            ...
    ```

    Use instead:
    ```python
    class TestClient(unittest.IsolatedAsyncioTestCase):
        async def test_get(self):
            ...
    ```

    ## Fix safety
    Safe: removing a mark that has no effect changes nothing.
    """

    code = "AIO108"
    name = "asyncio-mark-on-unittest"
    finds = "the `asyncio` mark on an `IsolatedAsyncioTestCase` method or class: no effect"
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("asyncio",)

    valid = (
        Example(
            "import unittest\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_get(self):\n        pass\n"
        ),
        Example(
            "import pytest\n\nclass TestClient:\n"
            "    @pytest.mark.asyncio\n    async def test_get(self):\n        pass\n"
        ),
    )
    invalid = (
        Example(
            "import unittest\n\nimport pytest\n\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
            "    @pytest.mark.asyncio\n    async def test_get(self):\n        pass\n",
            expected_fix=(
                "import unittest\n\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
                "    async def test_get(self):\n        pass\n"
            ),
        ),
    )

    def _async_case(self, qualname: str | None) -> ClassFacts | None:
        facts = self.model.classes.get(qualname) if qualname else None
        return facts if facts is not None and facts.testcase is TestCaseKind.ASYNC else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None:
            return
        owner = self._async_case(function.class_qualname)
        if owner is None:
            return
        for mark in function.marks.named("asyncio"):
            decorator = self.ctx.node(mark.key)
            if not isinstance(decorator, cst.Decorator):
                continue
            fix = remove_mark_fix(node, decorator)
            self.report(decorator, self._message(f"`{function.name}`", owner), fix=fix)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        info = self.ctx.class_info(node)
        owner = self._async_case(info.qualname if info else None)
        if info is None or owner is None:
            return
        for mark in info.marks.named("asyncio"):
            target = self.ctx.node(mark.key)
            fix = remove_mark_fix(node, target) if isinstance(target, cst.Decorator) else None
            self.report(target, self._message(f"class `{info.name}`", owner), fix=fix)

    def _message(self, subject: str, owner: ClassFacts) -> str:
        return (
            f"the asyncio mark on {subject} has no effect: `{owner.info.name}` derives from "
            f"`{owner.testcase_base}`, so unittest runs its tests and pytest-asyncio never sees them"
        )
