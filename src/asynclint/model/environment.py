"""What the plugins and conftests of a folder mean for the async tests in it, read once per folder.

Which plugins run coroutine tests themselves, whether pytest-asyncio is in use at all, which marks are
registered, which fixtures conftests and `pytest_plugins` modules provide, and whether a hook may change any of
that in ways asynclint cannot follow.

`-p no:asyncio` turns pytest-asyncio off whatever else says it is there: then nothing is evidence of it, so
every rule about pytest-asyncio's behaviour stays silent. An `asyncio` mark is evidence only where the project
does not register a mark of that name itself.

Where pytest-asyncio is not in use, a coroutine test may still have nobody to run it: the plugins present (anyio,
pytest-trio, pytest-tornado...) run only the tests they are asked to run, or no plugin is installed at all.
`Unclaimed` says so, only where asynclint can see every plugin that could run it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from asynclint.model.facts import FixtureDef, ModuleSummary
from asynclint.model.settings import PytestSettings
from asynclint.model.versions import ProjectVersions, canonicalize_name

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
#: Hooks through which a conftest or plugin can collect tests other than the functions and classes pytest's
#: name patterns select (whatever their body says).
COLLECTING_HOOKS = frozenset(
    {
        "pytest_pycollect_makeitem",
        "pytest_pycollect_makemodule",
        "pytest_collect_file",
        "pytest_collect_directory",
        "pytest_make_collect_report",
        "pytest_collection",
    }
)
#: Plugins that collect tests from functions pytest's name patterns do not select (pytest-describe's
#: `describe_*` blocks, pytest-cases' `case_*` functions, pytest-bdd's step functions), marks included.
COLLECTING_PACKAGES = ("pytest-describe", "pytest-cases", "pytest-bdd")
#: aiomisc's pytest plugin (`-p aiomisc`, its modules), which runs coroutine tests itself: the aiomisc-pytest
#: package's, and aiomisc's own before aiomisc 17 (`aiomisc_pytest.pytest_plugin`).
AIOMISC_PLUGINS = frozenset({"aiomisc", "aiomisc_pytest", "aiomisc_pytest.pytest_plugin", "aiomisc.pytest"})
AIOMISC_SPLIT = "17"
#: Those of them that define an `event_loop` fixture (aiomisc-pytest's; aiomisc's own plugin had `loop`).
EVENT_LOOP_PLUGINS = frozenset({"aiomisc", "aiomisc_pytest", "aiomisc.pytest"})


@dataclass(frozen=True, slots=True)
class CoroutinePlugin:
    """A pytest plugin that runs coroutine tests itself (each read from its source: its `pytest_pyfunc_call`)."""

    #: The name messages use.
    name: str
    #: The distributions that install it.
    packages: tuple[str, ...]
    #: The module names that load it (`-p`, `pytest_plugins`).
    modules: frozenset[str]
    #: Its name for `-p no:NAME` (its `pytest11` entry point); None when it has none.
    entry_point: str | None = None
    #: The marks it runs a test for; empty when it runs every coroutine test.
    marks: tuple[str, ...] = ()
    #: For the plugins that need a mark: which tests they run, in the words of messages.
    runs: str = ""
    #: The setting that makes it run every coroutine test instead (`anyio_mode = auto`), if any.
    every_test_setting: str | None = None
    #: Observed: a sync test requesting an `async def` fixture gets the coroutine object with this plugin
    #: present (it runs async fixtures only for the tests it runs).
    leaves_sync_fixtures: bool = False

    @property
    def runs_every_test(self) -> bool:
        return not self.marks


#: Plugins that run coroutine tests themselves, and which ones: their `pytest_pyfunc_call`, read in each
#: package's source, and what it does observed with pytest 8.4 and pytest-asyncio 1.2 beside them.
COROUTINE_PLUGINS = (
    CoroutinePlugin("aiohttp's pytest plugin", (), frozenset({"aiohttp.pytest_plugin", "pytest_aiohttp"})),
    CoroutinePlugin("tornado's test helpers", (), frozenset({"tornado.testing"})),
    CoroutinePlugin(
        "pytest-tornasync", ("pytest-tornasync",), frozenset({"pytest_tornasync", "pytest_tornasync.plugin"}), "tornado"
    ),
    CoroutinePlugin("pytest-aio", ("pytest-aio",), frozenset({"pytest_aio", "pytest_aio.plugin"}), "aio"),
    CoroutinePlugin("aiomisc-pytest", ("aiomisc-pytest",), AIOMISC_PLUGINS, "aiomisc"),
    CoroutinePlugin("pytest-sanic", ("pytest-sanic",), frozenset({"pytest_sanic", "pytest_sanic.plugin"}), "sanic"),
    CoroutinePlugin(
        # no entry point: loaded through `pytest_plugins`; each of its modules brings its `jupyter_core` hooks
        "pytest-jupyter",
        ("pytest-jupyter",),
        frozenset(
            {
                "pytest_jupyter",
                "pytest_jupyter.jupyter_core",
                "pytest_jupyter.jupyter_client",
                "pytest_jupyter.jupyter_server",
                "pytest_jupyter.pytest_tornasync",
            }
        ),
    ),
    CoroutinePlugin("pytest-twisted", ("pytest-twisted",), frozenset({"pytest_twisted"}), "twisted"),
    CoroutinePlugin("pytest-async", ("pytest-async",), frozenset({"pytest_async", "pytest_async.plugin"})),
    CoroutinePlugin(
        "anyio",
        ("anyio",),
        frozenset({"anyio", "anyio.pytest_plugin"}),
        "anyio",
        ("anyio",),
        "tests marked `anyio` or using the `anyio_backend` fixture",
        "`anyio_mode = auto`",
        leaves_sync_fixtures=True,
    ),
    CoroutinePlugin(
        "pytest-trio",
        ("pytest-trio",),
        frozenset({"pytest_trio", "pytest_trio.plugin"}),
        "trio",
        ("trio",),
        "tests marked `trio`",
        "`trio_mode = true`",
        leaves_sync_fixtures=True,
    ),
    CoroutinePlugin(
        "pytest-tornado",
        ("pytest-tornado", "pytest-tornado5", "pytest-tornado-yen3"),
        frozenset({"pytest_tornado", "pytest_tornado.plugin", "pytest_tornado5", "pytest_tornado5.plugin"}),
        "tornado",
        ("gen_test",),
        "tests marked `gen_test`",
    ),
    CoroutinePlugin(
        "pytest-asyncio-cooperative",
        ("pytest-asyncio-cooperative",),
        frozenset({"pytest_asyncio_cooperative", "pytest_asyncio_cooperative.plugin"}),
        "asyncio-cooperative",
        ("asyncio_cooperative",),
        "tests marked `asyncio_cooperative`",
    ),
    CoroutinePlugin(
        "pytest-curio",
        ("pytest-curio",),
        frozenset({"pytest_curio", "pytest_curio.plugin"}),
        "curio",
        ("curio",),
        "tests marked `curio`",
    ),
)
#: Plugins that depend on pytest-asyncio (from this version on): using them means using pytest-asyncio.
ASYNCIO_CARRIERS = {"pytest-aiohttp": "1.0", "pytest-homeassistant-custom-component": "0"}
#: pytest plugins that never run a coroutine test (no `pytest_pyfunc_call`): their presence says nothing.
INERT_PLUGIN_PACKAGES = frozenset(
    {
        "pytest",
        "pytest-asyncio",
        *ASYNCIO_CARRIERS,
        "pytest-benchmark",
        "pytest-check",
        "pytest-clarity",
        "pytest-codspeed",
        "pytest-cov",
        "pytest-datadir",
        "pytest-django",
        "pytest-dotenv",
        "pytest-env",
        "pytest-forked",
        "pytest-freezegun",
        "pytest-freezer",
        "pytest-github-actions-annotate-failures",
        "pytest-html",
        "pytest-httpserver",
        "pytest-httpx",
        "pytest-icdiff",
        "pytest-instafail",
        "pytest-json-report",
        "pytest-lazy-fixture",
        "pytest-lazy-fixtures",
        "pytest-metadata",
        "pytest-mock",
        "pytest-order",
        "pytest-ordering",
        "pytest-pretty",
        "pytest-randomly",
        "pytest-recording",
        "pytest-regressions",
        "pytest-repeat",
        "pytest-rerunfailures",
        "pytest-runner",
        "pytest-snapshot",
        "pytest-socket",
        "pytest-split",
        "pytest-subtests",
        "pytest-sugar",
        "pytest-timeout",
        "pytest-vcr",
        "pytest-xdist",
    }
)
#: Plugins of pytest itself and of inert packages, as `-p` or `pytest_plugins` name them.
BUILTIN_PLUGINS = frozenset({"pytester", "_pytest.pytester", "xdist", "xdist.plugin", "pytest_cov", "pytest_mock"})
COMPUTED_PLUGINS = "<computed pytest_plugins>"


def plugin_for_module(name: str) -> CoroutinePlugin | None:
    return next((plugin for plugin in COROUTINE_PLUGINS if name in plugin.modules), None)


def plugin_for_package(name: str) -> CoroutinePlugin | None:
    key = canonicalize_name(name)
    return next((plugin for plugin in COROUTINE_PLUGINS if key in plugin.packages), None)


@dataclass(frozen=True, slots=True)
class Unclaimed:
    """Where nobody runs a coroutine test that no plugin is asked to run: no mark or fixture of a plugin present
    names it, and asynclint sees every plugin that could."""

    #: The plugins present that run only the tests they are asked to run, each with how messages name it
    #: ("anyio 4.16.0 (from uv.lock)").
    plugins: tuple[tuple[CoroutinePlugin, str], ...]
    #: Why no plugin runs it, in the words of messages.
    reason: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(plugin.name for plugin, _ in self.plugins)

    def only(self, name: str) -> bool:
        """Whether `name` is the one plugin here (so that its mark is the fix)."""
        return self.names == (name,)

    @property
    def leaves_sync_fixtures(self) -> bool:
        """Observed for every plugin here: a sync test requesting an `async def` fixture gets its raw object."""
        return all(plugin.leaves_sync_fixtures for plugin, _ in self.plugins)


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
    #: Where pytest-asyncio is not in use: why a coroutine test no plugin is asked to run is run by nobody, or
    #: None when something asynclint cannot see might run it.
    unclaimed: Unclaimed | None = None
    #: Why pytest may collect tests here other than those its `python_functions`/`python_classes` patterns
    #: select (a collection hook, a plugin that collects its own way), or None.
    collection_unknown: str | None = None
    #: Why a test's fixture values may not be what the fixtures return: a hook that can parametrize a fixture's
    #: name directly (`metafunc.parametrize` in `pytest_generate_tests`) or set up fixtures itself.
    fixture_values_unknown: str | None = None
    #: Names `pytest_generate_tests` hooks parametrize directly (`metafunc.parametrize("loop", ...)`): a test
    #: gets the parameters, not what a fixture of that name returns.
    parametrized_by_hooks: frozenset[str] = frozenset()


def read_environment(
    settings: PytestSettings,
    versions: ProjectVersions,
    conftests: Sequence[str],
    plugin_modules: Sequence[str],
    unread_plugins: Sequence[str],
    modules: Mapping[str, ModuleSummary | None],
    imported: Mapping[str, Sequence[FixtureDef]] | None = None,
) -> Environment:
    """The environment of one folder; `conftests` are outermost first, as pytest registers them. `imported`:
    the fixtures each of those modules imports from others (`model.fixture_imports`), by path."""
    loaded = [(path, modules.get(path)) for path in (*conftests, *plugin_modules)]
    nearest_first = [(path, modules.get(path)) for path in (*reversed(conftests), *plugin_modules)]
    fixtures: list[FixtureDef] = []
    unreadable: str | None = None
    for path, module in nearest_first:
        if module is None:
            unreadable = f"{path} cannot be parsed"
        else:
            fixtures.extend(f for f in module.fixtures if f.class_qualname is None)
            fixtures.extend((imported or {}).get(path, ()))
    markers = set(settings.registered_markers)
    for _, module in loaded:
        if module is not None:
            markers.update(module.registered_markers)
    unknown = _unknown(loaded, unread_plugins)
    runner = _runner_plugin(settings, versions, unread_plugins)
    evidence = _asyncio_evidence(settings, versions, loaded, frozenset(markers))
    unclaimed = None
    if unknown is None and runner is None and evidence is None:
        unclaimed = _unclaimed(settings, versions, unread_plugins)
    return Environment(
        unknown=unknown,
        runner_plugin=runner,
        asyncio_evidence=evidence,
        registered_markers=frozenset(markers),
        fixtures=tuple(fixtures),
        fixtures_unreadable=unreadable,
        event_loop_plugin=_event_loop_plugin(settings, versions, unread_plugins),
        unclaimed=unclaimed,
        collection_unknown=_collection_unknown(settings, versions, loaded, unread_plugins),
        fixture_values_unknown=_fixture_values_unknown(loaded, unread_plugins),
        parametrized_by_hooks=frozenset(
            name
            for _, summary in loaded
            if summary is not None
            for hook in summary.hooks
            for name in hook.parametrizes or ()
        ),
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


#: Hooks through which a conftest or plugin can hand a test other values than its fixtures return.
FIXTURE_VALUE_HOOKS = frozenset({"pytest_generate_tests", "pytest_fixture_setup"})


def _fixture_values_unknown(
    loaded: Sequence[tuple[str, ModuleSummary | None]], unread_plugins: Sequence[str]
) -> str | None:
    for path, summary in loaded:
        if summary is None:
            return f"{Path(path).name} ({path}) cannot be parsed"
        for hook in summary.hooks:
            if hook.name in FIXTURE_VALUE_HOOKS and hook.parametrizes is None and not hook.async_fixtures_only:
                return f"`{hook.name}` in {path} may hand tests other values than their fixtures return"
    if COMPUTED_PLUGINS in unread_plugins:
        return "`pytest_plugins` is computed in a conftest"
    return None


def _collection_unknown(
    settings: PytestSettings,
    versions: ProjectVersions,
    loaded: Sequence[tuple[str, ModuleSummary | None]],
    unread_plugins: Sequence[str],
) -> str | None:
    for path, summary in loaded:
        if summary is None:
            return f"{Path(path).name} ({path}) cannot be parsed"
        for hook in summary.hooks:
            if hook.name in COLLECTING_HOOKS:
                return f"`{hook.name}` in {path} may collect other tests"
    if COMPUTED_PLUGINS in unread_plugins:
        return "`pytest_plugins` is computed in a conftest"
    for package in COLLECTING_PACKAGES:
        if versions.has(package):
            return f"{package} collects tests its own way"
    overridden = [
        token
        for token in settings.config.get_args("addopts")
        if "python_functions" in token or "python_classes" in token  # `-o python_functions=...`
    ]
    if overridden:
        return f"`{overridden[0]}` in the addopts of {settings.config.describe('addopts')}"
    return None


def _runner_plugin(settings: PytestSettings, versions: ProjectVersions, unread_plugins: Sequence[str]) -> str | None:
    """Why a plugin that runs every coroutine test is (or may be) active here: loaded by name, or a dependency
    (pytest-jupyter, which has no entry point, is loaded by the projects that depend on it)."""
    for name in (*unread_plugins, *settings.plugins):
        plugin = plugin_for_module(name)
        if plugin is not None and plugin.runs_every_test:
            return f"the `{name}` plugin runs coroutine tests itself"
    for plugin in COROUTINE_PLUGINS:
        for package in plugin.packages if plugin.runs_every_test else ():
            if versions.has(package):
                return f"{package} runs coroutine tests itself"
    if versions.at_least("pytest-aiohttp", "1.0") is False:  # unpinned means a current release
        return "pytest-aiohttp before 1.0 runs coroutine tests itself"
    aiomisc = versions.get("aiomisc")
    if aiomisc is not None and aiomisc.at_least(AIOMISC_SPLIT) is False:
        return f"aiomisc {aiomisc.describe()} runs coroutine tests itself (its pytest plugin)"
    return None


def _disabled_plugins(settings: PytestSettings) -> frozenset[str]:
    """The plugins `-p no:NAME` turns off in addopts."""
    tokens = settings.config.get_args("addopts")
    disabled: set[str] = set()
    for index, token in enumerate(tokens):
        value = None
        if token in ("-p", "--plugin") and index + 1 < len(tokens):
            value = tokens[index + 1]
        elif token.startswith("--plugin="):
            value = token[len("--plugin=") :]
        elif token.startswith("-p") and not token.startswith("--"):
            value = token[2:]
        if value is not None and value.startswith("no:"):
            disabled.add(value[3:])
    return frozenset(disabled)


def _unclaimed(settings: PytestSettings, versions: ProjectVersions, unread_plugins: Sequence[str]) -> Unclaimed | None:
    """Where pytest-asyncio is not in use (or `-p no:asyncio` turns it off) and no hook or plugin that runs every
    coroutine test is: the plugins present that run only the tests they are asked to, or, with none, the complete
    list of the project's packages (its lock file or environment) showing that none is installed. None when a
    plugin asynclint does not know is loaded or installed, or when only declared dependencies show that no plugin
    is there (a package they bring in may be one)."""
    if settings.asyncio_mode is None and not settings.asyncio_plugin_disabled:
        return None  # the mode is passed in a way asynclint cannot read: pytest-asyncio may be there, in auto mode
    disabled = _disabled_plugins(settings)
    present: dict[str, tuple[CoroutinePlugin, str]] = {}
    for name in (*settings.plugins, *unread_plugins):
        plugin = plugin_for_module(name)
        if plugin is None:
            if name in BUILTIN_PLUGINS or name.partition(".")[0] == "pytest_asyncio":
                continue
            return None  # a plugin asynclint does not know: it may run them
        present.setdefault(plugin.name, (plugin, f"{plugin.name} (loaded as `{name}`)"))
    for name, package in versions.packages.items():
        plugin = plugin_for_package(name)
        if plugin is None:
            if name not in INERT_PLUGIN_PACKAGES and (name.startswith("pytest-") or name.endswith("-pytest")):
                return None  # a pytest plugin asynclint does not know: it may run them
            continue
        if plugin.entry_point not in disabled:
            known = package.exact is not None or package.specifier
            subject = (
                f"{package.name} {package.describe()}" if known else f"{package.name} (listed in {package.source})"
            )
            present.setdefault(plugin.name, (plugin, subject))
    if any(plugin.runs_every_test for plugin, _ in present.values()):
        return None
    if present:
        if not versions.has("pytest") and settings.config.path is None:
            return None  # nothing shows that pytest runs these files
        plugins = tuple(present[name] for name in sorted(present))
        reason = "; ".join(
            f"{subject} runs only {plugin.runs}"
            + (f" ({plugin.every_test_setting} is not set)" if plugin.every_test_setting else "")
            for plugin, subject in plugins
        )
        return Unclaimed(plugins, reason)
    if settings.asyncio_plugin_disabled or versions.inventory is None or not versions.has("pytest"):
        return None  # `-p no:asyncio` with nothing else in sight: something the project knows of runs them
    return Unclaimed((), f"no plugin that runs coroutine tests is installed ({versions.inventory} lists none)")


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
