"""AIO107: async-test-in-plain-testcase."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, ImportRequest, NodeFix
from asynclint.model.collection import ClassFacts, TestCaseKind
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule
from asynclint.walk import descendants

ASYNC_CASE = "IsolatedAsyncioTestCase"


class AsyncTestInPlainTestcase(Rule):
    """
    ## What it does
    Finds `async def test*` methods in `unittest.TestCase` subclasses (followed through the project's own base
    classes) that do not derive from an async test case such as `unittest.IsolatedAsyncioTestCase`.

    ## Why is this bad?
    unittest calls the method, gets a coroutine object back, and counts the test as passed: the body never
    runs. Python only prints "RuntimeWarning: coroutine ... was never awaited" (and, from Python 3.11, a
    DeprecationWarning about returning a value). `@pytest.mark.asyncio` does not help: pytest-asyncio does not
    run unittest methods.

    ## Example
    ```python
    class TestClient(unittest.TestCase):
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
    Unsafe: `IsolatedAsyncioTestCase` runs each test in its own event loop and adds `asyncSetUp`/
    `asyncTearDown`, which can change how `setUp` code that touches event loops behaves. It also leaves no
    current event loop behind after each test, so code run later outside a loop that calls
    `asyncio.get_event_loop()` (a sync test constructing a client, in this class or another) raises
    "RuntimeError: There is no current event loop" where it used to get one. An `async def setUp`/`tearDown`
    of the class, which unittest never awaited, becomes `asyncSetUp`/`asyncTearDown`, which it awaits (not
    one that calls `super()`). The fix is offered only when the class names `unittest.TestCase` itself.
    """

    code = "AIO107"
    name = "async-test-in-plain-testcase"
    finds = "`async def test*` in a plain `unittest.TestCase`: it passes without running"
    fix_summary = "unsafe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)

    valid = (
        Example(
            "import unittest\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_get(self):\n        pass\n"
        ),
        Example("import unittest\n\nclass TestClient(unittest.TestCase):\n    def test_get(self):\n        pass\n"),
        Example(
            "import unittest\nfrom somelib import AsyncMixin\n\nclass TestClient(unittest.TestCase, AsyncMixin):\n"
            "    async def test_get(self):\n        pass\n"
        ),
    )
    invalid = (
        Example(
            "import unittest\n\nclass TestClient(unittest.TestCase):\n    async def test_get(self):\n        pass\n",
            unsafe_fixes=True,
            expected_fix=(
                "import unittest\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
                "    async def test_get(self):\n        pass\n"
            ),
        ),
        # An `async def setUp` unittest never awaited becomes the hook `IsolatedAsyncioTestCase` awaits.
        Example(
            "import unittest\n\nclass TestClient(unittest.TestCase):\n    async def setUp(self):\n"
            "        self.ready = True\n\n    async def test_get(self):\n        assert self.ready\n",
            unsafe_fixes=True,
            expected_fix=(
                "import unittest\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
                "    async def asyncSetUp(self):\n        self.ready = True\n\n"
                "    async def test_get(self):\n        assert self.ready\n"
            ),
        ),
        Example(
            "from unittest import TestCase\n\nclass Base(TestCase):\n    pass\n\nclass TestClient(Base):\n"
            "    async def test_get(self):\n        pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or test.kind != "unittest" or test.testcase is not TestCaseKind.PLAIN:
            return
        if not test.function.is_async or test.decorators_unknown is not None:
            return  # a decorator may run the coroutine itself (motor's @asyncio_test does)
        owner = test.classes[0]
        via = "" if owner.direct_testcase_base else " (through its bases)"
        message = (
            f"`{test.function.name}` is `async def` in `{owner.info.name}`, a plain `{owner.testcase_base}`{via}: "
            "unittest calls it, gets a coroutine, and counts the test as passed without running its body; "
            f"derive the class from `unittest.{ASYNC_CASE}`"
        )
        self.report_function(node, message, fix=self._fix(owner))

    def _fix(self, owner: ClassFacts) -> NodeFix | None:
        if not owner.direct_testcase_base or owner.path != str(self.ctx.path):
            return None
        class_node = self.ctx.node(owner.info.key)
        if not isinstance(class_node, cst.ClassDef):
            return None
        imports = self.model.summary.imports
        for arg in class_node.bases:
            written = dotted_name(arg.value)
            if written is None or imports.resolve(written) != owner.testcase_base:
                continue
            if isinstance(arg.value, cst.Attribute):
                new_value: cst.BaseExpression = arg.value.with_changes(attr=cst.Name(ASYNC_CASE))
                requests: tuple[ImportRequest, ...] = ()
            else:
                bound = imports.bindings.get(ASYNC_CASE)
                if ASYNC_CASE in imports.bindings and bound != f"unittest.{ASYNC_CASE}":
                    return None
                new_value = cst.Name(ASYNC_CASE)
                requests = () if bound else (ImportRequest("unittest", ASYNC_CASE),)
            replacements: dict[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel] = {arg.value: new_value}
            replacements.update(_awaited_hooks(class_node))
            return NodeFix(
                title=f"Derive from `unittest.{ASYNC_CASE}`",
                applicability=Applicability.UNSAFE,
                replacements=replacements,
                imports=requests,
            )
        return None


#: `async def` hooks a plain `TestCase` calls without awaiting, and their names in `IsolatedAsyncioTestCase`.
_ASYNC_HOOKS = {"setUp": "asyncSetUp", "tearDown": "asyncTearDown"}


def _awaited_hooks(class_node: cst.ClassDef) -> dict[cst.CSTNode, cst.CSTNode]:
    """`async def setUp` renamed `asyncSetUp` (and `tearDown`), which `IsolatedAsyncioTestCase` awaits, when the
    class defines no method of the new name and the hook does not call `super()` (the base's hook is sync)."""
    body = class_node.body
    if not isinstance(body, cst.IndentedBlock):
        return {}
    methods = {statement.name.value for statement in body.body if isinstance(statement, cst.FunctionDef)}
    renamed: dict[cst.CSTNode, cst.CSTNode] = {}
    for statement in body.body:
        if not isinstance(statement, cst.FunctionDef) or statement.asynchronous is None:
            continue
        new_name = _ASYNC_HOOKS.get(statement.name.value)
        if new_name is None or new_name in methods or statement.decorators:
            continue
        if any(isinstance(node, cst.Name) and node.value == "super" for node in descendants(statement.body)):
            continue
        renamed[statement.name] = cst.Name(new_name)
    return renamed
