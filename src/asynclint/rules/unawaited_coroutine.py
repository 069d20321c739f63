"""AIO201: unawaited-coroutine."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.awaiting import UnawaitedCall, Use
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import awaited
from asynclint.rule import Example, Rule

_APP = "async def fetch_data():\n    return {'key': 1}\n"


def await_fix(item: UnawaitedCall) -> NodeFix | None:
    """Insert `await` before the call: the only meaning such code can have inside an `async def`."""
    if not item.fixable:
        return None
    # `async for x in await f()` runs f, but whether what it gives has `__aiter__` is not known (f may have been
    # meant as an async generator): unsafe.
    unsafe = item.use is Use.ASYNC_ITERATED
    return NodeFix(
        title=f"Await `{item.callee.shown}`",
        applicability=Applicability.UNSAFE if unsafe else Applicability.SAFE,
        replacements={item.call: awaited(item.call, item.parent)},
    )


class UnawaitedCoroutine(Rule):
    """
    ## What it does
    Finds calls of coroutine functions whose result is dropped (a bare statement, or stored and never used)
    inside an `async def` test, fixture or helper.

    ## Why is this bad?
    Calling an `async def` function only creates a coroutine object; its body runs when it is awaited. A
    dropped coroutine never runs: the test stays green while the code it was meant to exercise did nothing,
    and Python only prints "RuntimeWarning: coroutine ... was never awaited". The callee must be known to be
    `async def`: a function of the project, of an installed package, of the standard library (`asyncio.sleep`),
    an `AsyncMock`, or a call awaited elsewhere in the same file on the same object. In that last case all
    asynclint knows is that the call returns something awaitable: a coroutine then never runs, while a task or
    future (as libraries that wrap blocking calls return) runs unobserved, the test neither waiting for it nor
    seeing its errors; the message says both. Calls asynclint cannot resolve, and names a test patches, are not
    reported.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_refresh(cache):
        cache.refresh()
        assert cache.size == 3
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_refresh(cache):
        await cache.refresh()
        assert cache.size == 3
    ```

    ## Fix safety
    Safe: inserts `await` before the call, the only meaning a dropped coroutine call can have in an
    `async def`.
    """

    code = "AIO201"
    name = "unawaited-coroutine"
    finds = "a coroutine function called and dropped (a bare statement, or stored and never used) in an `async def`"
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)
    file_kinds = frozenset({"test", "conftest", "helper"})

    valid = (
        Example(
            f"import asyncio\nimport pytest\n\n{_APP}\n@pytest.mark.asyncio\nasync def test_fetch():\n"
            "    await fetch_data()\n    task = asyncio.create_task(fetch_data())\n    await task\n"
        ),
        Example(
            "import pytest\n\n\ndef fetch_data():\n    return 1\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n"
            "    fetch_data()\n"
        ),
        Example(
            f"import pytest\n\n{_APP}\n@pytest.mark.asyncio\nasync def test_fetch(monkeypatch):\n"
            "    monkeypatch.setattr(__name__ + '.fetch_data', lambda: None)\n    fetch_data()\n"
        ),
        Example("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch(client):\n    client.fetch()\n"),
    )
    invalid = (
        Example(
            f"import pytest\n\n{_APP}\n@pytest.mark.asyncio\nasync def test_fetch():\n    fetch_data()\n",
            expected_fix=(
                f"import pytest\n\n{_APP}\n@pytest.mark.asyncio\nasync def test_fetch():\n    await fetch_data()\n"
            ),
            line=8,
            message="`fetch_data()` is never awaited: the coroutine never runs (`fetch_data` is `async def` in",
        ),
        Example(
            "import asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_wait():\n    asyncio.sleep(0.1)\n",
            expected_fix=(
                "import asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_wait():\n"
                "    await asyncio.sleep(0.1)\n"
            ),
            line=7,
            message="(`asyncio.sleep` is `async def` in the standard library)",
        ),
        Example(
            "import pytest\nfrom unittest.mock import AsyncMock\n\n\n@pytest.mark.asyncio\nasync def test_mock():\n"
            "    m = AsyncMock()\n    m()\n    m.assert_awaited_once()\n",
            expected_fix=(
                "import pytest\nfrom unittest.mock import AsyncMock\n\n\n@pytest.mark.asyncio\n"
                "async def test_mock():\n    m = AsyncMock()\n    await m()\n    m.assert_awaited_once()\n"
            ),
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        for item in self.ctx.awaits().unawaited:
            if not item.is_async or item.use is not Use.DROPPED:
                continue
            self.report(item.call, item.describe(self.ctx.line_of), fix=await_fix(item))
