"""AIO503: get-event-loop-in-test."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.direct_body import asyncio_role, direct_nodes, sync_role
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import spelling_of
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\n\n\n"


class GetEventLoopInTest(Rule):
    """
    ## What it does
    Finds `asyncio.get_event_loop()` called directly in a test or fixture body (not in nested functions).

    ## Why is this bad?
    In `async def` code it means the running loop: `asyncio.get_running_loop()` says so and cannot create a
    stray loop. In a sync test or fixture there is no running loop: from pytest-asyncio 1.4 no loop is left
    set between tests, so the call fails with "There is no current event loop in thread 'MainThread'" (and on
    earlier versions it fails whenever an earlier test called `asyncio.run`). Python deprecates the call
    outside a running loop.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_schedule():
        loop = asyncio.get_event_loop()
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_schedule():
        loop = asyncio.get_running_loop()
    ```

    ## Fix safety
    Safe in an `async def` test or fixture run in an asyncio loop: there both calls return the running loop.
    No fix in sync code: make the test async (with an async fixture), or create and close a loop explicitly
    with `asyncio.new_event_loop()`.
    """

    code = "AIO503"
    name = "get-event-loop-in-test"
    finds = (
        "`asyncio.get_event_loop()` in a test or fixture: use `get_running_loop()`; in sync code it fails from "
        "pytest-asyncio 1.4"
    )
    fix_summary = "safe in `async def`"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("get_event_loop",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    asyncio.get_running_loop()\n"),
        Example(f"{_HEAD}def test_a():\n    def later():\n        return asyncio.get_event_loop()\n"),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_event_loop()\n",
            expected_fix=f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_running_loop()\n",
        ),
        Example(f"{_HEAD}def test_a():\n    asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        in_loop = asyncio_role(self.ctx, node)
        outside = None if in_loop else sync_role(self.ctx, node)
        if in_loop is None and outside is None:
            return
        imports = self.model.summary.imports
        for inner in direct_nodes(node):
            if not isinstance(inner, cst.Call) or inner.args:
                continue
            written = dotted_name(inner.func)
            if written is None or imports.resolve(written) != "asyncio.get_event_loop":
                continue
            if in_loop is not None:
                message = (
                    f"`asyncio.get_event_loop()` in an async {in_loop}: it returns the running loop, which "
                    "`asyncio.get_running_loop()` says plainly (and it never creates a stray loop)"
                )
                self.report(inner, message, fix=self._fix(inner))
            else:
                message = (
                    f"`asyncio.get_event_loop()` in a sync {outside}, where no loop runs: "
                    f"{self._sync_outcome()}; make it async and use `asyncio.get_running_loop()`, or create "
                    "and close a loop with `asyncio.new_event_loop()`"
                )
                self.report(inner, message)

    def _sync_outcome(self) -> str:
        versions = self.model.versions
        error = "\"RuntimeError: There is no current event loop in thread 'MainThread'\""
        newer = versions.at_least("pytest-asyncio", "1.4")
        if newer is True:
            return f"pytest-asyncio 1.4 and later leave no loop set between tests, so it fails with {error}"
        if newer is False:
            return f"it fails with {error} whenever an earlier test called `asyncio.run` (and always from 1.4)"
        return f"from pytest-asyncio 1.4 it fails with {error} (earlier, after any test that called `asyncio.run`)"

    def _fix(self, call: cst.Call) -> NodeFix | None:
        spelled = spelling_of(self.model.summary.imports, "asyncio", "get_running_loop")
        if spelled is None:
            return None
        spelling, request = spelled
        new = call.with_changes(func=cst.parse_expression(spelling))
        imports = (request,) if request else ()
        return NodeFix("Use `asyncio.get_running_loop()`", Applicability.SAFE, {call: new}, imports)
