"""Which event loop each asyncio test and async fixture runs in, per pytest-asyncio's model for the project.

pytest-asyncio changed its loop model three times:

* 0.21 and earlier: one `event_loop` fixture (function scope unless a project overrides it) runs every test
  and async fixture. A fixture cached longer than that loop lives fails with `ScopeMismatch`.
* 0.23: the loop follows the caching scope: a fixture's loop is its `scope`, a test's is the mark's `scope=`.
* 0.24 and later: `loop_scope` on marks and fixtures, with `asyncio_default_fixture_loop_scope` (unset: the
  caching scope) and, from 0.26, `asyncio_default_test_loop_scope` (unset: function).

Which fixtures get a loop at all: every async fixture pytest-asyncio runs, and from 1.1 a sync function under
`@pytest_asyncio.fixture` too (1.0 and earlier leave it to pytest). A fixture that gets a loop requests that
loop's fixture, so the loop must live at least as long as the fixture is cached.

When the project's version is not pinned, the newest model is assumed and messages say so.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from asynclint.model.collection import LevelMark
from asynclint.model.facts import FixtureDecorator, FixtureDef, Literal
from asynclint.model.settings import PytestSettings
from asynclint.model.versions import ProjectVersions
from asynclint.runtime import SCOPED_RUNNERS_SINCE

SCOPES = ("function", "class", "module", "package", "session")
_ORDER = {scope: index for index, scope in enumerate(SCOPES)}


def wider(a: str, b: str) -> bool:
    """Whether scope `a` lives longer than scope `b`."""
    return _ORDER[a] > _ORDER[b]


class Era(enum.Enum):
    """pytest-asyncio's loop model."""

    EVENT_LOOP = "0.21"  # one overridable `event_loop` fixture
    CACHING_SCOPE = "0.23"  # loop = caching scope
    LOOP_SCOPE = "0.24"  # `loop_scope`, defaults from the config


@dataclass(frozen=True, slots=True)
class AsyncioVersion:
    era: Era
    #: "pytest-asyncio 1.5.0 (from uv.lock)", or why the newest release is assumed.
    described: str
    #: The version is pinned (or bounded) so that the era is certain.
    known: bool
    versions: ProjectVersions

    @property
    def guaranteed(self) -> bool:
        """The era holds for every version the project allows (its lock, pins or declared range), not only for
        the one its environment holds: a version-dependent fix is safe only then."""
        if not self.known:
            return False
        if self.era is Era.LOOP_SCOPE:
            return self.versions.guaranteed_at_least("pytest-asyncio", "0.24") is True
        if self.era is Era.CACHING_SCOPE:
            return (
                self.versions.guaranteed_at_least("pytest-asyncio", "0.23") is True
                and self.versions.guaranteed_at_least("pytest-asyncio", "0.24") is False
            )
        return self.versions.guaranteed_at_least("pytest-asyncio", "0.23") is False

    def at_least(self, minimum: str) -> bool | None:
        return self.versions.at_least("pytest-asyncio", minimum)

    def newer_than_or_unknown(self, minimum: str) -> bool:
        """At least `minimum`, or not pinned (then the newest release is assumed)."""
        return self.at_least(minimum) is not False


def asyncio_version(versions: ProjectVersions) -> AsyncioVersion:
    package = versions.get("pytest-asyncio")
    if versions.at_least("pytest-asyncio", "0.24") is True:
        return AsyncioVersion(Era.LOOP_SCOPE, f"pytest-asyncio {package.describe()}" if package else "", True, versions)
    if versions.at_least("pytest-asyncio", "0.23") is True and versions.at_least("pytest-asyncio", "0.24") is False:
        assert package is not None
        return AsyncioVersion(Era.CACHING_SCOPE, f"pytest-asyncio {package.describe()}", True, versions)
    if versions.at_least("pytest-asyncio", "0.23") is False:
        assert package is not None
        return AsyncioVersion(Era.EVENT_LOOP, f"pytest-asyncio {package.describe()}", True, versions)
    shown = f"pytest-asyncio {package.describe()}" if package else "pytest-asyncio (version not pinned)"
    return AsyncioVersion(Era.LOOP_SCOPE, f"{shown}, assumed to be a current release", False, versions)


@dataclass(frozen=True, slots=True)
class Loop:
    """The loop scope something runs in, and how that was decided (for messages)."""

    scope: str
    reason: str


