"""AIO605: version-gated-api."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.model.facts import DecoratorKind, FixtureDecorator, Function
from asynclint.model.loops import caching_scope
from asynclint.rule import ConfigContext, ConfigFinding, Example, Rule

_HEAD = "import pytest\nimport pytest_asyncio\n\n\n"
_OLD = {"requirements-dev.txt": "pytest==8.0.2\npytest-asyncio==0.23.8\n"}


class VersionGatedApi(Rule):
    """
    ## What it does
    Finds pytest-asyncio APIs that the project's pinned version does not have, or has deprecated:
    `loop_scope=` on `pytest_asyncio.fixture` or on the `asyncio` mark before 0.24, `loop_factories=` on the
    mark before 1.4, and class-scoped `pytest_asyncio` fixtures written as methods (deprecated with pytest 9.1).
    In the config file: `asyncio_mode` (and `--asyncio-mode` in `addopts`) before 0.17,
    `asyncio_default_fixture_loop_scope` before 0.24, `asyncio_default_test_loop_scope` before 0.26,
    `asyncio_debug` before 1.2, and the `fixture-scope` value before 1.5.

    ## Why is this bad?
    Before 0.24, `loop_scope=` on a fixture is a `TypeError` when the module is imported (a collection error),
    and on the mark it is silently ignored, so the test does not run in the loop it asks for. From pytest 9.1,
    pytest-asyncio warns that class-scoped fixture methods are deprecated ("Instance attributes set in the
    fixture will NOT be visible to test methods").

    ## Example
    ```python
    # requirements: pytest-asyncio==0.23.8
    @pytest_asyncio.fixture(loop_scope="module")
    async def client():
        ...
    ```

    Use instead: upgrade pytest-asyncio to 0.24 or later, or (on 0.23) `scope="module"`, which also sets the
    fixture's loop.

    ## Fix safety
    No automatic fix: either the code or the pinned version has to change.
    """

    code = "AIO605"
    name = "version-gated-api"
    finds = (
        "an API or option the pinned pytest-asyncio lacks or deprecates: `loop_scope=` before 0.24, "
        "`loop_factories=` before 1.4, class-scoped fixture methods with pytest 9.1; config options before their "
        "release, `fixture-scope` before 1.5"
    )
    fix_availability = FixAvailability.NONE
    triggers = ("loop_scope", "loop_factories", "class'", 'class"')
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest_asyncio.fixture(loop_scope='module')\nasync def client():\n    pass\n"),
        Example(f"{_HEAD}@pytest_asyncio.fixture(scope='module')\nasync def client():\n    pass\n", files=_OLD),
    )
    invalid = (
        Example(
            "[pytest]\nasyncio_default_test_loop_scope = module\n",
            files={
                **_OLD,
                "test_example.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n",
            },
            filename="pytest.ini",
        ),
        Example(f"{_HEAD}@pytest_asyncio.fixture(loop_scope='module')\nasync def client():\n    pass\n", files=_OLD),
        Example(f"{_HEAD}@pytest.mark.asyncio(loop_scope='module')\nasync def test_a():\n    pass\n", files=_OLD),
        Example(
            f"{_HEAD}class TestA:\n    @pytest_asyncio.fixture(scope='class')\n    async def client(self):\n"
            "        pass\n\n    async def test_a(self, client):\n        pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or self.model.asyncio_evidence is None:
            return
        versions = self.model.versions
        fixture = function.fixture
        if fixture is not None and fixture.decorator is FixtureDecorator.PYTEST_ASYNCIO:
            if fixture.loop_scope is not None and versions.at_least("pytest-asyncio", "0.24") is False:
                message = (
                    "`loop_scope=` on `pytest_asyncio.fixture` needs pytest-asyncio 0.24; on the pinned "
                    f"{self._asyncio()} it is a TypeError when the module is imported, so collection fails"
                )
                self.report(self._fixture_decorator(function) or node.name, message)
            if (
                fixture.class_qualname is not None
                and caching_scope(fixture) == "class"
                and versions.at_least("pytest", "9.1") is not False
            ):
                message = (
                    f"class-scoped fixture `{fixture.name}` is a method: with pytest 9.1 and later pytest-asyncio "
                    'warns "Class-scoped fixtures defined as instance methods are deprecated" (attributes it sets '
                    "on `self` are not seen by the tests); define it at module level"
                )
                self.report_function(node, message)
        for mark in function.marks.named("asyncio"):
            if mark.kwarg("loop_scope") is not None and versions.at_least("pytest-asyncio", "0.24") is False:
                message = (
                    f"`loop_scope=` on the asyncio mark needs pytest-asyncio 0.24; the pinned {self._asyncio()} "
                    "ignores it, so the test runs in another loop than it asks for"
                )
                self.report(self.ctx.node(mark.key), message)
            if mark.kwarg("loop_factories") is not None and versions.at_least("pytest-asyncio", "1.4") is False:
                message = f"`loop_factories=` on the asyncio mark needs pytest-asyncio 1.4 (pinned: {self._asyncio()})"
                self.report(self.ctx.node(mark.key), message)

    def visit_Module(self, node: cst.Module) -> None:
        if self.model.asyncio_evidence is None or self.model.versions.at_least("pytest-asyncio", "0.24") is not False:
            return
        summary = self.model.summary
        for mark_set in (summary.module_marks, *(c.marks for c in summary.classes)):
            for mark in mark_set.named("asyncio"):
                if mark.kwarg("loop_scope") is not None:
                    message = (
                        f"`loop_scope=` on the asyncio mark needs pytest-asyncio 0.24; the pinned {self._asyncio()} "
                        "ignores it, so the tests run in other loops than they ask for"
                    )
                    self.report(self.ctx.node(mark.key), message)

    def _asyncio(self) -> str:
        package = self.model.versions.get("pytest-asyncio")
        return f"pytest-asyncio {package.describe()}" if package else "pytest-asyncio"

    def _fixture_decorator(self, function: Function) -> cst.CSTNode | None:
        for decorator in function.decorators:
            if decorator.kind is DecoratorKind.FIXTURE:
                return self.ctx.node(decorator.key)
        return None

    #: Config options and the pytest-asyncio release that introduced them.
    OPTIONS = (
        ("asyncio_mode", "0.17"),
        ("asyncio_default_fixture_loop_scope", "0.24"),
        ("asyncio_default_test_loop_scope", "0.26"),
        ("asyncio_debug", "1.2"),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        """Options the pinned pytest-asyncio does not know, and values it does not accept yet."""
        versions = ctx.versions
        package = versions.get("pytest-asyncio")
        if package is None or not ctx.uses_pytest_asyncio:
            return
        pinned = f"pytest-asyncio {package.describe()}"
        for key, since in cls.OPTIONS:
            if key in ctx.config.values and versions.at_least("pytest-asyncio", since) is False:
                line = ctx.line_of(key)
                message = (
                    f"`{key}` needs pytest-asyncio {since}; the pinned {pinned} does not know it: pytest warns "
                    '"Unknown config option" and the setting does nothing'
                )
                yield ConfigFinding(line, ctx.column_of(line, key), message)
        if versions.at_least("pytest-asyncio", "0.17") is False and any(
            arg == "--asyncio-mode" or arg.startswith("--asyncio-mode=") for arg in ctx.config.get_args("addopts")
        ):
            line = ctx.line_of("addopts")
            message = (
                f"`--asyncio-mode` in `addopts` needs pytest-asyncio 0.17; the pinned {pinned} does not have the "
                "option, so pytest stops with a usage error"
            )
            yield ConfigFinding(line, ctx.column_of(line, "--asyncio-mode"), message)
        key = "asyncio_default_fixture_loop_scope"
        if ctx.config.get_str(key) == "fixture-scope" and versions.at_least("pytest-asyncio", "1.5") is False:
            line = ctx.line_of(key)
            message = (
                f"`{key} = fixture-scope` needs pytest-asyncio 1.5; the pinned {pinned} rejects it at startup "
                "(1.2 to 1.4) or passes it on as an invalid scope (before 1.2)"
            )
            yield ConfigFinding(line, ctx.column_of(line, "fixture-scope"), message)
