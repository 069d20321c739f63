"""The project model: everything that is read once per run, before any rule, and then frozen.

`build_project` reads the pytest config, the package versions and the conftest/plugin modules that apply to
every directory holding a linted file. The result is a frozen, picklable `ProjectModel`. Per-file views
(which functions are tests and who runs them) are built from it by `model.collection`.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from asynclint import inputs
from asynclint.files import discover, display_path, read_source
from asynclint.lint_settings import parse_model_settings, settings_source
from asynclint.model.environment import COMPUTED_PLUGINS, Environment, asyncio_mark_is_evidence, read_environment
from asynclint.model.facts import FixtureDecorator, FixtureDef, ModuleSummary, Unknown
from asynclint.model.fixture_imports import FixtureImports
from asynclint.model.module_files import import_list, import_statements, resolve_module_path
from asynclint.model.pytest_config import ConfigFinder, ConfigProblem, PytestConfig
from asynclint.model.reader import read_module
from asynclint.model.settings import PytestSettings, derive_settings, external_mode_sources
from asynclint.model.versions import ProjectVersions, VersionResolver, uv_workspace_members
from asynclint.parsing import parse_module, too_deep

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """What the user told asynclint about the project (command line, `[tool.asynclint]`)."""

    asyncio_mode: str | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    #: Where the options came from, for messages ("--asyncio-mode", "[tool.asynclint] in pyproject.toml").
    source: str = "asynclint options"
    #: The project's Python environment (a folder or its interpreter), when the user names it.
    python: str | None = None
    #: The settings file named with `--config`: it applies to every folder instead of the nearest one.
    settings_file: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryFacts:
    """The facts shared by every test module in one directory."""

    directory: str
    settings: PytestSettings
    versions: ProjectVersions
    #: conftest.py files that apply, outermost first (pytest's registration order).
    conftests: tuple[str, ...]
    #: Project modules loaded through `pytest_plugins`, and plugin names asynclint could not read.
    plugin_modules: tuple[str, ...]
    unread_plugins: tuple[str, ...]
    #: Extra directories pytest puts on `sys.path` for this rootdir (`pythonpath`, `src/`).
    import_roots: tuple[str, ...]
    environment: Environment
    #: The folders of the uv workspace's members (and their `src/`): installed into its environment, so found
    #: after the test's own folders (a member's `tests` package does not stand for another's).
    workspace_roots: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectModel:
    directories: Mapping[str, DirectoryFacts]
    #: conftest and plugin module summaries; None for a module that could not be parsed.
    modules: Mapping[str, ModuleSummary | None]
    config_problems: tuple[ConfigProblem, ...]
    #: For a linted conftest that defines an async fixture under plain `@pytest.fixture` in strict mode, or an
    #: `event_loop` fixture: the test modules below it that may request it (its consumers live in other files).
    consumer_files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Linted conftests that override pytest-asyncio's loop fixtures where nothing else shows pytest-asyncio in
    #: use, but test modules below them do (why, by conftest path).
    asyncio_below: Mapping[str, str] = field(default_factory=dict)
    #: Names the linted files take from test modules (`from .test_crud import test_create`, `test_crud.name`),
    #: by the test module's name (its file name without `.py`; "*" for a star import): a test other code uses
    #: is a helper too.
    imported_from: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def directory(self, path: Path) -> DirectoryFacts:
        return self.directories[str(path.parent.resolve())]

    def module(self, path: str) -> ModuleSummary | None:
        return self.modules.get(path)


def read_path(path: Path) -> ModuleSummary | None:
    """Parse and read one module from disk; None when it cannot be read or parsed."""
    try:
        source = read_source(path)
        if too_deep(source) is not None:
            return None
        module = parse_module(source)
    except (OSError, cst.ParserSyntaxError, RecursionError, UnicodeDecodeError, ValueError, SyntaxError, LookupError):
        return None
    summary, _ = read_module(module, str(path), source.decode(module.encoding, errors="replace"))
    return summary


def _asynclint_table(path: Path) -> dict[str, object] | None:
    """`[tool.asynclint]` of a pyproject.toml, or all of an asynclint.toml (or of a file `--config` names)."""
    try:
        data: dict[str, object] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    table = tool.get("asynclint") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def tool_options_of(path: Path, table: Mapping[str, object], base: Path | None = None) -> ModelOptions:
    """The model's options from one settings table; a value asynclint cannot use is a `SettingsError`."""
    model = parse_model_settings(table, path, base)
    return ModelOptions(
        asyncio_mode=model.asyncio_mode,
        versions=dict(model.versions),
        source=settings_source(path),
        python=model.python,
    )


