"""Async fixtures that no plugin will run: the shared reasoning of AIO301 and AIO302.

In strict mode pytest-asyncio runs only the async fixtures under `@pytest_asyncio.fixture`. An `async def`
under plain `@pytest.fixture` is left to pytest, which hands the coroutine (or async generator) object itself
to whoever requested it. Auto and legacy mode (and pytest-asyncio before 0.17, which has no modes) run it.
anyio runs such fixtures for tests that request `anyio_backend`, and pytest-trio for trio tests, so those
consumers are fine. Whenever a plugin or hook asynclint cannot follow may handle fixtures, nothing is
concluded.
"""

from __future__ import annotations

from asynclint.model.collection import FileModel, Owner, TestItem
from asynclint.model.coroutines import KnownClass
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


def loop_bound_value(fixture: FixtureDef, model: FileModel) -> str | None:
    """Why the fixture's value is tied to the loop that created it, or None when asynclint cannot tell.

    A value whose class (read from the project or an installed package) has coroutine methods or is an async
    context manager is taken to hold loop state: a client, a pool, a connection. A plain value (a record, a
    string) or a class asynclint cannot read says nothing.
    """
    if fixture.class_qualname is not None:
        return None
    index = model.coroutines
    module = index.file_module(fixture.path)
    if module is None:
        return None
    binding = module.shape.names.get(fixture.function)
    function = binding.function if binding is not None else None
    if function is None or function.value_type is None:
        return None
    found = index.resolve_in(module, function.value_type.split("."))
    if not isinstance(found, KnownClass) or found.is_async_mock:
        return None
    if found.stdlib_methods:
        return f"an `{found.dotted}`, which belongs to the loop it was created in"
    shape = found.shape
    if shape is None:
        return None
    for name, member in shape.members.items():
        if (member is not None and member.kind in ("async", "asyncgen")) or name == "__aenter__":
            return f"a `{shape.name}`, which has coroutine methods (`{name}`)"
    return None