def gets_loop(fixture: FixtureDef, settings: PytestSettings, version: AsyncioVersion) -> bool:
    """Whether pytest-asyncio sets the fixture up with an event loop: an async fixture it runs (under
    `@pytest_asyncio.fixture`, or plain `@pytest.fixture` in auto and legacy mode), or, from 1.1 (or when the
    version is not pinned), a sync function under `@pytest_asyncio.fixture`."""
    if settings.asyncio_plugin_disabled:
        return False
    if fixture.decorator is FixtureDecorator.PYTEST_ASYNCIO:
        return fixture.is_async or (
            version.era is Era.LOOP_SCOPE and version.newer_than_or_unknown(SCOPED_RUNNERS_SINCE)
        )
    return fixture.is_async and fixture.decorator is FixtureDecorator.PYTEST and settings.runs_plain_async_fixtures


def _literal_scope(value: Literal) -> str | None:
    return value if isinstance(value, str) and value in SCOPES else None


def caching_scope(fixture: FixtureDef) -> str | None:
    """The fixture's `scope` (function when not given); None when computed or invalid."""
    if fixture.scope is None:
        return "function"
    return _literal_scope(fixture.scope)


def _config_scope(settings: PytestSettings, key: str) -> tuple[str | None, str, bool]:
    """(value, where, known) of a loop-scope config key; known is False when the value cannot be trusted."""
    config = settings.config
    addopts = " ".join(config.get_args("addopts"))
    if key in addopts:
        return None, f"`{key}` is overridden in addopts", False
    raw = config.get_str(key)
    if raw is None:
        return None, "", True
    return raw, f"`{key} = {raw}` in {config.describe(key)}", True


def fixture_loop(fixture: FixtureDef, settings: PytestSettings, version: AsyncioVersion) -> Loop | None:
    """The loop scope a fixture that `gets_loop` is set up in; None when it cannot be known."""
    scope = caching_scope(fixture)
    if scope is None:
        return None
    if version.era is Era.CACHING_SCOPE:
        return Loop(scope, f"its caching scope `{scope}` (the loop follows it on pytest-asyncio 0.23)")
    if version.era is Era.EVENT_LOOP:
        return None  # decided by the `event_loop` fixture: see `event_loop_scope`
    if fixture.loop_scope is not None:
        explicit = _literal_scope(fixture.loop_scope)
        return Loop(explicit, f"`loop_scope={explicit!r}` on the fixture") if explicit else None
    value, where, known = _config_scope(settings, "asyncio_default_fixture_loop_scope")
    if not known:
        return None
    if value is not None:
        if value == "fixture-scope" and version.newer_than_or_unknown("1.5"):
            return Loop(scope, f"its caching scope `{scope}` ({where})")
        configured = _literal_scope(value)
        return Loop(configured, where) if configured else None
    return Loop(scope, f"its caching scope `{scope}` (`asyncio_default_fixture_loop_scope` is not set)")


def closest_asyncio_mark(marks: Sequence[LevelMark]) -> LevelMark | None:
    for level_mark in marks:
        if level_mark.mark.name == "asyncio":
            return level_mark
    return None


def loop_of_test(marks: Sequence[LevelMark], settings: PytestSettings, version: AsyncioVersion) -> Loop | None:
    """The loop scope an asyncio test runs in (closest `asyncio` mark wins); None when it cannot be known."""
    closest = closest_asyncio_mark(marks)
    if closest is None:
        mark_scope: Literal = None
        mark_where = ""
        keyword = ""
    else:
        mark = closest.mark
        if mark.args:
            return None  # a positional scope: an error or ignored, AIO406's to report
        keyword = "loop_scope" if mark.kwarg("loop_scope") is not None else "scope"
        mark_scope = mark.kwarg(keyword)
        mark_where = closest.where
        if version.era is Era.CACHING_SCOPE:
            keyword, mark_scope = "scope", mark.kwarg("scope")
    if mark_scope is not None:
        scope = _literal_scope(mark_scope)
        if scope is None:
            return None
        return Loop(scope, f"`{keyword}={scope!r}` on the asyncio mark of {mark_where}")
    if version.era is Era.LOOP_SCOPE and version.newer_than_or_unknown("0.26"):
        value, where, known = _config_scope(settings, "asyncio_default_test_loop_scope")
        if not known:
            return None
        if value is not None:
            configured = _literal_scope(value)
            return Loop(configured, where) if configured else None
    return Loop("function", "the default")
