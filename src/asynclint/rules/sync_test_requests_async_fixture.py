"""AIO302: sync-test-requests-async-fixture."""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst

from asynclint import runtime
from asynclint.analysis.async_fixtures import (
    broken_for,
    is_plain_async,
    unhandled_context,
    unhandled_for_sync_test,
    value_used,
    via_fixture,
)
from asynclint.diagnostics import FixAvailability
from asynclint.model.collection import TestItem
from asynclint.model.facts import FixtureDef
from asynclint.rule import Example, Rule
from asynclint.rules.async_fixture_plain_decorator import fixture_function, plain_fixture_fix

_HEAD = "import pytest\nimport pytest_asyncio\n\n\n"


def _how(test: TestItem, fixture: FixtureDef) -> str:
    """How the test comes to use the fixture: directly, through another fixture, `usefixtures` or autouse."""
    if fixture.name in test.function.argnames:
        return "requests"
    for definition in test.closure.definitions:
        if fixture.name in definition.requests and definition is not fixture:
            return f"uses (through the fixture `{definition.name}`)"
    if any(fixture.name in m.mark.args for m in test.marks_named("usefixtures")):
        return "uses (through `usefixtures`)"
    return "gets the autouse fixture"


class SyncTestRequestsAsyncFixture(Rule):
    """
    ## What it does
    Finds sync tests whose fixtures include an `async def` fixture under plain `@pytest.fixture` that nothing
    runs for them: requested directly, through other fixtures, through `usefixtures`, or autouse. With
    pytest-asyncio, in strict mode. Where pytest-asyncio is not in use: with anyio or pytest-trio, which run
    async fixtures only for the tests they run, or where the project's lock file or environment shows no plugin
    at all.

    ## Why is this bad?
    Nothing runs such a fixture for a sync test: the test gets a coroutine (or async generator) object instead
    of the value (or, through another fixture, what that fixture makes of it), and an autouse fixture silently
    never runs. pytest 8.4 warns, pytest 9 errors in setup. `@pytest_asyncio.fixture` fixtures work for sync
    tests, and so do pytest-asyncio's auto and legacy mode (legacy is the default of pytest-asyncio 0.17 and
    0.18) and releases before 0.17; tests that request `anyio_backend` (anyio runs the fixture for them) and
    folders where a hook or another plugin may run fixtures are not reported.

    ## Example
    ```python
    @pytest.fixture
    async def token():
        return await login()

    def test_header(token):
        assert make_header(token)
    ```

    Use instead:
    ```python
    @pytest_asyncio.fixture
    async def token():
        return await login()
    ```

    ## Fix safety
    With pytest-asyncio, safe when the fixture is in the same module: the same change as AIO301 (the decorator
    becomes `@pytest_asyncio.fixture`). A fixture from a conftest is fixed there, by AIO301. Where
    pytest-asyncio is not in use there is no fix: the test has to become a test of the plugin the project uses.
    """

    code = "AIO302"
    name = "sync-test-requests-async-fixture"
    finds = "a sync test whose fixtures (direct, through other fixtures, `usefixtures`, autouse) include such a fixture"
    fix_summary = "safe (fixture in the same module)"
    fix_availability = FixAvailability.SOMETIMES

    valid = (
        Example(
            f"{_HEAD}@pytest_asyncio.fixture\nasync def token():\n    return 1\n\n\ndef test_header(token):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest.fixture\nasync def token():\n    return 1\n\n\ndef test_header(token):\n    pass\n",
            files={"pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
        ),
        Example(
            f"{_HEAD}@pytest.fixture\nasync def token():\n    return 1\n\n\n"
            "def test_header(token, anyio_backend):\n    pass\n"
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.fixture\nasync def token():\n    return 1\n\n\n"
            "@pytest.fixture\ndef header(token):\n    return {'auth': token}\n\n\n"
            "def test_header(header):\n    assert header\n",
            expected_fix=(
                f"{_HEAD}@pytest_asyncio.fixture\nasync def token():\n    return 1\n\n\n"
                "@pytest.fixture\ndef header(token):\n    return {'auth': token}\n\n\n"
                "def test_header(header):\n    assert header\n"
            ),
        ),
        Example(
            "import pytest\n\n\ndef test_header(token):\n    assert token\n",
            files={"conftest.py": "import pytest\n\n\n@pytest.fixture\nasync def token():\n    return 1\n"},
        ),
        Example(
            "import pytest\n\n\n@pytest.fixture\nasync def token():\n    return 1\n\n\n"
            "def test_header(token):\n    assert token\n",
            files={"requirements-dev.txt": "pytest==9.2.0\nanyio==4.16.0\n"},
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or test.function.is_async or not broken_for(test):
            return
        unhandled = [d for d in test.closure.definitions if is_plain_async(d)]
        if not unhandled:
            return
        why = unhandled_for_sync_test(self.model, test)
        if why is None:
            return
        fixture = unhandled[0]
        here = self.ctx.path.resolve()
        defined_here = Path(fixture.path).resolve() == here
        where = "" if defined_here else f" from {os.path.relpath(fixture.path, here.parent)}"
        outcome = runtime.unhandled_async_fixture(
            self.model.versions,
            generator=fixture.is_generator,
            value_used=value_used(test, fixture),
            who="the test",
            through=via_fixture(test, fixture),
        )
        more = f" (and {len(unhandled) - 1} more such fixtures)" if len(unhandled) > 1 else ""
        message = (
            f"sync test `{test.function.name}` {_how(test, fixture)} async fixture `{fixture.name}`{where}{more}, "
            f"{why}: {outcome}"
        )
        function = fixture_function(self, fixture) if defined_here and unhandled_context(self.model) else None
        self.report_function(node, message, fix=plain_fixture_fix(self, function) if function else None)
