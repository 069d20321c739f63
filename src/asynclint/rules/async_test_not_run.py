"""AIO101: async-test-not-run."""

from __future__ import annotations

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import add_decorator, pytest_mark_prefix
from asynclint.model.collection import Owner, TestItem
from asynclint.rule import Example, Rule

_ANYIO = {"requirements-dev.txt": "pytest==9.2.0\nanyio==4.16.0\n"}
_ONE_BACKEND = "import pytest\n\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n"
#: A lock file listing every package of the project: pytest and its own dependencies, no async plugin.
_LOCK = (
    'version = 1\n\n[[package]]\nname = "pytest"\nversion = "9.2.0"\n\n'
    '[[package]]\nname = "pluggy"\nversion = "1.6.0"\n'
)


class AsyncTestNotRun(Rule):
    """
    ## What it does
    Finds `async def` tests that no plugin runs. With pytest-asyncio in strict mode (its default from 0.19):
    tests with no `asyncio` mark at any level (function, class, class or module `pytestmark`); legacy mode (the
    default of 0.17 and 0.18) and releases before 0.17 also run only marked tests. Where pytest-asyncio is not in
    use: tests that none of the plugins present is asked to run, such as anyio's (it runs only tests marked
    `anyio` or using `anyio_backend`, unless `anyio_mode = auto`) or pytest-trio's (`trio` marks), and, where the
    project's lock file or environment lists every package it has, coroutine tests in a project with no such
    plugin at all.

    ## Why is this bad?
    A coroutine test no plugin runs is left to pytest, which cannot run it: pytest 8.3 and earlier skip it with a
    warning, pytest 8.4 and later fail it with "async def functions are not natively supported". Either way its
    body never runs. Tests run by anyio, pytest-trio or unittest, tests under an unknown decorator, projects in
    auto mode, and projects where a hook (`pytest_pyfunc_call` in a conftest, a `-p` plugin or a
    `pytest_plugins` module) or a plugin asynclint does not know may run them are not reported. A test whose
    misspelled `asyncio` mark AIO105 reports is left to AIO105.

    ## Example
    ```python
    async def test_fetch():
        assert await fetch() == 1
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        assert await fetch() == 1
    ```

    ## Fix safety
    With pytest-asyncio: safe, adds `@pytest.mark.asyncio` (spelled as the module already imports pytest, or
    with a new `import pytest`); the only effect is that pytest-asyncio runs the test. Where anyio is the only
    such plugin: adds `@pytest.mark.anyio`, safe when the project's own `anyio_backend` fixture names one backend
    (no `params`, `return "asyncio"`): the test then runs as the project's other anyio tests do. Otherwise
    unsafe: anyio's own `anyio_backend` runs the test on every backend, on trio too where trio is installed
    (asyncio code fails there), and before anyio 4.12 on trio even where it is missing (an error). No fix where
    no plugin is installed, or where the plugins present need marks of their own (`trio`, `gen_test`).
    """

    code = "AIO101"
    name = "async-test-not-run"
    finds = (
        "an `async def` test no plugin runs: pytest-asyncio in strict (or legacy) mode and no `asyncio` mark at "
        "any level; no `anyio` mark or `anyio_backend` where anyio is the plugin; no plugin installed at all"
    )
    fix_summary = "safe (`asyncio` mark); `anyio` mark safe when the project's `anyio_backend` names one backend"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example("import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_fetch():\n    pass\n"),
        Example("async def test_fetch():\n    pass\n", files={"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}),
        Example("import pytest\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n"),
        Example(
            "import unittest\n\nclass TestCase(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_fetch(self):\n        pass\n"
        ),
        Example("from helpers import retry\n\n@retry\nasync def test_fetch():\n    pass\n"),
        Example("async def test_fetch(anyio_backend):\n    pass\n", files=_ANYIO),
        Example("async def test_fetch():\n    pass\n", files={"requirements-dev.txt": "pytest==9.2.0\n"}),
        Example(
            "async def test_fetch():\n    pass\n",
            files={
                **_ANYIO,
                "conftest.py": "import inspect\n\n\ndef pytest_pyfunc_call(pyfuncitem):\n"
                "    if inspect.iscoroutinefunction(pyfuncitem.obj):\n        run(pyfuncitem)\n        return True\n",
            },
        ),
    )
    invalid = (
        Example(
            "import pytest\n\n\nasync def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
            line=4,
            message="has no asyncio mark and pytest-asyncio is in strict mode",
        ),
        Example(
            "async def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest as pt\n\nclass TestClient:\n    async def test_get(self):\n        pass\n",
            expected_fix=(
                "import pytest as pt\n\nclass TestClient:\n    @pt.mark.asyncio\n"
                "    async def test_get(self):\n        pass\n"
            ),
        ),
        Example(
            "import pytest\n\n\nasync def test_fetch():\n    pass\n",
            files={**_ANYIO, "conftest.py": _ONE_BACKEND},
            expected_fix="import pytest\n\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest\n\n\nasync def test_fetch():\n    pass\n",
            files=_ANYIO,
            expected_fix="import pytest\n\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n",
            unsafe_fixes=True,
        ),
        Example(
            "async def test_fetch():\n    pass\n",
            files={"requirements-dev.txt": "", "uv.lock": _LOCK},
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or test.function.is_generator:
            return  # async generators are AIO103's: a mark would not make them run
        if test.misspelled_asyncio_marks and not self.model.settings.asyncio_plugin_disabled:
            return  # AIO105 reports the misspelled mark, and its fix gives the test the mark it lacks
        if test.owner is Owner.PYTEST_ASYNCIO and not test.asyncio_marks:
            self._not_run_by_pytest_asyncio(node, test)
        elif test.owner is Owner.NOBODY:
            self._run_by_nobody(node, test)

    def _not_run_by_pytest_asyncio(self, node: cst.FunctionDef, test: TestItem) -> None:
        settings = self.model.settings
        if not settings.marks_needed:
            return  # auto mode runs every coroutine test; an unknown mode says nothing
        if settings.asyncio_mode == "strict":
            mode = f"pytest-asyncio is in strict mode ({settings.mode_reason})"
        else:
            mode = f"pytest-asyncio runs only marked tests in legacy mode ({settings.mode_reason})"
        message = (
            f"async test `{test.function.name}` has no asyncio mark and {mode}: "
            f"{runtime.unmarked_async_test(self.model.versions)}"
        )
        self.report_function(node, message, fix=self._fix(node, "asyncio", Applicability.SAFE))

    def _run_by_nobody(self, node: cst.FunctionDef, test: TestItem) -> None:
        unclaimed = self.model.unclaimed
        if unclaimed is None:
            return
        message = (
            f"async test `{test.function.name}` is run by no plugin: {unclaimed.reason}: "
            f"{runtime.unmarked_async_test(self.model.versions)}"
        )
        fix = None
        if unclaimed.only("anyio"):
            safe = self._single_backend(test) is not None
            fix = self._fix(node, "anyio", Applicability.SAFE if safe else Applicability.UNSAFE)
        self.report_function(node, message, fix=fix)

    def _single_backend(self, test: TestItem) -> str | None:
        """The one backend the project's `anyio_backend` fixture names for this test (`return "asyncio"`, no
        `params`), or None: anyio's own fixture, parametrized over every backend, or one asynclint cannot read."""
        if self.model.fixtures.unreadable is not None:
            return None
        class_fixtures = [fixture for facts in test.classes for fixture in facts.fixtures]
        definitions = self.model.fixtures.definitions("anyio_backend", class_fixtures)
        if not definitions:
            return None
        nearest = definitions[0]
        if nearest.params is not None or nearest.is_async or nearest.is_generator or nearest.requests:
            return None
        return nearest.returns if isinstance(nearest.returns, str) else None

    def _fix(self, node: cst.FunctionDef, mark: str, applicability: Applicability) -> NodeFix | None:
        spelling = pytest_mark_prefix(self.model.summary.imports)
        if spelling is None:
            return None
        prefix, request = spelling
        new = add_decorator(node, f"{prefix}.{mark}", self.ctx.module.config_for_parsing)
        return NodeFix(
            title=f"Add `@pytest.mark.{mark}`",
            applicability=applicability,
            replacements={node: new},
            imports=(request,) if request else (),
        )
