"""AIO204: asyncmock-call-assertion."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.rule import Example, Rule

_HEAD = "import pytest\nfrom unittest.mock import AsyncMock, patch\n\n\n@pytest.mark.asyncio\n"


class AsyncmockCallAssertion(Rule):
    """
    ## What it does
    Finds `assert_called`, `assert_called_once`, `assert_called_with`, `assert_called_once_with`,
    `assert_any_call` and `assert_has_calls` on an `AsyncMock` (made directly, with `mocker.AsyncMock`, with
    `patch(..., new_callable=AsyncMock)`, or by `patch` on an `async def` target, in the test or in a fixture
    it receives) when the test calls the mock without awaiting it, or when only the code under test calls it
    and the test checks awaiting nowhere (no `assert_awaited*`, `await_count`, `await_args`, and the mock is
    not handed to a helper that might). In that second case it stays silent when it cannot tell whether a
    missing `await` would go unnoticed: the test sets what awaiting the mock gives (`return_value`,
    `side_effect`: an un-awaited call hands the code a coroutine instead, or raises nothing), only the test's
    own code calls it and always under `await` (a hook it defines), or a fixture hands the mock over, set up
    out of sight. Nothing is reported where the project's `filterwarnings` makes every `RuntimeWarning` an error
    (`error`, `error::RuntimeWarning`): "coroutine ... was never awaited" then fails the test.

    ## Why is this bad?
    These assertions count calls, and calling an `AsyncMock` without awaiting the result still counts. So
    `assert_called_once()` passes although the coroutine never ran; `assert_awaited_once()` fails with
    "Expected mock to have been awaited once. Awaited 0 times." When the code under test forgets `await`,
    a test that only asserts calls stays green.

    ## Example
    ```python
    async def test_notify():
        send = AsyncMock()
        send("hello")
        send.assert_called_once_with("hello")
    ```

    Use instead:
    ```python
    async def test_notify():
        send = AsyncMock()
        await send("hello")
        send.assert_awaited_once_with("hello")
    ```

    ## Fix safety
    Safe when the test itself calls the mock: each assertion becomes its `assert_awaited*` twin, which is
    strictly stronger and identical whenever the calls were awaited. Unsafe when only the code under test
    calls it: a coroutine it hands to a task that has not run yet is awaited later, so the stricter assertion
    may fail where the old one passed. `assert_not_called` is left alone: `assert_not_awaited` would be weaker.
    """

    code = "AIO204"
    name = "asyncmock-call-assertion"
    finds = (
        "`assert_called*`, `assert_any_call`, `assert_has_calls` on an `AsyncMock` the test calls without "
        "awaiting: they pass although nothing ran"
    )
    fix_summary = "safe (the test calls the mock), else unsafe"
    fix_availability = FixAvailability.ALWAYS
    triggers = ("assert_called", "assert_any_call", "assert_has_calls")

    valid = (
        Example(f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    await m()\n    m.assert_called_once()\n"),
        Example(
            f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    await run(m)\n    m.assert_called_once()\n"
            "    m.assert_awaited()\n"
        ),
        Example(f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    m()\n    m.assert_not_called()\n"),
        Example(
            "from unittest.mock import Mock\n\n\ndef test_send():\n    m = Mock()\n    m()\n"
            "    m.assert_called_once()\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    await run(m)\n    m.assert_called_once()\n",
            expected_fix=(
                f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    await run(m)\n    m.assert_awaited_once()\n"
            ),
            unsafe_fixes=True,
            line=9,
            message="counts calls, so it passes even if the code under test calls `m` without awaiting it",
        ),
        Example(
            f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    m(1)\n    m.assert_called_once_with(1)\n",
            expected_fix=(
                f"{_HEAD}async def test_send():\n    m = AsyncMock()\n    m(1)\n    m.assert_awaited_once_with(1)\n"
            ),
        ),
        Example(
            f"{_HEAD}async def test_send():\n    with patch('app.send', new_callable=AsyncMock) as send:\n"
            "        send()\n    send.assert_called()\n",
            expected_fix=(
                f"{_HEAD}async def test_send():\n    with patch('app.send', new_callable=AsyncMock) as send:\n"
                "        send()\n    send.assert_awaited()\n"
            ),
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        if _never_awaited_is_an_error(self.ctx.model.directory.settings.config.get_lines("filterwarnings")):
            # "coroutine ... was never awaited" fails the test there: a missing `await` does not go unseen.
            return
        for item in self.ctx.awaits().mock_assertions:
            old = item.method.value
            if item.direct:
                message = (
                    f"`{item.mock}.{old}()` counts calls, so it passes even if `{item.mock}` was never awaited "
                    f"({item.how}); `{item.replacement}()` checks the coroutine ran"
                )
            else:
                message = (
                    f"`{item.mock}.{old}()` counts calls, so it passes even if the code under test calls "
                    f"`{item.mock}` without awaiting it ({item.how}), and the test checks awaiting nowhere; "
                    f"`{item.replacement}()` checks the coroutine ran"
                )
            fix = NodeFix(
                title=f"Use `{item.replacement}`",
                # Unsafe when only the code under test calls it: a coroutine it hands to a task that has not
                # run yet is awaited later, so the stricter assertion may fail where the old one passed.
                applicability=Applicability.SAFE if item.direct else Applicability.UNSAFE,
                replacements={item.method: item.method.with_changes(value=item.replacement)},
            )
            self.report(item.method, message, fix=fix)


#: Warning categories a `RuntimeWarning` ("coroutine ... was never awaited") falls under, as filters name them.
_RUNTIME_WARNING = frozenset({"", "Warning", "RuntimeWarning", "builtins.Warning", "builtins.RuntimeWarning"})


def _never_awaited_is_an_error(filters: tuple[str, ...]) -> bool:
    """Whether the `filterwarnings` setting turns "coroutine ... was never awaited" into an error: the last
    filter for every `RuntimeWarning` (pytest applies them in order, later ones winning) is `error`."""
    verdict = False
    for line in filters:
        action, _, rest = line.strip().partition(":")
        message, _, rest = rest.partition(":")
        category = rest.partition(":")[0].strip()
        if message.strip() or category not in _RUNTIME_WARNING:
            continue
        verdict = action.strip() == "error"
    return verdict
