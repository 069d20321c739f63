"""AIO502: blocking-sleep-in-async-test."""

from __future__ import annotations

import functools
import io
import re
import tokenize
from collections.abc import Mapping
from typing import ClassVar

import libcst as cst

from asynclint.analysis.direct_body import asyncio_role, direct_nodes, parents_of
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import awaited, spelling_of
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule, RuleContext

_HEAD = "import time\n\nimport pytest\n\n\n"
#: A comment says the blocking is the point when it says the loop is blocked or kept busy ("block the loop",
#: "blocks the event loop", "the loop is busy", "stall the loop")...
_BLOCKS_LOOP = re.compile(
    r"\b(?:block|blocks|blocking|blocked|stall|stalls|stalling|stalled|hog|hogs|hogging|freeze|freezes|freezing"
    r"|starve|starves|starving|occupy|occupies|occupying)\b"
    r"(?:\s+(?:the|this|our|its|an?))?(?:\s+(?:asyncio|event|running))*\s+loop\b"
    r"|\bkeep(?:s|ing)?(?:\s+(?:the|this|our|its))?(?:\s+(?:asyncio|event|running))*\s+loop\s+busy\b"
    r"|\bloop\s+(?:is|be|stays|being|gets|get)\s+(?:\w+\s+)?(?:busy|blocked|stalled|frozen|starved)\b"
    r"|\b(?:cpu[- ]bound|crunch\w*\s+(?:some\s+)?numbers|busy[- ]wait\w*)\b"
)
#: ...and that this is intended ("on purpose", "deliberately", "pretend", "simulate"), or says it as an order
#: at the start of the comment ("# Block the loop so that the timeout fires").
_INTENDED = re.compile(
    r"\b(?:on\s+purpose|deliberate(?:ly)?|intentional(?:ly)?|intended|purposely|purposefully|pretend\w*"
    r"|simulat\w*|emulat\w*|mimic\w*|fake\w*|so\s+that|in\s+order\s+to|to\s+(?:test|check|make|see|force))\b"
)
_ORDER = re.compile(r"^(?:now\s+|then\s+)?(?:block|stall|hog|freeze|starve|occupy|keep)\b")
#: Words that turn a statement around ("do not block the loop", "without blocking the loop").
_NEGATION = re.compile(r"\b(?:not|never|no|avoid\w*|without|instead|shouldn't|mustn't|don't|doesn't|won't)\b")


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
    when needed). Code in nested sync functions or handed to threads is not touched. A sleep that blocks the
    loop on purpose (a test of a timeout or of slow-callback detection) is not reported when its comment says
    so: on its line, or in the comment lines right above it, a statement that the loop is blocked or kept busy
    and that this is intended ("# block the event loop on purpose", "# Pretend the loop is busy for a
    while.", "# Block the loop so that the timeout fires"), or a stand-in for CPU-bound work ("# Pretend we
    crunch some numbers."). Any other comment ("# simulate a user waiting", "# give the server time") is no
    such statement: the sleep is reported. `# noqa: AIO502` silences one line.
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
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n"
            "    time.sleep(0.1)  # blocks the event loop deliberately\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    # simulate a user waiting\n    time.sleep(0.1)\n",
            expected_fix=(
                "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n"
                "    # simulate a user waiting\n    await asyncio.sleep(0.1)\n"
            ),
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    time.sleep(0.1)\n",
            expected_fix=(
                "import asyncio\n\nimport pytest\n\n\n"
                "@pytest.mark.asyncio\nasync def test_a():\n    await asyncio.sleep(0.1)\n"
            ),
        ),
        Example(
            "import asyncio\nfrom time import sleep\n\nimport pytest\n\n\n"
            "@pytest.mark.asyncio\nasync def test_a():\n    sleep(1)\n",
            expected_fix=(
                "import asyncio\n\nimport pytest\n\n\n"
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
        """The comment on the call's lines, or the comment lines right above it, says the loop is blocked on
        purpose (see "Fix safety")."""
        return any(_says_deliberate(comment) for comment in _comments_about(self.ctx.text, self.ctx, call))

    def _fix(self, call: cst.Call, parent: cst.CSTNode | None) -> NodeFix | None:
        spelled = spelling_of(self.model.summary.imports, "asyncio", "sleep")
        if spelled is None:
            return None
        spelling, request = spelled
        new_call = call.with_changes(func=cst.parse_expression(spelling))
        imports = (request,) if request else ()
        return NodeFix("Use `await asyncio.sleep(...)`", Applicability.SAFE, {call: awaited(new_call, parent)}, imports)


def _comments_about(text: str, ctx: RuleContext, call: cst.Call) -> list[str]:
    """The comments that speak of a call: those ending its lines, and the block of comment lines right above
    its first line (one sentence may run over several of them)."""
    lines = text.splitlines()
    span = ctx.positions()[call]
    found: list[str] = []
    # The module is tokenized (a `#` may sit in a string) only when a line of the call has a `#` at all.
    if any("#" in line for line in lines[span.start.line - 1 : span.end.line]):
        trailing = _comments_by_line(text)
        found = [trailing[number] for number in range(span.start.line, span.end.line + 1) if number in trailing]
    above: list[str] = []
    number = span.start.line - 1
    while number >= 1 and lines[number - 1].lstrip().startswith("#"):
        above.insert(0, lines[number - 1].lstrip()[1:].strip())
        number -= 1
    if above:
        found.append(" ".join(above))
    return found


@functools.lru_cache(maxsize=4)
def _comments_by_line(text: str) -> dict[int, str]:
    """Every comment of the module by its line, as the tokenizer finds them (a `#` may sit in a string)."""
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string[1:].strip()
    except (tokenize.TokenError, SyntaxError):
        pass  # what was read up to there stands
    return comments


def _says_deliberate(comment: str) -> bool:
    """Whether a comment states that blocking the loop is the point: each sentence is read on its own."""
    for sentence in re.split(r"(?<=[.;!?])\s+|\s+-+\s+", comment.lower()):
        blocks = _BLOCKS_LOOP.search(sentence)
        # "do not block the loop", "without blocking the loop": a negation among the few words before it.
        before = " ".join(sentence[: blocks.start()].split()[-3:]) if blocks is not None else ""
        if blocks is None or _NEGATION.search(before):
            continue
        if _INTENDED.search(sentence) or _ORDER.match(sentence.strip()):
            return True
    return False
