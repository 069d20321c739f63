"""Plain functions that return an awaitable made by asyncio when an event loop is running, and say so with an
explicit check (`service.drain()` that waits itself in sync code and returns `asyncio.wrap_future(...)` in async
code): dropped in an async test they are reported, and never in a sync one, nor when the check or what is
returned is not known for what it is."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import textwrap
from pathlib import Path

import pytest

from asynclint.diagnostics import Diagnostic
from tests.helpers import run, write_project

CONFIG = {
    "pytest.ini": "[pytest]\npythonpath = src\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
HELPERS = """\
import asyncio
import concurrent.futures


def current_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def is_ready():
    return True


def submitted():
    future = concurrent.futures.Future()
    future.set_result(1)
    return future
"""


def lint(root: Path) -> list[Diagnostic]:
    return run([root], cwd=root, select=["AIO201", "AIO202", "AIO203"], no_cache=True).diagnostics


def project(root: Path, function: str) -> Path:
    """`src/app/work.py` defining `work()`, and a sync and an async test dropping its result."""
    return write_project(
        root,
        {
            **CONFIG,
            "src/app/__init__.py": "",
            "src/app/helpers.py": HELPERS,
            "src/app/work.py": "import asyncio\n\nfrom app.helpers import current_loop, is_ready, submitted\n\n\n"
            + textwrap.dedent(function),
            "tests/test_work.py": "import pytest\n\nfrom app.work import work\n\n\n"
            "def test_sync():\n    work()\n\n\n@pytest.mark.asyncio\nasync def test_async():\n    work()\n",
        },
    )


REPORTED = [
    # The project's own loop getter, the `is not None` test, the awaitable returned in the branch.
    """\
    def work():
        future = submitted()
        if current_loop() is not None:
            return asyncio.wrap_future(future)
        return future.result()
    """,
    # The standard library's optional check, stored first; the sync path ends the `if`.
    """\
    def work():
        loop = asyncio._get_running_loop()
        if loop is None:
            return submitted().result()
        return asyncio.ensure_future(asyncio.sleep(0))
    """,
    # `not check()`, and both sides of a conditional expression awaitable.
    """\
    def work(items=()):
        if not current_loop():
            return None
        return asyncio.gather(*items) if items else asyncio.sleep(0)
    """,
]
NOT_REPORTED = [
    # The check is not about an event loop.
    """\
    def work():
        if is_ready():
            return asyncio.wrap_future(submitted())
        return None
    """,
    # It decides on something else first.
    """\
    def work(flag=False):
        if flag:
            return None
        if current_loop() is not None:
            return asyncio.wrap_future(submitted())
        return None
    """,
    # What it returns when a loop runs is not known to be awaitable.
    """\
    def work():
        if current_loop() is not None:
            return submitted()
        return submitted().result()
    """,
    # A `wrap_future` that is not asyncio's.
    """\
    import mylib as asyncio


    def work():
        if current_loop() is not None:
            return asyncio.wrap_future(submitted())
        return None
    """,
]


@pytest.mark.parametrize("function", REPORTED)
def test_reported_in_async_tests_only(tmp_path: Path, function: str) -> None:
    root = project(tmp_path, function)
    found = lint(root)
    assert [(d.code, d.line) for d in found] == [("AIO201", 12)]
    assert "when an event loop is running (it checks" in found[0].message
    assert "a task or future would run unobserved" in found[0].message


@pytest.mark.parametrize("function", NOT_REPORTED)
def test_unknown_checks_and_results_keep_it_silent(tmp_path: Path, function: str) -> None:
    assert lint(project(tmp_path, function)) == []


@pytest.mark.parametrize("function", REPORTED)
def test_what_is_reported_is_awaitable_in_a_running_loop_and_not_outside(
    tmp_path: Path, function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model's claim, checked by calling the function: awaitable under a running loop, done without one."""
    root = project(tmp_path, function)
    monkeypatch.syspath_prepend(str(root / "src"))
    for name in [name for name in sys.modules if name == "app" or name.startswith("app.")]:
        monkeypatch.delitem(sys.modules, name)
    work = importlib.import_module("app.work").work
    assert not inspect.isawaitable(work())

    async def in_loop() -> bool:
        result = work()
        awaitable = inspect.isawaitable(result)
        await result
        return awaitable

    assert asyncio.run(in_loop())
    for name in [name for name in sys.modules if name == "app" or name.startswith("app.")]:
        del sys.modules[name]
