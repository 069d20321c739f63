"""The reader: what facts it takes from a module's source, statically."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from asynclint.model.facts import UNKNOWN, DecoratorKind, FixtureDecorator, ModuleSummary
from asynclint.model.reader import read_module


def read(source: str) -> ModuleSummary:
    summary, _ = read_module(cst.parse_module(textwrap.dedent(source)), "test_x.py")
    return summary


def function(summary: ModuleSummary, qualname: str):  # type: ignore[no-untyped-def]
    return next(f for f in summary.functions if f.qualname == qualname)


def test_import_aliases_resolve() -> None:
    summary = read(
        """
        import pytest as pt
        from pytest import mark as m
        import unittest.mock
        from .helpers import retry
        from ..base import Case
        try:
            import trio
        except ImportError:
            trio = None
        """
    )
    imports = summary.imports
    assert imports.resolve("pt.mark.asyncio") == "pytest.mark.asyncio"
    assert imports.resolve("m.asyncio") == "pytest.mark.asyncio"
    assert imports.resolve("unittest.mock.patch") == "unittest.mock.patch"
    assert imports.resolve("retry") == ".helpers.retry"
    assert imports.resolve("Case") == "..base.Case"
    assert imports.resolve("trio.sleep") is None  # bound two ways
    assert imports.resolve("undefined") is None


def test_star_import_makes_unbound_names_unknown() -> None:
    assert read("from pytest import *\n").imports.resolve("mark") is None


def test_marks_at_every_level() -> None:
    summary = read(
        """
        import pytest
        asyncio_mark = pytest.mark.asyncio
        pytestmark = [pytest.mark.slow, asyncio_mark]

        @pytest.mark.asyncio(loop_scope="module")
        class TestA:
            pytestmark = pytest.mark.anyio

            @asyncio_mark
            @pytest.mark.parametrize("x", [1, 2])
            async def test_x(self, x):
                pass
        """
    )
    assert [m.name for m in summary.module_marks.marks] == ["slow", "asyncio"]
    assert summary.module_marks.unknown is None
    klass = summary.classes[0]
    assert [m.name for m in klass.marks.marks] == ["asyncio", "anyio"]
    assert klass.marks.marks[0].kwarg("loop_scope") == "module"
    test = function(summary, "TestA.test_x")
    assert [m.name for m in test.marks.marks] == ["asyncio", "parametrize"]
    assert test.argnames == ("x",)
    assert summary.applies_asyncio_mark
    assert not summary.uses_pytest_asyncio  # marks alone: pytest_asyncio is not imported


def test_unreadable_pytestmark_is_unknown() -> None:
    assert read("import pytest\npytestmark = make_marks()\n").module_marks.unknown
    assert read("import pytest\npytestmark = [pytest.mark.a]\npytestmark += [pytest.mark.b]\n").module_marks.unknown
    assert read("import pytest\npytestmark = []\npytestmark.append(pytest.mark.b)\n").module_marks.unknown
    assert read("from marks import m\npytestmark = m\n").module_marks.unknown


def test_decorator_kinds() -> None:
    summary = read(
        """
        import pytest, pytest_asyncio
        from hypothesis import given
        from unittest.mock import patch
        from helpers import retry

        @given(x=1)
        @patch("os.getcwd")
        @retry
        async def test_x(cwd, x, request):
            pass
        """
    )
    kinds = [d.kind for d in function(summary, "test_x").decorators]
    assert kinds == [DecoratorKind.TRANSPARENT, DecoratorKind.TRANSPARENT, DecoratorKind.UNKNOWN]
    # `mock.patch` fills the first argument and `@given(x=...)` the keyword one: only `request` is a fixture
    assert function(summary, "test_x").argnames == ("request",)


def test_fixtures() -> None:
    summary = read(
        """
        import pytest, pytest_asyncio

        @pytest.fixture(scope="session", autouse=True, name="db")
        async def make_db(tmp_path):
            yield 1

        @pytest_asyncio.fixture(loop_scope="module")
        async def client(db, request):
            return request.getfixturevalue("other")

        @pytest.fixture("module")
        def legacy():
            return 1

        class TestX:
            @pytest.fixture
            def method_fixture(self, db):
                return db
        """
    )
    by_name = {f.name: f for f in summary.fixtures}
    db = by_name["db"]
    assert (db.function, db.scope, db.autouse, db.is_async, db.is_generator) == ("make_db", "session", True, True, True)
    assert db.requests == ("tmp_path",)
    client = by_name["client"]
    assert client.decorator is FixtureDecorator.PYTEST_ASYNCIO and client.loop_scope == "module"
    assert client.dynamic_requests and not client.is_generator
    assert by_name["legacy"].scope == "module"
    assert by_name["method_fixture"].class_qualname == "TestX" and by_name["method_fixture"].requests == ("db",)


def test_generator_only_counts_the_own_body() -> None:
    summary = read(
        """
        async def test_a():
            def inner():
                yield 1
            lambda: (yield)
        async def test_b():
            x = yield
        """
    )
    assert not function(summary, "test_a").is_generator
    assert function(summary, "test_b").is_generator


def test_hooks_are_judged_by_code_not_comments() -> None:
    summary = read(
        """
        def pytest_collection_modifyitems(items):
            # skips slow async tests
            for item in items:
                item.add_marker("skip")

        def pytest_itemcollected(item):
            if is_async_test(item):
                pass

        def pytest_pyfunc_call(pyfuncitem):
            return None
        """
    )
    hooks = {h.name: h.mentions_async for h in summary.hooks}
    assert hooks == {"pytest_collection_modifyitems": False, "pytest_itemcollected": True, "pytest_pyfunc_call": True}


def test_plugins_markers_and_collect_flag() -> None:
    summary = read(
        """
        pytest_plugins = ["tests.fixtures", "aiohttp.pytest_plugin"]
        __test__ = False

        def pytest_configure(config):
            config.addinivalue_line("markers", "slow: slow tests")
            config.addinivalue_line("markers", "network(host): needs a host")
        """
    )
    assert summary.pytest_plugins == ("tests.fixtures", "aiohttp.pytest_plugin")
    assert summary.collect_flag is False
    assert summary.registered_markers == ("slow", "network")
    assert read("pytest_plugins = PLUGINS\n").pytest_plugins is UNKNOWN


def test_definitions_inside_if_blocks_are_module_level() -> None:
    summary = read(
        """
        import sys
        if sys.version_info >= (3, 11):
            async def test_new(): pass
        else:
            async def test_old(): pass
        """
    )
    assert {f.name for f in summary.functions} == {"test_new", "test_old"}


def test_hooks_that_define_or_use_async_code_count_as_async() -> None:
    summary = read(
        """
        def pytest_collection_modifyitems(items):
            async def run(item):
                pass

        def pytest_itemcollected(item):
            with_values = [x async for x in item.values()]

        def pytest_runtest_setup(item):
            item.ok = True
        """
    )
    hooks = {h.name: h.mentions_async for h in summary.hooks}
    assert hooks == {"pytest_collection_modifyitems": True, "pytest_itemcollected": True, "pytest_runtest_setup": False}


@pytest.mark.parametrize(
    ("body", "async_only"),
    [
        (
            "if not inspect.iscoroutinefunction(fixturedef.func): return\n    fixturedef.func = run(fixturedef.func)",
            True,
        ),
        (
            '"""Run coroutine fixtures."""\n    func = fixturedef.func\n'
            "    if isasyncgenfunction(func):\n        gen = True\n"
            "    elif asyncio.iscoroutinefunction(func):\n        gen = False\n"
            "    else:\n        return\n    fixturedef.func = wrap(func, gen)",
            True,
        ),
        # Something happens to every fixture first, or plain ones are not left alone.
        ("fixturedef.func = wrap(fixturedef.func)\n    if not iscoroutinefunction(fixturedef.func): return", False),
        ("if iscoroutinefunction(fixturedef.func):\n        fixturedef.func = run(fixturedef.func)", False),
        ("if not iscoroutinefunction(fixturedef.func):\n        return replace(fixturedef)", False),
        ("if fixturedef.argname == 'db':\n        return\n    fixturedef.func = wrap(fixturedef.func)", False),
        (
            "if isasyncgenfunction(fixturedef.func):\n        pass\n    elif fixturedef.argname == 'x':\n        pass\n"
            "    else:\n        return",
            False,
        ),
    ],
)
def test_fixture_setup_hooks_that_leave_plain_fixtures_alone(body: str, async_only: bool) -> None:
    summary = read(f"def pytest_fixture_setup(fixturedef):\n    {body}\n")
    assert [hook.async_fixtures_only for hook in summary.hooks] == [async_only]
