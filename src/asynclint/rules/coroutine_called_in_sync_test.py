"""AIO203: coroutine-called-in-sync-test."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.awaiting import UnawaitedCall, Use
from asynclint.diagnostics import Applicability, FixAvailability, ImportRequest, NodeFix
from asynclint.edits import add_decorator, awaited, pytest_mark_prefix
from asynclint.fixer import rewrite
from asynclint.model.collection import Owner
from asynclint.model.facts import DecoratorKind
from asynclint.rule import Example, Rule

_APP = "async def is_ready():\n    return False\n"


class CoroutineCalledInSyncTest(Rule):
    """
    ## What it does
    Finds calls of coroutine functions inside a sync (`def`) test or fixture, where `await` is impossible:
    dropped, tested for truth, compared, subscripted... A sync fixture that returns the coroutine is not
    reported: it may hand it to tests that await it. In other sync functions of test code (a helper of a
    test module, a function nested in a test, a module of a test folder such as `tests/utils.py`), a
    coroutine dropped, tested or compared is reported too, and so is one kept in a local that is only tested,
    compared or read: it never runs, whoever calls the function; one the function returns or stores elsewhere
    is not, its caller may await it.

    ## Why is this bad?
    The call creates a coroutine object that nothing runs. `assert is_ready()` in a sync test always passes,
    and the code under test never executes; Python only warns "coroutine ... was never awaited".

    ## Example
    ```python
    def test_ready():
        assert is_ready()
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_ready():
        assert await is_ready()
    ```

    ## Fix safety
    Unsafe, for tests pytest-asyncio runs: the test becomes `async def`, gets `@pytest.mark.asyncio` when the
    mode is not auto, and awaits the calls. The test then runs in an event loop, which changes what it tests
    (its fixtures, the loop it sees), so the fix is offered only with `--unsafe-fixes`. Sync fixtures are
    reported without a fix: making one async changes every test that uses it.
    """

    code = "AIO203"
    name = "coroutine-called-in-sync-test"
    finds = "a coroutine function called in a sync test, fixture or test helper, where it cannot be awaited"
    fix_summary = "unsafe (tests)"
    fix_availability = FixAvailability.SOMETIMES
    file_kinds = frozenset({"test", "conftest", "helper"})

    valid = (
        Example(f"import asyncio\n\n{_APP}\n\ndef test_ready():\n    assert asyncio.run(is_ready()) is False\n"),
        Example(f"import inspect\n\n{_APP}\n\ndef test_ready():\n    coro = is_ready()\n    coro.close()\n"),
        Example(f"{_APP}\n\ndef helper():\n    return is_ready()\n"),
        Example(f"import pytest\n\n{_APP}\n\n@pytest.fixture\ndef pending():\n    return is_ready()\n"),
    )
    invalid = (
        Example(
            f"import pytest\n\n{_APP}\n\ndef test_ready():\n    assert is_ready()\n",
            expected_fix=(
                f"import pytest\n\n{_APP}\n\n@pytest.mark.asyncio\nasync def test_ready():\n"
                "    assert await is_ready()\n"
            ),
            unsafe_fixes=True,
            line=8,
            message="`test_ready` is a sync test, so it cannot await it",
        ),
        Example(
            f"import pytest\n\n{_APP}\n\n@pytest.fixture\ndef ready():\n    if is_ready():\n        return 1\n",
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        items = [item for item in self.ctx.awaits().unawaited if not item.is_async]
        by_function: dict[cst.FunctionDef, list[UnawaitedCall]] = {}
        for item in items:
            by_function.setdefault(item.function, []).append(item)
        for function, found in by_function.items():
            fix = self._fix(function, found)
            for item in found:
                kind = {"fixture": "fixture", "test": "test"}.get(item.role, "function")
                message = (
                    f"{item.describe(self.ctx.line_of)}; `{function.name.value}` is a sync {kind}, "
                    "so it cannot await it"
                )
                self.report(item.call, message, fix=fix)

    def _fix(self, function: cst.FunctionDef, items: list[UnawaitedCall]) -> NodeFix | None:
        test = self.ctx.test(function)
        if test is None or test.owner is not Owner.PYTEST_ASYNCIO or test.function.is_generator:
            return None
        if any(decorator.kind is DecoratorKind.UNKNOWN for decorator in test.function.decorators):
            return None  # the wrapper may not take a coroutine function
        settings = self.model.settings
        if settings.asyncio_mode is None or any(item.use is Use.CONTEXT for item in items):
            return None
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        for item in items:
            replacements[item.call] = awaited(item.call, item.parent)
        new = rewrite(function, replacements)
        assert isinstance(new, cst.FunctionDef)
        new = new.with_changes(asynchronous=cst.Asynchronous())
        imports: tuple[ImportRequest, ...] = ()
        if settings.marks_needed and not test.asyncio_marks:
            spelling = pytest_mark_prefix(self.model.summary.imports)
            if spelling is None:
                return None
            prefix, request = spelling
            new = add_decorator(new, f"{prefix}.asyncio", self.ctx.module.config_for_parsing)
            imports = (request,) if request else ()
        return NodeFix(
            title=f"Make `{function.name.value}` an async test and await the call",
            applicability=Applicability.UNSAFE,
            replacements={function: new},
            imports=imports,
        )
