"""AIO401: fixture-loop-narrower-than-scope."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from asynclint import runtime
from asynclint.analysis.async_fixtures import runs_fixture
from asynclint.analysis.loop_mismatch import loop_mismatch
from asynclint.diagnostics import Applicability, FixAvailability, ImportRequest, NodeFix
from asynclint.edits import pytest_asyncio_fixture
from asynclint.model.collection import Owner, TestItem
from asynclint.model.facts import DecoratorKind, FixtureDef, Function
from asynclint.model.loops import (
    AsyncioVersion,
    Era,
    Loop,
    asyncio_version,
    caching_scope,
    closest_asyncio_mark,
    fixture_loop,
    gets_loop,
    loop_of_test,
    wider,
)
from asynclint.rule import Example, Rule
from asynclint.walk import descendants

_HEAD = "import asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"
_POOL = "\nasync def pool():\n    pass\n"
_SETTINGS = "\ndef settings():\n    return {}\n"
_READY = "\nasync def ready():\n    return asyncio.get_running_loop().create_future()\n\n\n"
_FUNCTION_DEFAULT = {"pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n"}


class FixtureLoopNarrowerThanScope(Rule):
    """
    ## What it does
    Finds async fixtures cached for longer than the event loop they run in: `scope="session"` with
    `loop_scope="function"`, or `asyncio_default_fixture_loop_scope = function` in the config and a wider
    `scope` on the fixture. On pytest-asyncio 0.21 and earlier (back to 0.10, which has no modes and runs
    every async fixture), any async fixture cached longer than the `event_loop` fixture (function-scoped
    unless the project overrides it). From 1.1, pytest-asyncio sets up a sync function under
    `@pytest_asyncio.fixture` with a loop too, so the same holds for it (1.0 and earlier leave it to pytest).

    ## Why is this bad?
    The fixture would outlive its loop, so pytest refuses to set it up: every test using it errors with
    `ScopeMismatch: You tried to access the function scoped fixture _function_scoped_runner with a session
    scoped request object` (`event_loop` on older releases).

    ## Example
    ```python
    # asyncio_default_fixture_loop_scope = function
    @pytest_asyncio.fixture(scope="session")
    async def pool():
        return await create_pool()
    ```

    Use instead:
    ```python
    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def pool():
        return await create_pool()
    ```

    ## Fix safety
    Safe when the project pins pytest-asyncio 0.24 or later (its lock, an `==` pin or a range starting at
    0.24; a version only its environment holds is not enough): sets `loop_scope` to the fixture's `scope`
    (a plain `@pytest.fixture` in auto mode becomes `@pytest_asyncio.fixture`, which takes `loop_scope`).
    The fixture could not be set up before, so nothing that worked changes. Unsafe when the version is not
    pinned (`loop_scope` is a TypeError before 0.24). No fix on 0.21 or 0.23.

    When the fixture's body ties its value to its loop (it hands out the loop, a future, task or streams of
    it), the tests using it from another loop would then fail with "attached to a different loop" (AIO402).
    When each of them is in the same file with its own `@pytest.mark.asyncio`, the fix gives those marks
    `loop_scope` too (unsafe: those tests then share the loop with each other), unless that would leave another
    of their fixtures in a loop its value cannot cross; otherwise there is no fix, and the message names them.
    """

    code = "AIO401"
    name = "fixture-loop-narrower-than-scope"
    finds = (
        "an async fixture (from 1.1 also a sync one under `@pytest_asyncio.fixture`) cached longer than its "
        "event loop lives (`loop_scope` or `asyncio_default_fixture_loop_scope` narrower than `scope`; up to "
        "0.21: wider than `event_loop`): `ScopeMismatch`"
    )
    fix_summary = "safe on pinned >= 0.24"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("scope",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest_asyncio.fixture(scope='session', loop_scope='session'){_POOL}"),
        Example(f"{_HEAD}@pytest_asyncio.fixture(scope='session'){_POOL}"),
        Example(f"{_HEAD}@pytest_asyncio.fixture(scope='function', loop_scope='module'){_POOL}"),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='module'){_SETTINGS}",
            files={**_FUNCTION_DEFAULT, "requirements-dev.txt": "pytest==8.4.2\npytest-asyncio==1.0.0\n"},
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='function'){_POOL}",
            expected_fix=f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='module'){_POOL}",
            line=8,
            message="is cached per module but runs in the function loop",
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session'){_POOL}",
            files={"pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n"},
            expected_fix=f"{_HEAD}@pytest_asyncio.fixture(scope='session', loop_scope='session'){_POOL}",
        ),
        Example(
            f"{_HEAD}@pytest.fixture(scope='session'){_POOL}",
            files={"pytest.ini": "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"},
            expected_fix=(
                "import asyncio\n\nimport pytest_asyncio\n\n\n"
                f"@pytest_asyncio.fixture(scope='session', loop_scope='session'){_POOL}"
            ),
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session'){_POOL}",
            files={"requirements-dev.txt": "pytest==7.4.4\npytest-asyncio==0.21.2\n"},
        ),
        # The value is tied to the fixture's loop: the tests using it move into that loop with it.
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='function'){_READY}"
            "@pytest.mark.asyncio\nasync def test_ready(ready):\n    await ready\n",
            expected_fix=(
                f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='module'){_READY}"
                "@pytest.mark.asyncio(loop_scope='module')\nasync def test_ready(ready):\n    await ready\n"
            ),
            unsafe_fixes=True,
        ),
        # A test that cannot be moved by its own mark (auto mode, no mark): no fix, and the message says why.
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='function'){_READY}"
            "async def test_ready(ready):\n    await ready\n",
            files={"pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
            message="with that alone, tests that use it in another loop (`test_ready`) would fail",
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='module'){_SETTINGS}",
            files={**_FUNCTION_DEFAULT, "requirements-dev.txt": "pytest==8.4.2\npytest-asyncio==1.1.1\n"},
            expected_fix=f"{_HEAD}@pytest_asyncio.fixture(scope='module', loop_scope='module'){_SETTINGS}",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if function is None or fixture is None or self.model.asyncio_evidence is None:
            return
        version = asyncio_version(self.model.versions)
        settings = self.model.settings
        if not gets_loop(fixture, settings, version):
            return
        scope = caching_scope(fixture)
        if scope is None or scope == "function":
            return
        if version.era is Era.EVENT_LOOP:
            self._event_loop_era(node, fixture, scope, version.described)
            return
        loop = fixture_loop(fixture, settings, version)
        if loop is None or not wider(scope, loop.scope):
            return
        versions = self.model.versions
        runner = runtime.runner_fixture(loop.scope, versions)
        mismatch = runtime.scope_mismatch(runner, loop.scope, scope, versions)
        if fixture.is_async:
            assumed = "" if version.known else f" ({version.described})"
            message = (
                f"async fixture `{fixture.name}` is cached per {scope} but runs in the {loop.scope} loop "
                f"({loop.reason}), which ends sooner: {mismatch}{assumed}; give it `loop_scope={scope!r}`"
            )
        else:
            who = (
                f"{version.described} sets"
                if version.known
                else f"pytest-asyncio {runtime.SCOPED_RUNNERS_SINCE} and later set"
            )
            assumed = (
                ""
                if version.known
                else f" ({version.described}; 1.0 and earlier leave such a fixture to pytest, so it works there)"
            )
            message = (
                f"sync fixture `{fixture.name}` is cached per {scope}, but {who} up a sync function under "
                f"`@pytest_asyncio.fixture` with an event loop, here the {loop.scope} loop ({loop.reason}), which "
                f"ends sooner: {mismatch}{assumed}; give it `loop_scope={scope!r}`"
            )
        applicability = Applicability.SAFE if version.guaranteed else Applicability.UNSAFE
        left, moved = self._tests_left_behind(fixture, scope, version)
        if left:
            names = ", ".join(f"`{test.function.name}`" for test, _ in left[:3]) + (
                " and more" if len(left) > 3 else ""
            )
            outcome = left[0][1]
            message += (
                f"; with that alone, tests that use it in another loop ({names}) would fail: {outcome}; run them "
                f"in the {scope} loop too"
            )
            self.report_function(node, message)
            return
        fix = self._fix(function, scope, applicability if not moved else Applicability.UNSAFE, moved)
        self.report_function(node, message, fix=fix)

    def _tests_left_behind(
        self, fixture: FixtureDef, scope: str, version: AsyncioVersion
    ) -> tuple[list[tuple[TestItem, str]], list[cst.Decorator]]:
        """For a fixture whose body ties its value to its loop: the tests that use it from another loop once it
        runs in the `scope` loop (with what then fails), and, when every one of them can be moved into that loop
        by its own `asyncio` mark without breaking another of its fixtures, none of them and those marks."""
        if fixture.loop_binding is None:
            return [], []  # a value that crosses loops unharmed: no test cares which loop it was made in
        settings = self.model.settings
        new_loop = Loop(scope, f"`loop_scope={scope!r}`")
        left: list[tuple[TestItem, str]] = []
        marks: list[cst.Decorator] = []
        movable = True
        for consumer in self.model.consumers.of(fixture, self.model):
            test = consumer.test
            if not test.function.is_async or test.owner is not Owner.PYTEST_ASYNCIO:
                continue
            loop = loop_of_test(test.marks, settings, version)
            if loop is None:
                outcome: str | None = "asynclint cannot tell which loop it runs in"
            else:
                outcome = loop_mismatch(loop.scope, fixture, new_loop, version)
            if outcome is None:
                continue
            left.append((test, outcome))
            mark = self._movable_mark(consumer.path, test, fixture, scope, version) if movable else None
            if mark is None:
                movable = False
            else:
                marks.append(mark)
        if left and movable:
            return [], marks
        return left, []

    def _movable_mark(
        self, path: Path, test: TestItem, fixture: FixtureDef, scope: str, version: AsyncioVersion
    ) -> cst.Decorator | None:
        """The test's own `@pytest.mark.asyncio` decorator in this file, when giving it `loop_scope=scope` moves the
        test into that loop without leaving another of its fixtures in a loop its value cannot cross."""
        if path != self.model.path or test.marks_unknown is not None:
            return None
        closest = closest_asyncio_mark(test.marks)
        if closest is None or closest.level != "function" or not closest.local or closest.mark.via != "decorator":
            return None
        if closest.mark.args or closest.mark.kwarg("scope") is not None:
            return None  # a positional or `scope=` argument: AIO406's to rewrite first
        node = self.ctx.node(closest.mark.key)
        if not isinstance(node, cst.Decorator):
            return None
        settings = self.model.settings
        for other in test.closure.definitions:
            if other is fixture or not runs_fixture(other, self.model):
                continue
            theirs = fixture_loop(other, settings, version)
            if theirs is None or loop_mismatch(scope, other, theirs, version) is not None:
                return None
        return node

    def _event_loop_era(self, node: cst.FunctionDef, fixture: FixtureDef, scope: str, pinned: str) -> None:
        if fixture.loop_scope is not None:
            return  # `loop_scope=` does not exist before 0.24: a TypeError at collection comes first
        overrides = self.model.fixtures.definitions("event_loop")
        loop_scope = caching_scope(overrides[0]) if overrides else "function"
        if loop_scope is None or not wider(scope, loop_scope):
            return
        where = "the project's `event_loop` fixture" if overrides else "the default `event_loop` fixture"
        mismatch = runtime.scope_mismatch("event_loop", loop_scope, scope, self.model.versions)
        message = (
            f"async fixture `{fixture.name}` is cached per {scope}, but on {pinned} it runs in "
            f"{where}, which is {loop_scope}-scoped: {mismatch}"
        )
        self.report_function(node, message)

    def _fix(
        self, function: Function, scope: str, applicability: Applicability, marks: list[cst.Decorator]
    ) -> NodeFix | None:
        for decorator in function.decorators:
            if decorator.kind is not DecoratorKind.FIXTURE:
                continue
            node = self.ctx.node(decorator.key)
            if not isinstance(node, cst.Decorator):
                return None
            imports: tuple[ImportRequest, ...] = ()
            if function.fixture is not None and function.fixture.decorator.value == "pytest.fixture":
                converted = pytest_asyncio_fixture(node, self.model.summary.imports)
                if converted is None:
                    return None
                new = converted.replacements[node]
                assert isinstance(new, cst.Decorator)
                node_after, imports = new, converted.imports
            else:
                node_after = node
            updated = with_keyword(node_after, "loop_scope", quoted(scope, node))
            if updated is None:
                return None
            replacements: dict[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel] = {node: updated}
            for mark in marks:
                # A bare mark shows no quotes: it takes the fixture decorator's.
                shows_quotes = any(isinstance(child, cst.SimpleString) for child in descendants(mark))
                moved = with_keyword(mark, "loop_scope", quoted(scope, mark if shows_quotes else node))
                if moved is None:
                    return None
                replacements[mark] = moved
            title = f"Set `loop_scope={scope!r}`"
            if marks:
                title += f" on the fixture and on the asyncio marks of the {len(marks)} tests that use it"
            return NodeFix(title, applicability, replacements, imports)
        return None


def quoted(value: str, near: cst.CSTNode) -> str:
    """A string literal in the quote style the nearby code uses (double quotes when it shows none)."""
    for string in descendants(near):
        if isinstance(string, cst.SimpleString):
            return f"{string.quote}{value}{string.quote}" if string.quote in ("'", '"') else f'"{value}"'
    return f'"{value}"'


def with_keyword(decorator: cst.Decorator, keyword: str, value: str) -> cst.Decorator | None:
    """The decorator called with `keyword=value` (replacing an existing value, or appended)."""
    expression = decorator.decorator
    new_value = cst.parse_expression(value)
    if not isinstance(expression, cst.Call):
        call = cst.Call(func=expression, args=[cst.Arg(keyword=cst.Name(keyword), value=new_value, equal=_EQUAL)])
        return decorator.with_changes(decorator=call)
    args = list(expression.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            args[index] = arg.with_changes(value=new_value)
            return decorator.with_changes(decorator=expression.with_changes(args=args))
    if any(arg.star for arg in args):
        return None
    new_arg = cst.Arg(keyword=cst.Name(keyword), value=new_value, equal=_EQUAL)
    if args:
        last = args[-1]
        if isinstance(last.comma, cst.Comma) and isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace):
            # One argument per line with a trailing comma: the new one goes on its own line, formatted alike.
            if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
                separator = args[-2].comma
            else:
                separator = cst.Comma(whitespace_after=expression.whitespace_before_args)
            args[-1] = last.with_changes(comma=separator)
            new_arg = new_arg.with_changes(comma=last.comma)
        else:
            args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    args.append(new_arg)
    return decorator.with_changes(decorator=expression.with_changes(args=args))


_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
