"""AIO404: event-loop-fixture-override."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from asynclint.analysis.async_fixtures import value_used
from asynclint.analysis.syntax import all_names
from asynclint.config_edits import set_pytest_keys
from asynclint.diagnostics import Applicability, FileWrite, FixAvailability, NodeFix
from asynclint.files import discover
from asynclint.model.loops import AsyncioVersion, Era, asyncio_version, caching_scope
from asynclint.rule import Example, Rule
from asynclint.walk import descendants

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
    so it is an ordinary fixture of the project), nor where pytest-asyncio is not known to be in use or another
    plugin the project depends on defines `event_loop` (aiomisc-pytest's): the override is then that plugin's concern.

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
    Safe for a function-scoped override that only creates a new default loop, yields it and closes it: from
    pytest-asyncio 0.23 on it reproduces what pytest-asyncio does anyway (and from 1.0 it is ignored), so the
    fix deletes it. Unsafe for such an override with a wider scope in a conftest that covers the whole suite,
    on pytest-asyncio 0.26 or later: the fix performs the migration, writing
    `asyncio_default_fixture_loop_scope` and `asyncio_default_test_loop_scope` set to that scope into the
    config file pytest reads (every other byte of it kept) and deleting the fixture, so tests and async
    fixtures share one loop again. Unsafe because marks and fixtures with their own `loop_scope`, and
    conftests further down, may have relied on the old override differently.
    """

    code = "AIO404"
    name = "event-loop-fixture-override"
    finds = (
        "a user-defined `event_loop` fixture (deprecated in 0.23, ignored from 1.0), with the config keys that "
        "replace it"
    )
    fix_summary = (
        "safe (function-scoped plain recipe: delete); unsafe (wider one covering the suite, >= 0.26: config keys + "
        "delete)"
    )
    fix_availability = FixAvailability.SOMETIMES
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
        Example(
            f"{_HEAD}@pytest.fixture\n{_LOOP}\n\ndef test_a():\n    pass\n",
            expected_fix="def test_a():\n    pass\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if fixture is None or fixture.name != "event_loop":
            return
        if self.model.asyncio_evidence is None or self.model.directory.environment.event_loop_plugin is not None:
            return  # not pytest-asyncio's fixture it overrides (another plugin's, or a fixture of the project's)
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
        fix = None
        scope = caching_scope(fixture)
        if scope == "function" and not custom and _plain_recipe(node):
            fix = NodeFix("Delete the `event_loop` fixture", Applicability.SAFE, {node: cst.RemovalSentinel.REMOVE})
        elif scope is not None and not custom and _plain_recipe(node):
            fix = self._migration(node, scope, version)
        self.report_function(node, f"the `event_loop` fixture override: {outcome}; {advice}{custom}", fix=fix)

    def _migration(self, node: cst.FunctionDef, scope: str, version: AsyncioVersion) -> NodeFix | None:
        """Move a wider override into the config: both default loop scopes set to its scope, the fixture gone.

        Only for an override in a conftest that covers the whole suite (holding every `testpaths` entry, or
        every test module under the rootdir), since the config keys apply to every test; and only where
        `asyncio_default_test_loop_scope` exists (0.26 and later).
        """
        config = self.model.settings.config
        if not self.model.is_conftest or config.path is None or config.problem is not None or config.section is None:
            return None
        if not version.newer_than_or_unknown("0.26"):
            return None
        here = self.ctx.path.resolve().parent
        rootdir = Path(config.rootdir).resolve()
        testpaths = [(rootdir / entry).resolve() for entry in config.get_args("testpaths")]
        if testpaths:
            covers = all(p == here or here in p.parents for p in testpaths)
        else:
            covers = here == rootdir or not any(
                here not in path.resolve().parents and self.model.settings.is_test_module(path)
                for path in discover([rootdir])
            )
        if not covers:
            return None
        wanted = ("asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope")
        # A value the user wrote is kept when it says the same; one that says otherwise is replaced, and the
        # fix's title says so.
        written = {key: config.get_str(key) for key in wanted if config.get_str(key) is not None}
        keys = {key: scope for key in wanted if written.get(key) != scope}
        if not keys:
            title = f"Delete the `event_loop` fixture ({Path(config.path).name} already sets both loop scopes)"
            return NodeFix(title, Applicability.UNSAFE, {node: cst.RemovalSentinel.REMOVE})
        edited = set_pytest_keys(Path(config.path), config.section, keys)
        if edited is None:
            return None
        replaced = [f"`{key} = {value}`" for key, value in written.items() if value != scope]
        instead = f" (replacing {' and '.join(replaced)}, written there)" if replaced else ""
        return NodeFix(
            f"Move the {scope} loop into {Path(config.path).name}{instead} and delete the `event_loop` fixture",
            Applicability.UNSAFE,
            {node: cst.RemovalSentinel.REMOVE},
            other_files=(FileWrite(config.path, *edited),),
        )


#: Every name the standard override recipe uses: a new loop, handed out, then closed.
_RECIPE_NAMES = frozenset(
    {
        "event_loop",
        "asyncio",
        "loop",
        "new_event_loop",
        "get_event_loop_policy",
        "close",
        "request",
        "pytest",
        "fixture",
        "Iterator",
        "Generator",
        "AbstractEventLoop",
        "None",
        "typing",
        "collections",
        "abc",
    }
)


def _plain_recipe(node: cst.FunctionDef) -> bool:
    """The override only creates a default loop, yields it and closes it: deleting it changes nothing from 0.23."""
    names = set(all_names(node.body)) | set(all_names(node.params))
    if node.returns is not None:
        names |= set(all_names(node.returns))
    if not names <= _RECIPE_NAMES or "new_event_loop" not in names:
        return False
    comments = [n for n in descendants(node) if isinstance(n, cst.Comment)]
    return not comments
