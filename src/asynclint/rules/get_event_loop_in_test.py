"""AIO503: get-event-loop-in-test."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from asynclint.analysis.direct_body import direct_nodes, sync_role
from asynclint.model.facts import ImportTable
from asynclint.model.names import dotted_name
from asynclint.rule import Example, Rule
from asynclint.walk import code_children, descendants

_HEAD = "import asyncio\n\nimport pytest\n\n\n"
#: Exceptions whose handler catches the RuntimeError `get_event_loop()` raises when no loop is set. A handler of
#: `DeprecationWarning` alone does not: on pytest-asyncio 1.4 and later the call raises RuntimeError.
_CATCHES_RUNTIME_ERROR = frozenset({"RuntimeError", "Exception", "BaseException"})
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def get_event_loop_calls(node: cst.FunctionDef, imports: ImportTable) -> Iterator[cst.Call]:
    """The `asyncio.get_event_loop()` calls in a function's direct body that nothing guards: a call inside a
    `try` whose handler catches RuntimeError (or `Exception`, a bare `except`), or inside
    `contextlib.suppress(RuntimeError)`, is written to cope with there being no current loop."""
    guarded: set[cst.CSTNode] = set()
    calls: list[cst.Call] = []
    for inner in direct_nodes(node):
        block = _guarded_block(inner, imports)
        if block is not None:
            guarded.update(_within(block))
        elif isinstance(inner, cst.Call) and not inner.args:
            written = dotted_name(inner.func)
            if written is not None and imports.resolve(written) == "asyncio.get_event_loop":
                calls.append(inner)
    return (call for call in calls if call not in guarded)


def _guarded_block(node: cst.CSTNode, imports: ImportTable) -> cst.BaseSuite | None:
    """The body of a `try` with a handler that catches RuntimeError, or of a
    `with contextlib.suppress(RuntimeError)`; None for any other node."""
    if isinstance(node, (cst.Try, cst.TryStar)):
        caught = any(_catches_runtime_error(handler.type, imports) for handler in node.handlers)
        return node.body if caught else None
    if isinstance(node, cst.With):
        return node.body if any(_suppresses_runtime_error(item.item, imports) for item in node.items) else None
    return None


def _within(block: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return descendants(block, prune=lambda n: isinstance(n, _SCOPES), expand=code_children)


def _exception_names(expression: cst.BaseExpression | None, imports: ImportTable) -> Iterator[str | None]:
    """The exception classes a handler names (`builtins.RuntimeError`...), None for one not known."""
    if isinstance(expression, cst.Tuple):
        for element in expression.elements:
            yield from _exception_names(element.value, imports)
        return
    written = dotted_name(expression) if expression is not None else None
    if written is None:
        yield None
        return
    resolved = imports.resolve(written)
    if resolved is None and "." not in written and written not in imports.bindings and not imports.star_imports:
        resolved = f"builtins.{written}"  # a builtin exception, not bound in the module
    yield resolved


def _catches_runtime_error(expression: cst.BaseExpression | None, imports: ImportTable) -> bool:
    if expression is None:  # a bare `except:`
        return True
    return any(
        name is not None and name.startswith("builtins.") and name[len("builtins.") :] in _CATCHES_RUNTIME_ERROR
        for name in _exception_names(expression, imports)
    )


def _suppresses_runtime_error(expression: cst.BaseExpression, imports: ImportTable) -> bool:
    """`contextlib.suppress(RuntimeError)` (or of a base class of it)."""
    if not isinstance(expression, cst.Call):
        return False
    written = dotted_name(expression.func)
    if written is None or imports.resolve(written) != "contextlib.suppress":
        return False
    return any(_catches_runtime_error(arg.value, imports) for arg in expression.args if arg.star == "")


class GetEventLoopInTest(Rule):
    """
    ## What it does
    Finds `asyncio.get_event_loop()` called directly in a sync test or sync fixture body (not in nested
    functions) of a suite that uses pytest-asyncio, unless a `try` around it handles the `RuntimeError` it
    raises when no loop is set (`except RuntimeError:`, `contextlib.suppress(RuntimeError)`). In `async def`
    code the call returns the running loop: that spelling is AIO505's, off by default. Not in an `event_loop`
    override (AIO404's): before pytest-asyncio 1.0 it is set up once pytest-asyncio made its own loop current,
    which the call then returns, and from 1.0 nothing requests it.

    ## Why is this bad?
    No loop runs in sync code, so the call returns the thread's current loop, and there may be none:

    - pytest-asyncio 1.4 and later unset the current loop after each asyncio test, so the call fails with
      "RuntimeError: There is no current event loop in thread 'MainThread'" in every sync test or fixture that
      runs after one (run alone or first, it passes, with a `DeprecationWarning` on Python 3.12 and 3.13);
    - earlier releases leave a loop set, but the call fails the same way after any test that called
      `asyncio.run` (which unsets it);
    - Python 3.14 no longer creates a loop in `get_event_loop()`: it fails whenever none is set.

    Whether it passes depends on which tests ran before it: a suite that passes today fails when tests are
    reordered, selected with `-k`, or run in parallel. An `except DeprecationWarning:` around it does not
    help: the failure is a RuntimeError.

    ## Example
    ```python
    def test_schedule():
        loop = asyncio.get_event_loop()
        assert loop.run_until_complete(fetch()) == 1
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_schedule():
        assert await fetch() == 1
    ```

    ## Fix safety
    No fix: make the test async (with async fixtures), or create and close a loop explicitly with
    `asyncio.new_event_loop()` or `asyncio.run(...)`.
    """

    code = "AIO503"
    name = "get-event-loop-in-test"
    finds = (
        "`asyncio.get_event_loop()` in a sync test or fixture: from pytest-asyncio 1.4 it fails in any test that "
        "runs after an asyncio test (earlier, after `asyncio.run`; on Python 3.14, whenever no loop is set)"
    )
    triggers = ("get_event_loop",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_a():\n    asyncio.get_event_loop()\n"),
        Example(f"{_HEAD}def test_a():\n    def later():\n        return asyncio.get_event_loop()\n"),
        Example(
            f"{_HEAD}@pytest.fixture\ndef loop():\n    try:\n        return asyncio.get_event_loop()\n"
            "    except RuntimeError:\n        loop = asyncio.new_event_loop()\n        asyncio.set_event_loop(loop)\n"
            "        return loop\n"
        ),
    )
    invalid = (
        Example(f"{_HEAD}def test_a():\n    asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))\n"),
        Example(
            f"{_HEAD}def test_a():\n    try:\n        loop = asyncio.get_event_loop()\n"
            "    except DeprecationWarning:\n        loop = asyncio.new_event_loop()\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        role = sync_role(self.ctx, node)
        if role is None:
            return
        if role == "fixture" and node.name.value == "event_loop":
            # An override of pytest-asyncio's `event_loop` (AIO404): before 1.0 it is set up once pytest-asyncio
            # made its loop current, so `get_event_loop()` finds that loop; from 1.0 nothing requests it.
            return
        for call in get_event_loop_calls(node, self.model.summary.imports):
            message = f"`asyncio.get_event_loop()` in a sync {role}, where no loop runs: {self._outcome()}"
            self.report(call, message)

    def _outcome(self) -> str:
        versions = self.model.versions
        error = "\"RuntimeError: There is no current event loop in thread 'MainThread'\""
        newer = versions.at_least("pytest-asyncio", "1.4")
        advice = (
            "; make it async and use `asyncio.get_running_loop()`, or create and close a loop with "
            "`asyncio.new_event_loop()`"
        )
        if newer is True:
            package = versions.get("pytest-asyncio")
            pinned = f"pytest-asyncio {package.exact or package.specifier}" if package is not None else ""
            return (
                f"{pinned} unsets the current loop after each asyncio test, so it fails with {error} whenever an "
                f"asyncio test ran before it (and on Python 3.14 whenever no loop is set){advice}"
            )
        if newer is False:
            return (
                f"it fails with {error} after any test that called `asyncio.run`, on Python 3.14 whenever no loop "
                f"is set, and from pytest-asyncio 1.4 whenever an asyncio test ran before it{advice}"
            )
        return (
            f"from pytest-asyncio 1.4 (the version is not pinned: a current release is assumed) it fails with "
            f"{error} whenever an asyncio test ran before it; before 1.4, after any test that called "
            f"`asyncio.run`; on Python 3.14, whenever no loop is set{advice}"
        )