def load_tool_options(
    directory: Path, tables: dict[Path, dict[str, object] | None] | None = None
) -> ModelOptions | None:
    """asynclint's settings from the nearest `asynclint.toml`, or pyproject.toml with `[tool.asynclint]`.

    `tables` caches what each file holds, so a run reads each file once however many folders it has.
    """
    tables = {} if tables is None else tables
    for base in (directory, *directory.parents):
        for name in ("asynclint.toml", "pyproject.toml"):
            path = base / name
            if path not in tables:
                tables[path] = _asynclint_table(path) if inputs.is_file(path) else None
            table = tables[path]
            if table is not None:
                return tool_options_of(path, table)
    return None


class ProjectBuilder:
    """Builds a `ProjectModel` for a set of files. Reads each config and conftest once."""

    def __init__(self, options: ModelOptions | None = None, *, lint_root: Path | None = None) -> None:
        self.cli_options = options or ModelOptions()
        self.finder = ConfigFinder(stop_at=lint_root)
        self.resolvers: dict[tuple[tuple[str, str], ...], VersionResolver] = {}
        self.modules: dict[str, ModuleSummary | None] = {}
        self.directories: dict[str, DirectoryFacts] = {}
        self._external: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._tool_tables: dict[Path, dict[str, object] | None] = {}
        self.fixture_imports = FixtureImports(self._module)

    def _module(self, path: Path) -> ModuleSummary | None:
        key = str(path)
        if key not in self.modules:
            self.modules[key] = read_path(path)
        return self.modules[key]

    def _options_for(self, directory: Path) -> ModelOptions:
        named = self.cli_options.settings_file
        if named is not None:
            path = Path(named)
            if path not in self._tool_tables:
                self._tool_tables[path] = _asynclint_table(path)
            table = self._tool_tables[path]
            # Relative paths of a file named with --config are relative to the current folder (as in ruff).
            tool = tool_options_of(path, table, Path.cwd()) if table is not None else None
        else:
            tool = load_tool_options(directory, self._tool_tables)
        merged_versions = dict(tool.versions) if tool else {}
        merged_versions.update(self.cli_options.versions)
        python = self.cli_options.python or (tool.python if tool is not None else None)
        if self.cli_options.asyncio_mode is not None:
            return ModelOptions(self.cli_options.asyncio_mode, merged_versions, self.cli_options.source, python)
        if tool is not None:
            return ModelOptions(tool.asyncio_mode, merged_versions, tool.source, python)
        return ModelOptions(None, merged_versions, self.cli_options.source, python)

    def add_directory(self, directory: Path) -> DirectoryFacts:
        directory = directory.resolve()
        key = str(directory)
        if key in self.directories:
            return self.directories[key]
        options = self._options_for(directory)
        version_key = (*sorted(options.versions.items()), ("<python>", options.python or ""))
        resolver = self.resolvers.setdefault(version_key, VersionResolver(options.versions, python=options.python))
        versions = resolver.for_directory(directory)
        config = self.finder.for_directory(directory, versions)
        rootdir = Path(config.rootdir)
        external_key = (config.rootdir, config.path)
        if external_key not in self._external:
            self._external[external_key] = external_mode_sources(rootdir, config)
        mode_override = (options.asyncio_mode, options.source) if options.asyncio_mode is not None else None
        conftests = self._conftest_chain(directory, rootdir)
        plain_settings = derive_settings(config)
        import_roots = self._import_roots(rootdir, plain_settings)
        plugin_modules, unread = self._plugins(conftests, import_roots, plain_settings.plugins)
        settings = derive_settings(
            config,
            mode_override=mode_override,
            external_mode_sources=self._external[external_key],
            code_mode=self._code_mode((*conftests, *plugin_modules)),
            ambiguity=self._invocation_ambiguity(directory, config, versions),
            versions=versions,
        )
        facts = DirectoryFacts(
            directory=key,
            settings=settings,
            versions=versions,
            conftests=conftests,
            plugin_modules=plugin_modules,
            unread_plugins=unread,
            import_roots=import_roots,
            workspace_roots=self._workspace_roots(rootdir),
            environment=read_environment(
                settings,
                versions,
                conftests,
                plugin_modules,
                unread,
                self.modules,
                self._imported_fixtures((*conftests, *plugin_modules), import_roots),
            ),
        )
        self.directories[key] = facts
        return facts

    def _imported_fixtures(self, paths: Iterable[str], roots: tuple[str, ...]) -> dict[str, tuple[FixtureDef, ...]]:
        """The fixtures each conftest or plugin module imports from other modules (`from .fixtures import *`)."""
        found: dict[str, tuple[FixtureDef, ...]] = {}
        for path in paths:
            summary = self.modules.get(path)
            if summary is not None and (summary.imports.star_imports or summary.imports.bindings):
                found[path] = self.fixture_imports.of(summary, roots)
        return found

    def _code_mode(self, paths: Iterable[str]) -> tuple[str | None, str] | None:
        """The asyncio mode conftest code sets (`config.option.asyncio_mode = ...`), if any sets one."""
        for path in paths:
            summary = self.modules.get(path)
            if summary is None or not summary.mode_assignments:
                continue
            values = set(summary.mode_assignments)
            value = next(iter(values)) if len(values) == 1 else None
            shown = display_path(Path(path), Path.cwd())
            if isinstance(value, str):
                return value, f"`asyncio_mode` is set to {value!r} by code in {shown}"
            return None, f"code in {shown} sets the asyncio mode"
        return None

    def _invocation_ambiguity(self, directory: Path, config: PytestConfig, versions: ProjectVersions) -> str | None:
        """A nested config inside an outer config's `testpaths`: which one pytest reads depends on how it is run.

        `pytest` from the outer rootdir reads the outer config; `pytest tests/` reads the nested one. When the
        two disagree on the asyncio mode, the mode is unknown.
        """
        if config.path is None:
            return None
        outer = self.finder.for_directory(Path(config.rootdir).parent, versions)
        if outer.path is None or outer.problem is not None or not outer.values:
            return None
        outer_root = Path(outer.rootdir)
        covered = [match.resolve() for pattern in outer.get_args("testpaths") for match in _expand(outer_root, pattern)]
        if not any(path == directory or path in directory.parents for path in covered):
            return None
        inner_mode = derive_settings(config, versions=versions).asyncio_mode
        outer_mode = derive_settings(outer, versions=versions).asyncio_mode
        if inner_mode == outer_mode:
            return None
        return (
            f"`pytest` run from {outer_root} reads {Path(outer.path).name} (mode {outer_mode or 'unknown'}), "
            f"while `pytest {directory.relative_to(outer_root)}` reads {Path(config.path).name} "
            f"(mode {inner_mode or 'unknown'}); set `asyncio-mode` in [tool.asynclint] to say which applies"
        )

    def _conftest_chain(self, directory: Path, rootdir: Path) -> tuple[str, ...]:
        """conftest.py files from the rootdir down to the directory (pytest's confcutdir is the rootdir)."""
        chain: list[str] = []
        for base in reversed((directory, *directory.parents)):
            if base == rootdir or rootdir in base.parents:
                candidate = base / "conftest.py"
                if inputs.is_file(candidate):
                    chain.append(str(candidate))
                    self._module(candidate)
        return tuple(chain)

    def _import_roots(self, rootdir: Path, settings: PytestSettings) -> tuple[str, ...]:
        roots = [rootdir]
        for entry in settings.pythonpath:
            roots.append((rootdir / entry).resolve())
        if inputs.is_dir(rootdir / "src"):
            roots.append(rootdir / "src")
        return tuple(dict.fromkeys(str(root) for root in roots))

    def _workspace_roots(self, rootdir: Path) -> tuple[str, ...]:
        """`DirectoryFacts.workspace_roots`: the members of the uv workspace the tests run in, installed into
        its environment as the project's own code (`packages/client` holding `client/` or `src/client/`)."""
        roots: list[Path] = []
        for member in uv_workspace_members(rootdir):
            roots.append(member / "src" if inputs.is_dir(member / "src") else member)
        return tuple(dict.fromkeys(str(root) for root in roots))

    def _plugins(
        self, conftests: Iterable[str], import_roots: tuple[str, ...], early: Iterable[str] = ()
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Modules named by `-p` in addopts (`early`) and by `pytest_plugins`: project ones are read like
        conftests, others noted by name. pytest-asyncio's own modules are never read as the project's: what
        they do is what asynclint models."""
        found: list[str] = []
        unread: list[str] = []
        pending = [*early, *(name for conftest in conftests for name in self._plugin_names(conftest))]
        seen: set[str] = set()
        while pending:
            name = pending.pop(0)
            if name in seen:
                continue
            seen.add(name)
            path = None if name.partition(".")[0] == "pytest_asyncio" else resolve_module_path(name, import_roots)
            if path is None:
                unread.append(name)
                continue
            found.append(str(path))
            summary = self._module(path)
            if summary is not None and isinstance(summary.pytest_plugins, tuple):
                pending.extend(summary.pytest_plugins)
        return tuple(found), tuple(unread)

    def _plugin_names(self, path: str) -> tuple[str, ...]:
        summary = self.modules.get(path)
        if summary is None:
            return ()
        plugins = summary.pytest_plugins
        if isinstance(plugins, Unknown):
            return (COMPUTED_PLUGINS,)
        return plugins or ()

    def build(self, files: Iterable[Path]) -> ProjectModel:
        files = list(files)
        for path in files:
            self.add_directory(path.parent)
        conftests = [path.resolve() for path in files if path.name == "conftest.py"]
        consumer_files = {str(path): self._consumer_files(path) for path in conftests}
        asyncio_below = {str(path): why for path in conftests if (why := self._asyncio_below(path))}
        problems = {
            facts.settings.config.problem
            for facts in self.directories.values()
            if facts.settings.config.problem is not None
        }
        return ProjectModel(
            directories=dict(self.directories),
            modules=dict(self.modules),
            config_problems=tuple(sorted(problems, key=lambda p: p.path)),
            consumer_files={path: found for path, found in consumer_files.items() if found},
            asyncio_below=asyncio_below,
            imported_from=self._imported_from(files),
        )

    def _imported_from(self, files: Iterable[Path]) -> dict[str, frozenset[str]]:
        """What the linted files take from test modules, read from their import lines (a text scan: parsing
        every file here would cost as much as linting it)."""
        found: dict[str, set[str]] = {}
        #: Whether a module name is a test module's, by the `python_files` patterns that decide it.
        memos: dict[tuple[str, ...], dict[str, bool]] = {}
        by_folder: dict[Path, Callable[[str], bool]] = {}

        def test_module_name(settings: PytestSettings, memo: dict[str, bool], module: str) -> bool:
            if module not in memo:
                memo[module] = settings.is_test_module(Path(f"{module}.py"))
            return memo[module]

        for path in files:
            try:
                text = read_source(path).decode("utf-8", errors="replace")
            except OSError:
                continue
            wanted = by_folder.get(path.parent)
            if wanted is None:
                settings = self.add_directory(path.parent).settings
                memo = memos.setdefault(settings.python_files, {})
                wanted = by_folder[path.parent] = functools.partial(test_module_name, settings, memo)
            for module, name in imported_names(text, wanted):
                found.setdefault(module, set()).add(name)
        return {module: frozenset(names) for module, names in found.items()}

    def _asyncio_below(self, conftest: Path) -> str | None:
        """Why a conftest overriding `event_loop`/`event_loop_policy` belongs to a pytest-asyncio suite.

        The override alone does not say so (a project may define an `event_loop` of its own); a test module
        below it that imports pytest_asyncio or applies the asyncio mark does.
        """
        summary = self._module(conftest)
        directory = self.add_directory(conftest.parent)
        if summary is None or directory.environment.asyncio_evidence is not None:
            return None
        if not any(f.name in ("event_loop", "event_loop_policy") for f in summary.fixtures):
            return None
        return pytest_asyncio_user(conftest.parent, lambda path: self.add_directory(path.parent))

    def _consumer_files(self, conftest: Path) -> tuple[str, ...]:
        """Test modules below a conftest that may use its unhandled async fixtures, its `event_loop` fixture, or
        its scoped async fixtures whose value is tied to their loop and whose `loop_scope` is not their scope
        (AIO401's fix must know who would move).

        Only conftests with such a fixture pay for this walk; a module counts when it mentions a
        fixture's name, or always for an autouse one. Their folders join the model so that their tests (and
        who owns them) can be worked out like those of linted files.
        """
        conftest = conftest.resolve()
        directory = self.add_directory(conftest.parent)
        summary = self._module(conftest)
        if summary is None:
            return ()
        strict = directory.settings.asyncio_mode == "strict"
        candidates = [
            f
            for f in summary.fixtures
            if f.class_qualname is None
            and (
                (strict and f.is_async and f.decorator is FixtureDecorator.PYTEST)
                or f.name == "event_loop"
                or (f.is_async and f.loop_binding is not None and f.scope is not None and f.loop_scope != f.scope)
            )
        ]
        if not candidates:
            return ()
        paths = list(discover([conftest.parent]))
        # A test may get such a fixture through a fixture of this conftest or of one below it (`header(token)`)
        # and never name it: the names of those fixtures count too.
        requesters = [f for f in summary.fixtures if f.class_qualname is None]
        for path in paths:
            below = self._module(path.resolve()) if path.name == "conftest.py" and path.resolve() != conftest else None
            if below is not None:
                requesters.extend(f for f in below.fixtures if f.class_qualname is None)
        wanted = {f.name for f in candidates}
        autouse = any(f.autouse is True for f in candidates)
        grown = True
        while grown:
            grown = False
            for fixture in requesters:
                if fixture.name not in wanted and wanted.intersection(fixture.requests):
                    wanted.add(fixture.name)
                    autouse = autouse or fixture.autouse is True
                    grown = True
        pattern = re.compile(r"\b(?:" + "|".join(sorted(re.escape(name) for name in wanted)) + r")\b")
        found: list[str] = []
        for path in paths:
            if path.name == "conftest.py":
                continue
            facts = self.add_directory(path.parent)
            if not facts.settings.is_test_module(path):
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if autouse or pattern.search(text):
                found.append(str(path.resolve()))
        return tuple(found)


def _expand(root: Path, pattern: str) -> list[Path]:
    """A `testpaths` entry: a path, or a glob (pytest >= 7.2)."""
    if any(char in pattern for char in "*?["):
        return sorted(root.glob(pattern))
    return [root / pattern]


def imported_names(text: str, wanted: Callable[[str], bool] = lambda _: True) -> Iterator[tuple[str, str]]:
    """(module, name) for each name a module's source takes from a `wanted` module, with the module given by
    its last dotted part: `from .test_crud import test_create` and `test_crud.test_create` (after `import
    tests.test_crud` or `from . import test_crud`) both give ("test_crud", "test_create"); `from m import *`
    gives ("m", "*")."""
    modules: dict[str, str] = {}  # a name bound to a wanted module (or possibly one) -> its last part
    for match in import_statements(text):
        source, names, plain = match.groups()
        if plain is not None:
            for name, bound in import_list(plain):
                tail = name.rpartition(".")[2]
                if wanted(tail):
                    modules[tail if bound == name else bound] = tail
            continue
        tail = source.rstrip(".").rpartition(".")[2]
        for name, bound in import_list(names):
            if tail and wanted(tail):
                yield tail, name
            if wanted(name):
                modules[bound] = name
    names = [name for name in modules if name.isidentifier()]
    if not names:
        return
    used = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")[ \t]*\.[ \t]*(\w+)")
    for match in used.finditer(text):
        yield modules[match.group(1)], match.group(2)


def pytest_asyncio_user(root: Path, facts_of: Callable[[Path], DirectoryFacts]) -> str | None:
    """Why the suite under `root` uses pytest-asyncio: the first test module that imports it or applies its
    mark (a text scan, for a config or conftest that says nothing itself). Modules under `-p no:asyncio` do not
    count, nor does the mark where the project registers an `asyncio` mark of its own."""
    for path in discover([root]):
        if path.name == "conftest.py":
            continue
        facts = facts_of(path)
        settings = facts.settings
        if not settings.is_test_module(path) or settings.asyncio_plugin_disabled:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        marked = "mark.asyncio" in text and asyncio_mark_is_evidence(facts.environment.registered_markers)
        if "pytest_asyncio" in text or marked:
            return f"{path.name} uses pytest-asyncio"
    return None


def build_project(
    files: Iterable[Path], options: ModelOptions | None = None, *, lint_root: Path | None = None
) -> ProjectModel:
    """Read every fact the rules need about the projects these files belong to."""
    return ProjectBuilder(options, lint_root=lint_root).build(files)
