"""AIO502: blocking-sleep-in-async-test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from asynclint.analysis.direct_body import asyncio_role, direct_nodes, parents_of
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import awaited, spelling_of
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule

_HEAD = "import time\n\nimport pytest\n\n\n"
#: Words of a comment that says the blocking is the point ("Pretend the loop is busy", "simulate slow work").
_DELIBERATE = ("block", "busy", "pretend", "simulat", "crunch", "cpu", "on purpose", "deliberate", "intention")


class BlockingSleepInAsyncTest(Rule):
    """
    ## What it does
    Finds `time.sleep(...)` called directly in an `async def` test or fixture that runs in an asyncio loop.
    This overlaps ruff's `ASYNC251` (blocking sleep in an async function); asynclint adds the fix and knows
    which functions pytest-asyncio runs.

    ## Why is this bad?
    `time.sleep` blocks the whole event loop: nothing else the test started (tasks, servers, callbacks) runs
    meanwhile, so the wait the test intended does not happen, and timing-dependent tests pass or fail by luck.
    The test itself still passes; only asyncio's debug mode reports the slow callback.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_retry():
        time.sleep(0.1)
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_retry():
        await asyncio.sleep(0.1)
    ```

    ## Options
    `blocking-calls`: more functions that block, by their dotted name, reported the same way but without a fix
    (`[tool.asynclint.blocking-sleep-in-async-test]`, `blocking-calls = ["requests.get", "subprocess.run"]`).
    A call is matched through the module's imports, as `time.sleep` is.

    ## Fix safety
    Safe: `await asyncio.sleep(...)` waits as long and lets the loop run meanwhile (adding `import asyncio`
    when needed). Code in nested sync functions or handed to threads is not touched, and neither is a sleep
    whose comment (on its line or the two above) says the blocking is deliberate ("block", "busy", "pretend",
    "simulate", "on purpose"...).
    """

    code = "AIO502"
    name = "blocking-sleep-in-async-test"
    finds = (
        "`time.sleep(...)` directly in an async test or fixture: it blocks the loop (overlaps ruff's `ASYNC251`, "
        "with a fix)"
    )
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("sleep",)
    file_kinds = frozenset({"test", "conftest"})
    options: ClassVar[Mapping[str, str]] = {
        "blocking-calls": "more blocking functions to report in async tests and fixtures, by dotted name"
    }

    @classmethod
    def triggered_by(cls, text: str, options: Mapping[str, tuple[str, ...]] | None = None) -> bool:
        extra = (options or {}).get("blocking-calls", ())
        return "sleep" in text or any(name.rsplit(".", 1)[-1] in text for name in extra)

    valid = (
        Example(f"{_HEAD}def test_a():\n    time.sleep(0.1)\n"),
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    def work():\n        time.sleep(0.1)\n"),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    # block the loop on purpose\n    time.sleep(0.1)\n"
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    # Pretend the loop is busy for a while.\n"
            "    time.sleep(0.1)\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    time.sleep(0.1)\n",
            expected_fix=(
                "import asyncio\nimport time\n\nimport pytest\n\n\n"
                "@pytest.mark.asyncio\nasync def test_a():\n    await asyncio.sleep(0.1)\n"
            ),
        ),
        Example(
            "import asyncio\nfrom time import sleep\n\nimport pytest\n\n\n"
            "@pytest.mark.asyncio\nasync def test_a():\n    sleep(1)\n",
            expected_fix=(
                "import asyncio\nfrom time import sleep\n\nimport pytest\n\n\n"
                "@pytest.mark.asyncio\nasync def test_a():\n    await asyncio.sleep(1)\n"
            ),
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        role = asyncio_role(self.ctx, node)
        if role is None:
            return
        imports = self.model.summary.imports
        blocking = set(self.option("blocking-calls"))
        calls: list[cst.Call] = []
        for inner in direct_nodes(node):
            if type(inner) is cst.Call:
                written = dotted_name(inner.func)
                resolved = imports.resolve(written) if written is not None else None
                if resolved == "time.sleep":
                    calls.append(inner)
                elif resolved in blocking:
                    message = (
                        f"`{resolved}(...)` in an async {role} blocks the event loop: nothing else runs while it "
                        "waits; run it in a thread (`await asyncio.to_thread(...)`) or use an async API"
                    )
                    self.report(inner, message)
        parents = parents_of(node) if calls else {}
        for call in calls:
            if self._deliberate(call):
                continue
            message = (
                f"`time.sleep(...)` in an async {role} blocks the event loop: nothing else runs while it "
                "waits; use `await asyncio.sleep(...)`"
            )
            self.report(call, message, fix=self._fix(call, parents.get(call)))

    def _deliberate(self, call: cst.Call) -> bool:
        """A comment on the line or just above says the blocking is the point ("time.sleep", "block")."""
        lines = self.ctx.text.splitlines()
        line = self.ctx.line_of(call)
        nearby = lines[max(0, line - 3) : line]
        comments = [text[text.index("#") :].lower() for text in nearby if "#" in text]
        return any("time.sleep" in c or any(word in c for word in _DELIBERATE) for c in comments)

    def _fix(self, call: cst.Call, parent: cst.CSTNode | None) -> NodeFix | None:
        spelled = spelling_of(self.model.summary.imports, "asyncio", "sleep")
        if spelled is None:
            return None
        spelling, request = spelled
        new_call = call.with_changes(func=cst.parse_expression(spelling))
        imports = (request,) if request else ()
        return NodeFix("Use `await asyncio.sleep(...)`", Applicability.SAFE, {call: awaited(new_call, parent)}, imports)
