"""AIO404: event-loop-fixture-override."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from asynclint.analysis.async_fixtures import value_used
from asynclint.diagnostics import FixAvailability
from asynclint.model.loops import AsyncioVersion, Era, asyncio_version, caching_scope
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\n\n\n"
_LOOP = "def event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"


def replacement(scope: str | None, version: AsyncioVersion, config: str) -> str:
    """What reproduces an `event_loop` override of `scope` on the project's pytest-asyncio."""
    if scope is None:
        return "give tests and async fixtures the loop scope they need (`loop_scope` on marks and fixtures)"
    if scope == "function":
        return "it only recreates the default function-scoped loop: delete it"
    if version.era is Era.CACHING_SCOPE:
        return (
            f'to keep one {scope} loop, mark the tests `@pytest.mark.asyncio(scope="{scope}")` and give the async '
            f'fixtures `scope="{scope}"`, then delete it'
        )
    tests = (
        f"`asyncio_default_test_loop_scope = {scope}`"
        if version.newer_than_or_unknown("0.26")
        else f'`pytestmark = pytest.mark.asyncio(loop_scope="{scope}")` in the test modules'
    )
    return (
        f"to keep one {scope} loop for everything, set `asyncio_default_fixture_loop_scope = {scope}` and "
        f"{tests} in {config}, then delete it"
    )


class EventLoopFixtureOverride(Rule):
    """
    ## What it does
    Finds user-defined `event_loop` fixtures: the pytest-asyncio 0.21 recipe for sharing one loop between
    tests and scoped async fixtures. Not reported when the project pins pytest-asyncio 0.21 or earlier, where
    it is the documented way, nor on 1.0 and later when tests request it by name (pytest-asyncio's own is gone,
    so it is an ordinary fixture of the project).

    ## Why is this bad?
    pytest-asyncio 0.23 deprecated overriding `event_loop` and runs scoped async fixtures in loops of their
    own, so tests fail with "attached to a different loop". From 1.0 the fixture is silently ignored. The
    message says which config keys or marks reproduce what the override did, following pytest-asyncio's
    migration guide: `asyncio_default_fixture_loop_scope` and `asyncio_default_test_loop_scope` (0.26 and
    later) set to the override's scope.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()
    ```

    Use instead (pytest.ini):
    ```ini
    [pytest]
    asyncio_default_fixture_loop_scope = session
    asyncio_default_test_loop_scope = session
    ```

    ## Fix safety
    No automatic fix: the replacement touches the config file and every module that relied on the shared loop.
    """

    code = "AIO404"
    name = "event-loop-fixture-override"
    fix_availability = FixAvailability.NONE
    triggers = ("event_loop",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.fixture\ndef loop():\n    pass\n"),
        Example(
            f"{_HEAD}@pytest.fixture(scope='session')\n{_LOOP}",
            files={"requirements-dev.txt": "pytest==7.4.4\npytest-asyncio==0.21.2\n"},
        ),
    )
    invalid = (
        Example(f"{_HEAD}@pytest.fixture(scope='session')\n{_LOOP}", filename="conftest.py"),
        Example(f"{_HEAD}@pytest.fixture\n{_LOOP}"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if fixture is None or fixture.name != "event_loop":
            return
        if self.model.asyncio_evidence is None:
            return
        version = asyncio_version(self.model.versions)
        if version.era is Era.EVENT_LOOP:
            return
        if version.at_least("1.0") is not False and any(
            value_used(c.test, fixture) for c in self.model.consumers.of(fixture, self.model)
        ):
            return  # tests ask for it by name: with pytest-asyncio's own gone, it is an ordinary fixture
        newest = version.at_least("1.0")
        if newest is None:
            outcome = (
                "pytest-asyncio 1.0 and later ignore it without a warning, and 0.23 to 0.26 deprecate it; on "
                "both, async fixtures run in pytest-asyncio's own loops (tests using scoped ones fail with "
                '"attached to a different loop")'
            )
        elif newest is False:
            outcome = (
                f"{version.described} deprecates overriding it, and runs scoped async fixtures in loops of "
                'their own (tests using them fail with "attached to a different loop")'
            )
        else:
            outcome = (
                f"{version.described} ignores it without a warning: tests and async fixtures run in "
                "pytest-asyncio's own loops"
            )
        config = self.model.settings.config
        shown = Path(config.path).name if config.path else "pytest.ini"
        advice = replacement(caching_scope(fixture), version, shown)
        custom = ""
        if "policy" in self.ctx.module.code_for_node(node).lower() or "uvloop" in self.ctx.module.code_for_node(node):
            hook = (
                "the `pytest_asyncio_loop_factories` hook"
                if version.newer_than_or_unknown("1.4")
                else "an `event_loop_policy` fixture"
            )
            custom = f"; for a custom loop, use {hook}"
        self.report_function(node, f"the `event_loop` fixture override: {outcome}; {advice}{custom}")
