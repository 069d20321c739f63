"""What the plugins and conftests of a folder mean for the async tests in it, read once per folder.

Which plugins run coroutine tests themselves, whether pytest-asyncio is in use at all, which marks are
registered, which fixtures conftests and `pytest_plugins` modules provide, and whether a hook may change any of
that in ways asynclint cannot follow.

`-p no:asyncio` turns pytest-asyncio off whatever else says it is there: then nothing is evidence of it, so
every rule about pytest-asyncio's behaviour stays silent. An `asyncio` mark is evidence only where the project
does not register a mark of that name itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from asynclint.model.facts import FixtureDef, ModuleSummary
from asynclint.model.settings import PytestSettings
from asynclint.model.versions import ProjectVersions

#: Hooks through which a conftest or plugin can change which async tests run, and how.
COLLECTION_HOOKS = frozenset(
    {
        "pytest_pyfunc_call",
        "pytest_pycollect_makeitem",
        "pytest_collection_modifyitems",
        "pytest_itemcollected",
        "pytest_collection_finish",
        "pytest_runtest_setup",
        "pytest_runtest_call",
        "pytest_runtest_protocol",
        "pytest_generate_tests",
        "pytest_collect_file",
        "pytest_pycollect_makemodule",
        "pytest_fixture_setup",
    }
)
#: aiomisc's pytest plugin (`-p aiomisc`, its modules), which runs coroutine tests itself: the aiomisc-pytest
#: package's, and aiomisc's own before aiomisc 17 (`aiomisc_pytest.pytest_plugin`).
AIOMISC_PLUGINS = frozenset({"aiomisc", "aiomisc_pytest", "aiomisc_pytest.pytest_plugin", "aiomisc.pytest"})
AIOMISC_SPLIT = "17"
#: Those of them that define an `event_loop` fixture (aiomisc-pytest's; aiomisc's own plugin had `loop`).
EVENT_LOOP_PLUGINS = frozenset({"aiomisc", "aiomisc_pytest", "aiomisc.pytest"})
#: Plugins that run every coroutine test function themselves (no mark needed).
RUNNER_PLUGIN_MODULES = frozenset(
    {"aiohttp.pytest_plugin", "pytest_aiohttp", "pytest_tornasync", "pytest_aio", "tornado.testing", *AIOMISC_PLUGINS}
)
RUNNER_PACKAGES = ("pytest-tornasync", "pytest-aio", "aiomisc-pytest")
#: Plugins that depend on pytest-asyncio (from this version on): using them means using pytest-asyncio.
ASYNCIO_CARRIERS = {"pytest-aiohttp": "1.0", "pytest-homeassistant-custom-component": "0"}
COMPUTED_PLUGINS = "<computed pytest_plugins>"


@dataclass(frozen=True, slots=True)
class Environment:
    #: Why marks or the runner of async tests may be changed by code asynclint cannot follow.
    unknown: str | None
    #: Why another plugin runs coroutine tests here.
    runner_plugin: str | None
    #: Why pytest-asyncio is known to be in use (versions, conftests, settings), or None (always None under
    #: `-p no:asyncio`).
    asyncio_evidence: str | None
    #: Marks the project registers (`markers` in the config, `addinivalue_line` in conftests).
    registered_markers: frozenset[str]
    #: Fixtures of the conftests (nearest first) and of `pytest_plugins` modules.
    fixtures: tuple[FixtureDef, ...]
    #: Why that fixture list may be incomplete.
    fixtures_unreadable: str | None
    #: Why a plugin other than pytest-asyncio provides an `event_loop` fixture here (aiomisc-pytest's), or None.
    event_loop_plugin: str | None = None


def read_environment(
    settings: PytestSettings,
    versions: ProjectVersions,
    conftests: Sequence[str],
    plugin_modules: Sequence[str],
    unread_plugins: Sequence[str],
    modules: Mapping[str, ModuleSummary | None],
) -> Environment:
    """The environment of one folder; `conftests` are outermost first, as pytest registers them."""
    loaded = [(path, modules.get(path)) for path in (*conftests, *plugin_modules)]
    nearest_first = [(path, modules.get(path)) for path in (*reversed(conftests), *plugin_modules)]
    fixtures: list[FixtureDef] = []
    unreadable: str | None = None
    for path, module in nearest_first:
        if module is None:
            unreadable = f"{path} cannot be parsed"
        else:
            fixtures.extend(f for f in module.fixtures if f.class_qualname is None)
    markers = set(settings.registered_markers)
    for _, module in loaded:
        if module is not None:
            markers.update(module.registered_markers)
    return Environment(
        unknown=_unknown(loaded, unread_plugins),
        runner_plugin=_runner_plugin(settings, versions, unread_plugins),
        asyncio_evidence=_asyncio_evidence(settings, versions, loaded, frozenset(markers)),
        registered_markers=frozenset(markers),
        fixtures=tuple(fixtures),
        fixtures_unreadable=unreadable,
        event_loop_plugin=_event_loop_plugin(settings, versions, unread_plugins),
    )


def asyncio_mark_is_evidence(registered_markers: frozenset[str]) -> bool:
    """An `asyncio` mark shows pytest-asyncio in use, unless the project registers the mark itself (a project
    that does not use pytest-asyncio may have a mark of that name, run by a hook or plugin of its own)."""
    return "asyncio" not in registered_markers


def _unknown(loaded: Sequence[tuple[str, ModuleSummary | None]], unread_plugins: Sequence[str]) -> str | None:
    for path, summary in loaded:
        if summary is None:
            return f"{Path(path).name} ({path}) cannot be parsed"
        for hook in summary.hooks:
            if hook.name in COLLECTION_HOOKS and hook.mentions_async:
                return f"`{hook.name}` in {path} may change which async tests run"
    if COMPUTED_PLUGINS in unread_plugins:
        return "`pytest_plugins` is computed in a conftest"
    return None


def _runner_plugin(settings: PytestSettings, versions: ProjectVersions, unread_plugins: Sequence[str]) -> str | None:
    for plugin in (*unread_plugins, *settings.plugins):
        if plugin in RUNNER_PLUGIN_MODULES:
            return f"the `{plugin}` plugin runs coroutine tests itself"
    for package in RUNNER_PACKAGES:
        if versions.has(package):
            return f"{package} runs coroutine tests itself"
    if versions.at_least("pytest-aiohttp", "1.0") is False:  # unpinned means a current release
        return "pytest-aiohttp before 1.0 runs coroutine tests itself"
    aiomisc = versions.get("aiomisc")
    if aiomisc is not None and aiomisc.at_least(AIOMISC_SPLIT) is False:
        return f"aiomisc {aiomisc.describe()} runs coroutine tests itself (its pytest plugin)"
    return None


def _event_loop_plugin(
    settings: PytestSettings, versions: ProjectVersions, unread_plugins: Sequence[str]
) -> str | None:
    """Why another plugin defines `event_loop` here: aiomisc-pytest's (every release has one)."""
    for plugin in (*unread_plugins, *settings.plugins):
        if plugin in EVENT_LOOP_PLUGINS:
            return f"the `{plugin}` plugin provides its own `event_loop` fixture"
    if versions.has("aiomisc-pytest"):
        return "aiomisc-pytest provides its own `event_loop` fixture"
    return None


