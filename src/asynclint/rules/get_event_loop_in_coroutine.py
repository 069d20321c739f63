"""AIO505: get-event-loop-in-coroutine."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.direct_body import asyncio_role
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import spelling_of
from asynclint.rule import Example, Rule
from asynclint.rules.get_event_loop_in_test import get_event_loop_calls

_HEAD = "import asyncio\n\nimport pytest\n\n\n"


class GetEventLoopInCoroutine(Rule):
    """
    ## What it does
    Finds `asyncio.get_event_loop()` called directly in an `async def` test or fixture that runs in an asyncio
    loop (off by default: it is a matter of style).

    ## Why is this bad?
    Nothing breaks: inside a running coroutine `get_event_loop()` returns the running loop, on every Python
    and pytest-asyncio release. But the same call in sync code fails whenever no loop is set (AIO503), and
    Python documents `asyncio.get_running_loop()` as the call for coroutines: it says which loop it means, and
    raises at once instead of making a stray loop if the code ever runs outside one.

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
    Safe: in an `async def` test or fixture run in an asyncio loop both calls return the running loop. A call
    inside a `try` that handles RuntimeError is left alone (the code is written to run outside a loop too).
    """

    code = "AIO505"
    name = "get-event-loop-in-coroutine"
    finds = (
        "`asyncio.get_event_loop()` in an async test or fixture: it returns the running loop, which "
        "`asyncio.get_running_loop()` says plainly"
    )
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    default_enabled = False
    triggers = ("get_event_loop",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    asyncio.get_running_loop()\n"),
        Example(f"{_HEAD}def test_a():\n    asyncio.get_event_loop()\n"),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    try:\n        loop = asyncio.get_event_loop()\n"
            "    except RuntimeError:\n        loop = None\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_event_loop()\n",
            expected_fix=f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_running_loop()\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        role = asyncio_role(self.ctx, node)
        if role is None:
            return
        for call in get_event_loop_calls(node, self.model.summary.imports):
            message = (
                f"`asyncio.get_event_loop()` in an async {role}: it returns the running loop, which "
                "`asyncio.get_running_loop()` says plainly (and that call never creates a stray loop)"
            )
            self.report(call, message, fix=self._fix(call))

    def _fix(self, call: cst.Call) -> NodeFix | None:
        spelled = spelling_of(self.model.summary.imports, "asyncio", "get_running_loop")
        if spelled is None:
            return None
        spelling, request = spelled
        new = call.with_changes(func=cst.parse_expression(spelling))
        imports = (request,) if request else ()
        return NodeFix("Use `asyncio.get_running_loop()`", Applicability.SAFE, {call: new}, imports)
