"""AIO501: nested-loop-run."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.direct_body import asyncio_role, direct_nodes, parents_of
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import awaited
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\n\n\nasync def helper():\n    return 1\n\n\n"
_HEAD_WITHOUT_ASYNCIO = _HEAD.removeprefix("import asyncio\n\n")


class NestedLoopRun(Rule):
    """
    ## What it does
    Finds `asyncio.run(...)`, `loop.run_until_complete(...)` and `asyncio.Runner().run(...)` called directly in
    an `async def` test or fixture that runs in an asyncio loop.

    ## Why is this bad?
    The test already runs inside a loop, and asyncio refuses to start or drive another from within it: the
    test fails with "asyncio.run() cannot be called from a running event loop" or "This event loop is
    already running". Code in nested sync functions, or handed to `asyncio.to_thread`/`run_in_executor`, runs
    elsewhere and is not reported.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        assert asyncio.run(fetch()) == 1
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        assert await fetch() == 1
    ```

    ## Fix safety
    Unsafe: `await coro` runs the coroutine in the test's loop and context, not in a fresh loop as
    `asyncio.run` would; code that relied on a fresh loop (or on its own context variables) behaves
    differently.
    """

    code = "AIO501"
    name = "nested-loop-run"
    finds = (
        "`asyncio.run(...)`, `loop.run_until_complete(...)`, `asyncio.Runner().run(...)` directly in an async test "
        'or fixture: "cannot be called from a running event loop"'
    )
    fix_summary = "unsafe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("run",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    assert await helper() == 1\n"),
        Example(f"{_HEAD}def test_a():\n    assert asyncio.run(helper()) == 1\n"),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n"
            "    await asyncio.to_thread(lambda: asyncio.run(helper()))\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    assert asyncio.run(helper()) == 1\n",
            # `asyncio` is used no more: its import goes too.
            expected_fix=(
                f"{_HEAD_WITHOUT_ASYNCIO}@pytest.mark.asyncio\nasync def test_a():\n    assert await helper() == 1\n"
            ),
            unsafe_fixes=True,
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_running_loop()\n"
            "    loop.run_until_complete(helper())\n",
            # The loop variable is read no more: it goes, and so does the `asyncio` import.
            expected_fix=f"{_HEAD_WITHOUT_ASYNCIO}@pytest.mark.asyncio\nasync def test_a():\n    await helper()\n",
            unsafe_fixes=True,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        role = asyncio_role(self.ctx, node)
        if role is None:
            return
        imports = self.model.summary.imports
        parents: dict[cst.CSTNode, cst.CSTNode] | None = None
        for inner in direct_nodes(node):
            if not isinstance(inner, cst.Call):
                continue
            written = dotted_name(inner.func)
            canonical = imports.resolve(written) if written else None
            if canonical == "asyncio.run":
                what = "`asyncio.run(...)`"
                error = '"asyncio.run() cannot be called from a running event loop"'
            elif isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "run_until_complete":
                what = "`run_until_complete(...)`"
                error = '"This event loop is already running"'
            elif (
                isinstance(inner.func, cst.Attribute)
                and inner.func.attr.value == "run"
                and isinstance(inner.func.value, cst.Call)
                and imports.resolve(dotted_name(inner.func.value.func) or "") == "asyncio.Runner"
            ):
                what = "`asyncio.Runner().run(...)`"
                error = '"Runner.run() cannot be called from a running event loop"'
            else:
                continue
            message = (
                f"{what} in an async {role}, which already runs in an event loop: it fails with {error}; "
                "`await` the coroutine instead"
            )
            if parents is None:
                parents = parents_of(node)
            self.report(inner, message, fix=self._fix(inner, parents.get(inner)))

    def _fix(self, call: cst.Call, parent: cst.CSTNode | None) -> NodeFix | None:
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        return NodeFix("Await the coroutine instead", Applicability.UNSAFE, {call: awaited(call.args[0].value, parent)})
