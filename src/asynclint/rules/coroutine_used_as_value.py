"""AIO202: coroutine-used-as-value."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.awaiting import Use
from asynclint.diagnostics import FixAvailability
from asynclint.rule import Example, Rule
from asynclint.rules.unawaited_coroutine import await_fix

_APP = "async def fetch_data():\n    return {'key': 1}\n"
_HEAD = f"import pytest\n\n{_APP}\n@pytest.mark.asyncio\n"


class CoroutineUsedAsValue(Rule):
    """
    ## What it does
    Finds calls of coroutine functions used as a value without `await` inside an `async def`: tested for truth
    (`assert`, `if`, `not`), compared, subscripted, iterated, read an attribute from, formatted into a string
    (`f"{fetch()}"`), used with an arithmetic operator (`fetch() + 1`), used as the only
    statement of a `pytest.raises` block, returned or yielded by an async fixture, returned by any other
    `async def` (a helper, a nested function), or passed to `print`, `str` or `len`. A coroutine stored in a
    variable that is then used only so is reported too, and so is the read of a property whose getter is
    `async def` (`assert replica_set.primary`), which makes a coroutine as a call does.

    ## Why is this bad?
    The value is a coroutine object, not the result, and the coroutine never runs. `assert fetch()` always
    passes (a coroutine object is true); `fetch() == 1` is always false; `fetch()["key"]` and `fetch() + 1`
    raise `TypeError`; `f"{fetch()}"` shows `<coroutine object ...>`;
    a `pytest.raises` block around an unawaited call fails with "DID NOT RAISE"; a fixture that returns
    `fetch()` hands the test a coroutine object, and `await helper()` on an `async def helper()` that returns
    `fetch()` gives the coroutine object too.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_ready(client):
        assert client.is_ready()
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_ready(client):
        assert await client.is_ready()
    ```

    ## Fix safety
    Safe: inserts `await` (in parentheses where needed: `(await fetch())["key"]`). A coroutine used as a
    context manager is reported without a fix: whether `async with` or `await` was meant is not clear. For
    `async for x in fetch()` the fix (`async for x in await fetch()`) is unsafe: what `fetch` returns may not be
    async-iterable (it may have been meant as an async generator).
    """

    code = "AIO202"
    name = "coroutine-used-as-value"
    finds = (
        'a coroutine used without `await`: `assert f()`, `f() == x`, `f()["k"]`, `for x in f()`, the only '
        "statement of a `pytest.raises` block, `return f()` in an async fixture or helper, `print(f())`"
    )
    fix_summary = "safe (not for `with`; unsafe for `async for`)"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)
    file_kinds = frozenset({"test", "conftest", "helper"})

    valid = (
        Example(f"{_HEAD}async def test_fetch():\n    assert (await fetch_data())['key'] == 1\n"),
        Example(f"{_HEAD}async def test_fetch():\n    coro = fetch_data()\n    assert await coro\n"),
        Example(f"{_HEAD}async def test_fetch():\n    assert inspect_coroutine(fetch_data())\n"),
        Example(
            f"{_HEAD}async def test_fetch():\n    with pytest.warns(RuntimeWarning):\n        assert fetch_data()\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}async def test_fetch():\n    assert fetch_data()\n",
            expected_fix=f"{_HEAD}async def test_fetch():\n    assert await fetch_data()\n",
            line=8,
            message="is tested for truth: a coroutine object is always true, so this check cannot fail",
        ),
        Example(
            f"{_HEAD}async def test_fetch():\n    assert fetch_data()['key'] == 1\n",
            expected_fix=f"{_HEAD}async def test_fetch():\n    assert (await fetch_data())['key'] == 1\n",
            line=8,
            message="is subscripted: this raises `TypeError` ('coroutine' object is not subscriptable)",
        ),
        Example(
            f"{_HEAD}async def test_fetch():\n    result = fetch_data()\n    assert result['key'] == 1\n",
            expected_fix=(
                f"{_HEAD}async def test_fetch():\n    result = await fetch_data()\n    assert result['key'] == 1\n"
            ),
        ),
        Example(
            f"{_HEAD}async def test_fetch():\n    with pytest.raises(KeyError):\n        fetch_data()\n",
            expected_fix=(
                f"{_HEAD}async def test_fetch():\n    with pytest.raises(KeyError):\n        await fetch_data()\n"
            ),
        ),
        Example(
            f"import pytest\nimport pytest_asyncio\n\n{_APP}\n@pytest_asyncio.fixture\nasync def data():\n"
            "    return fetch_data()\n",
            expected_fix=(
                f"import pytest\nimport pytest_asyncio\n\n{_APP}\n@pytest_asyncio.fixture\nasync def data():\n"
                "    return await fetch_data()\n"
            ),
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        for item in self.ctx.awaits().unawaited:
            if not item.is_async or item.use is Use.DROPPED:
                continue
            self.report(item.call, item.describe(self.ctx.line_of), fix=await_fix(item))