def _asyncio_evidence(
    settings: PytestSettings,
    versions: ProjectVersions,
    loaded: Sequence[tuple[str, ModuleSummary | None]],
    registered_markers: frozenset[str],
) -> str | None:
    if settings.asyncio_plugin_disabled:
        return None
    package = versions.get("pytest-asyncio")
    if package is not None:
        return f"pytest-asyncio {package.describe()}"
    for carrier, minimum in ASYNCIO_CARRIERS.items():
        if versions.has(carrier) and versions.at_least(carrier, minimum) is not False:
            return f"{carrier} brings pytest-asyncio"
    for path, module in loaded:
        if module is not None and module.uses_pytest_asyncio:
            return f"{Path(path).name} uses pytest-asyncio"
        if module is not None and module.applies_asyncio_mark and asyncio_mark_is_evidence(registered_markers):
            return f"{Path(path).name} applies the asyncio mark"
        plugins = module.pytest_plugins if module is not None else None
        if isinstance(plugins, tuple) and any(p.startswith("pytest_asyncio") for p in plugins):
            return f"{Path(path).name} loads pytest_asyncio"
    keys = [key for key in settings.config.values if key.startswith("asyncio_")]
    if keys:
        return f"`{keys[0]}` is set in {settings.config.describe(keys[0])}"
    if any(p.startswith("pytest_asyncio") for p in settings.plugins):
        return "addopts loads pytest_asyncio"
    return None
