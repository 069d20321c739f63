"""AIO301: async-fixture-plain-decorator."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from asynclint import runtime
from asynclint.analysis.async_fixtures import broken_for, is_plain_async, unhandled_context, value_used, via_fixture
from asynclint.diagnostics import FixAvailability, NodeFix
from asynclint.edits import pytest_asyncio_fixture
from asynclint.model.collection import Consumer
from asynclint.model.facts import DecoratorKind, FixtureDef, Function
from asynclint.model.settings import MODES_SINCE
from asynclint.rule import Example, Rule

_HEAD = "import pytest\nimport pytest_asyncio\n\n\n"


def describe_consumers(consumers: tuple[Consumer, ...], here: Path) -> str:
    """ "`test_a`", "`test_a` and 2 other tests", naming the module when it is another one."""
    first = consumers[0]
    name = f"`{first.test.function.qualname}`"
    if first.path.resolve() != here.resolve():
        name += f" ({first.path.name})"
    others = len(consumers) - 1
    if others:
        name += f" and {others} other test{'s' if others > 1 else ''}"
    return name


class AsyncFixturePlainDecorator(Rule):
    """
    ## What it does
    Finds `async def` fixtures under plain `@pytest.fixture` in pytest-asyncio's strict mode, when at least one
    test that uses them (directly, through other fixtures, `usefixtures` or autouse) is run by pytest-asyncio or
    is a sync test. The fixture may be in a test module or in a conftest.py (its users are then looked up in the
    test modules below it, with the fixtures of that conftest and of those below that use it).

    ## Why is this bad?
    In strict mode pytest-asyncio only runs async fixtures declared with `@pytest_asyncio.fixture`. Under plain
    `@pytest.fixture` nothing runs the fixture: its users get a coroutine (or async generator) object instead of
    its value, and an autouse one silently never runs. pytest 8.4 warns, pytest 9 errors in setup.
    Fixtures used only by anyio or trio tests (which run them), projects in auto or legacy mode (legacy is the
    default of pytest-asyncio 0.17 and 0.18) or on pytest-asyncio before 0.17 (which runs every async fixture),
    and folders where a hook or plugin may run fixtures are not reported. When the pytest-asyncio version is not
    pinned, a current release is assumed (strict by default) and the message says so.

    ## Example
    ```python
    @pytest.fixture(scope="module")
    async def client():
        return await connect()
    ```

    Use instead:
    ```python
    @pytest_asyncio.fixture(scope="module")
    async def client():
        return await connect()
    ```

    ## Fix safety
    Safe: swaps the decorator for `@pytest_asyncio.fixture`, keeping every argument, and adds
    `import pytest_asyncio` next to the module's pytest import when it has none. `pytest_asyncio.fixture`
    serves sync and async tests alike. It exists from pytest-asyncio 0.17, as strict mode does; no fix is
    offered where an older release is pinned. For a fixture with a wider `scope`, check its loop scope (AIO4xx).
    """

    code = "AIO301"
    name = "async-fixture-plain-decorator"
    finds = (
        "an `async def` fixture under plain `@pytest.fixture` in strict mode, used by a pytest-asyncio test or a "
        "sync test: they get a coroutine object, an autouse one never runs (fixtures in a conftest are checked "
        "against the test modules below it)"
    )
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("async",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(
            f"{_HEAD}@pytest_asyncio.fixture\nasync def client():\n    return 1\n\n\n"
            "def test_client(client):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest.fixture\nasync def client():\n    return 1\n\n\n"
            "async def test_client(client):\n    pass\n",
            files={"pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
        ),
        Example(
            f"{_HEAD}@pytest.fixture\nasync def client():\n    return 1\n\n\n"
            "@pytest.mark.anyio\nasync def test_client(client):\n    pass\n"
        ),
        Example(f"{_HEAD}@pytest.fixture\nasync def unused():\n    return 1\n"),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.fixture(scope='module', name='db')\nasync def database():\n    return 1\n\n\n"
            "@pytest.mark.asyncio\nasync def test_query(db):\n    assert db == 1\n",
            expected_fix=(
                f"{_HEAD}@pytest_asyncio.fixture(scope='module', name='db')\nasync def database():\n"
                "    return 1\n\n\n@pytest.mark.asyncio\nasync def test_query(db):\n    assert db == 1\n"
            ),
            line=6,
            message="has plain `@pytest.fixture`, so pytest-asyncio does not run it in strict mode",
        ),
        Example(
            "import asyncio\n\nimport pytest\nfrom app import make\n\n\n@pytest.fixture(autouse=True)\n"
            "async def reset():\n    yield\n\n\ndef test_sync():\n    pass\n",
            expected_fix=(
                "import asyncio\n\nimport pytest_asyncio\nfrom app import make\n\n\n"
                "@pytest_asyncio.fixture(autouse=True)\nasync def reset():\n    yield\n\n\ndef test_sync():\n"
                "    pass\n"
            ),
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if function is None or fixture is None or not is_plain_async(fixture):
            return
        context = unhandled_context(self.model)
        if context is None:
            return
        class_fixtures = self.model.class_fixtures(fixture.class_qualname)
        own = self.model.fixtures.closure(fixture.requests, class_fixtures)
        if "anyio_backend" in own.names:
            return  # anyio runs it, whoever requests it
        consumers = tuple(c for c in self.model.consumers.of(fixture, self.model) if broken_for(c.test))
        if not consumers:
            return
        used = [c for c in consumers if value_used(c.test, fixture)]
        # a consumer that requests the fixture itself first: the plainest account of what goes wrong
        used.sort(key=lambda c: via_fixture(c.test, fixture) is not None)
        shown = tuple(used or consumers)
        outcome = runtime.unhandled_async_fixture(
            self.model.versions,
            generator=fixture.is_generator,
            value_used=bool(used),
            who=describe_consumers(shown, self.ctx.path),
            through=via_fixture(shown[0].test, fixture) if used else None,
        )
        message = (
            f"async fixture `{fixture.name}` has plain `@pytest.fixture`, so pytest-asyncio does not run it in "
            f"{context}: {outcome}"
        )
        self.report_function(node, message, fix=plain_fixture_fix(self, function))


def plain_fixture_fix(rule: Rule, function: Function) -> NodeFix | None:
    """AIO301's fix for a fixture defined in the file `rule` is checking; None where the pinned pytest-asyncio
    predates `pytest_asyncio.fixture` (the fixed module would fail at import)."""
    if rule.model.versions.at_least("pytest-asyncio", MODES_SINCE) is False:
        return None
    for decorator in function.decorators:
        if decorator.kind is DecoratorKind.FIXTURE:
            node = rule.ctx.node(decorator.key)
            if isinstance(node, cst.Decorator):
                return pytest_asyncio_fixture(node, rule.model.summary.imports)
    return None


def fixture_function(rule: Rule, fixture: FixtureDef) -> Function | None:
    """The function of a fixture defined in the file `rule` is checking."""
    for function in rule.model.summary.functions:
        if function.fixture is not None and function.key == fixture.key and function.name == fixture.function:
            return function
    return None
