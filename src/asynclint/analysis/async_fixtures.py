"""Async fixtures that no plugin will run: the shared reasoning of AIO301 and AIO302.

In strict mode pytest-asyncio runs only the async fixtures under `@pytest_asyncio.fixture`. An `async def`
under plain `@pytest.fixture` is left to pytest, which hands the coroutine (or async generator) object itself
to whoever requested it. Auto and legacy mode (and pytest-asyncio before 0.17, which has no modes) run it.
anyio runs such fixtures for tests that request `anyio_backend`, and pytest-trio for trio tests, so those
consumers are fine; where pytest-asyncio is not in use they are the only ones (observed: a sync test gets the
coroutine object with anyio or pytest-trio present, as with no plugin at all). Whenever a plugin or hook
asynclint cannot follow may handle fixtures, nothing is concluded.
"""

from __future__ import annotations

from asynclint.model.collection import FileModel, Owner, TestItem
from asynclint.model.facts import FixtureDecorator, FixtureDef


def unhandled_context(model: FileModel) -> str | None:
    """Why plain-decorated async fixtures go unhandled in this file's folder, or None when it is not known."""
    settings = model.settings
    if settings.asyncio_mode != "strict" or settings.asyncio_plugin_disabled:
        return None
    if model.asyncio_evidence is None or model.environment_unknown is not None or model.runner_plugin is not None:
        return None
    if settings.anyio_auto or settings.trio_mode:
        return None  # those plugins may take over async fixtures: their rules are not asynclint's to guess
    return f"strict mode ({settings.mode_reason})"


def unhandled_for_sync_test(model: FileModel, test: TestItem) -> str | None:
    """Why nothing runs an `async def` fixture under plain `@pytest.fixture` for this sync test, in the words of
    AIO302's message ("which has plain ..., so pytest-asyncio does not run it in strict mode (...)"), or None
    when something may."""
    context = unhandled_context(model)
    if context is not None:
        return f"which has plain `@pytest.fixture`, so pytest-asyncio does not run it in {context}"
    unclaimed = model.unclaimed
    if test.owner is not Owner.NOBODY or unclaimed is None or not unclaimed.leaves_sync_fixtures:
        return None
    if not unclaimed.plugins:
        return f"which nothing runs: {unclaimed.reason}"
    plugins = "; ".join(
        f"{subject} runs async fixtures only for the tests it runs ({plugin.runs})"
        for plugin, subject in unclaimed.plugins
    )
    return f"which nothing runs for it: {plugins}"


def via_fixture(test: TestItem, fixture: FixtureDef) -> str | None:
    """The fixture through which `test` gets `fixture`'s value (`header` in `header(token)`), or None when the
    test requests it itself or does not take its value."""
    if fixture.name in test.function.argnames:
        return None
    for definition in test.closure.definitions:
        if definition is not fixture and fixture.name in definition.requests:
            return definition.name
    return None


def is_plain_async(fixture: FixtureDef) -> bool:
    return fixture.is_async and fixture.decorator is FixtureDecorator.PYTEST


def broken_for(test: TestItem) -> bool:
    """Whether `test` gets an unhandled async fixture's raw object (or, for an autouse one, nothing at all)."""
    if test.anyio_signal is not None or test.trio_signal is not None or test.decorators_unknown is not None:
        return False
    if test.function.is_async:
        return test.owner is Owner.PYTEST_ASYNCIO
    return True


def value_used(test: TestItem, fixture: FixtureDef) -> bool:
    """Whether the test or a fixture it uses takes the fixture's value (not only autouse or `usefixtures`)."""
    return fixture.name in test.function.argnames or any(fixture.name in d.requests for d in test.closure.definitions)


def runs_fixture(fixture: FixtureDef, model: FileModel) -> bool:
    """Whether pytest-asyncio runs this async fixture (its decorator, or a plain one in auto or legacy mode)."""
    if not fixture.is_async or model.settings.asyncio_plugin_disabled:
        return False
    if fixture.decorator is FixtureDecorator.PYTEST_ASYNCIO:
        return True
    return fixture.decorator is FixtureDecorator.PYTEST and model.settings.runs_plain_async_fixtures
