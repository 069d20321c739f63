"""What pytest will collect from one module, and who will run each async test.

`FileModel` is the per-file view the rules read: for every function pytest collects as a test, its marks at
every level (closest first), its fixture closure, its unittest base, and its owner: pytest-asyncio, anyio,
pytest-trio, unittest, another plugin, nobody (where pytest-asyncio is not in use and no plugin present is asked
to run it), or unknown. Anything asynclint cannot see (an unknown decorator, a computed `pytestmark`, a base class
from a library it cannot read, a conftest hook that may add marks) makes the answer unknown, and rules that
depend on it stay silent.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint import inputs
from asynclint.model.coroutines import CoroutineIndex, ShapeCache
from asynclint.model.environment import Unclaimed, asyncio_mark_is_evidence
from asynclint.model.facts import (
    ClassInfo,
    DecoratorKind,
    FixtureDef,
    Function,
    Mark,
    ModuleSummary,
    NodeKey,
)
from asynclint.model.fixture_imports import FixtureImports
from asynclint.model.fixtures import FixtureClosure, FixtureIndex
from asynclint.model.module_files import basedir, module_path
from asynclint.model.project import DirectoryFacts, ProjectModel, read_path
from asynclint.model.reader import LOCAL
from asynclint.model.settings import PytestSettings
from asynclint.model.shapes import ModuleShape
from asynclint.model.versions import ProjectVersions

PLAIN_TESTCASES = frozenset({"unittest.TestCase", "unittest.case.TestCase"})
#: unittest-style bases that run `async def` test methods themselves.
ASYNC_TESTCASES = frozenset(
    {
        "unittest.IsolatedAsyncioTestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
        "asynctest.TestCase",
        "asynctest.case.TestCase",
        "aiounittest.AsyncTestCase",
        "aiounittest.case.AsyncTestCase",
        "django.test.SimpleTestCase",
        "django.test.TestCase",
        "django.test.TransactionTestCase",
        "django.test.LiveServerTestCase",
    }
)
#: Bases that add nothing pytest cares about.
NEUTRAL_BASES = frozenset({"builtins.object", "abc.ABC", "object"})

#: Marks through which other plugins run coroutine tests (pytest-tornado, pytest-asyncio-cooperative...).
FOREIGN_RUNNER_MARKS = frozenset(
    {"gen_test", "asyncio_cooperative", "asyncio_concurrent", "tornado", "twisted", "curio", "qasync"}
)
#: Marks pytest and the common async plugins define: never a misspelling of `asyncio`.
KNOWN_MARKS = frozenset(
    {
        "asyncio",
        "anyio",
        "trio",
        "skip",
        "skipif",
        "xfail",
        "parametrize",
        "usefixtures",
        "filterwarnings",
        "asyncio_cooperative",
        "timeout",
        "flaky",
        "django_db",
    }
)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): `asycnio` is one transposition away."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def misspelled_asyncio(name: str, registered: frozenset[str] | set[str]) -> bool:
    """A mark within two edits of `asyncio` (`asyncios`, `asycnio`, `async_io`) that is neither a known mark nor
    one the project registers: pytest sees an unknown mark, and the test it is meant for gets no `asyncio` mark."""
    if name in KNOWN_MARKS or name in registered:
        return False
    return edit_distance(name.lower(), "asyncio") <= 2 or edit_distance(name, "asyncio") <= 2


class Owner(enum.Enum):
    PYTEST_ASYNCIO = "pytest-asyncio"
    ANYIO = "anyio"
    TRIO = "pytest-trio"
    UNITTEST = "unittest"
    OTHER = "another plugin"
    #: No plugin present is asked to run it, and asynclint sees every plugin that could (`Unclaimed`).
    NOBODY = "nobody"
    UNKNOWN = "unknown"


class TestCaseKind(enum.Enum):
    NONE = "none"
    PLAIN = "plain"
    ASYNC = "async"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LevelMark:
    """A mark as it applies to a test: where it comes from and whether it is written in this file."""

    mark: Mark
    level: str  # "function", "class" or "module"
    where: str  # "the function", "class TestX", "the module `pytestmark`"
    local: bool


@dataclass(frozen=True, slots=True)
class ClassFacts:
    info: ClassInfo
    #: The module the class is defined in.
    path: str
    testcase: TestCaseKind
    #: The unittest base that decided `testcase` (`unittest.TestCase`), as a canonical name.
    testcase_base: str | None
    #: True when the class lists that base itself (so its base list is the place to fix).
    direct_testcase_base: bool
    marks: tuple[LevelMark, ...]
    marks_unknown: str | None
    has_init: bool
    fixtures: tuple[FixtureDef, ...]


@dataclass(frozen=True, slots=True)
class TestItem:
    """One function pytest collects as a test."""

    function: Function
    kind: str  # "function", "method" or "unittest"
    classes: tuple[ClassFacts, ...]  # innermost first
    testcase: TestCaseKind
    marks: tuple[LevelMark, ...]  # closest first
    marks_unknown: str | None
    decorators_unknown: str | None
    closure: FixtureClosure
    closure_unknown: str | None
    anyio_signal: str | None
    trio_signal: str | None
    owner: Owner
    owner_reason: str
    #: Marks at any level that look like a misspelled `asyncio` mark (AIO105's): the test was meant to have one.
    misspelled_asyncio_marks: tuple[LevelMark, ...] = ()

    def marks_named(self, name: str) -> tuple[LevelMark, ...]:
        return tuple(level_mark for level_mark in self.marks if level_mark.mark.name == name)

    @property
    def asyncio_marks(self) -> tuple[LevelMark, ...]:
        return self.marks_named("asyncio")


class ModuleIndex:
    """Project modules read on demand (base classes imported from helpers); never imports anything."""

    def __init__(self, project: ProjectModel) -> None:
        self.project = project
        self._cache: dict[str, ModuleSummary | None] = {}

    def summary(self, path: Path) -> ModuleSummary | None:
        key = str(path)
        known = self.project.module(key)
        if known is not None:
            return known
        if key not in self._cache:
            self._cache[key] = read_path(path)
        return self._cache[key]

    def find(self, dotted: str, importer: Path, roots: Sequence[str]) -> ModuleSummary | None:
        path = module_path(dotted, importer, roots)
        return self.summary(path) if path is not None else None


@dataclass
class _ClassResolver:
    index: ModuleIndex
    roots: Sequence[str]
    depth_limit: int = 12
    #: (module path, class) -> the summary it was resolved from and the result. A file being fixed gets a new
    #: summary on each pass, so an entry counts only for the very summary it came from.
    _cache: dict[tuple[str, str], tuple[ModuleSummary, ClassFacts | None]] = field(default_factory=dict)

    def resolve(self, summary: ModuleSummary, qualname: str, depth: int = 0) -> ClassFacts | None:
        key = (summary.path, qualname)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is summary:
            return cached[1]
        info = summary.class_named(qualname)
        if info is None or depth > self.depth_limit:
            return None
        self._cache[key] = (summary, None)  # cycle guard
        facts = self._resolve_info(summary, info, depth)
        self._cache[key] = (summary, facts)
        return facts

    def _resolve_info(self, summary: ModuleSummary, info: ClassInfo, depth: int) -> ClassFacts:
        local = summary.path
        marks = [LevelMark(m, "class", f"class {info.name}", True) for m in info.marks.marks]
        marks_unknown = info.marks.unknown
        testcase = TestCaseKind.NONE
        testcase_base: str | None = None
        direct = False
        has_init = info.has_init
        fixtures = [f for f in summary.fixtures if f.class_qualname == info.qualname]
        unknown_base: str | None = None
        for base in info.bases:
            canonical = base.canonical
            if canonical in PLAIN_TESTCASES or canonical in ASYNC_TESTCASES:
                kind = TestCaseKind.ASYNC if canonical in ASYNC_TESTCASES else TestCaseKind.PLAIN
                testcase, testcase_base, direct = _merge(testcase, testcase_base, direct, kind, canonical, True)
                continue
            if canonical in NEUTRAL_BASES:
                continue
            parent = self._base_facts(summary, canonical, depth) if canonical is not None else None
            if parent is None:
                unknown_base = base.written or "a computed base"
                continue
            testcase, testcase_base, direct = _merge(
                testcase, testcase_base, direct, parent.testcase, parent.testcase_base, False
            )
            has_init = has_init or parent.has_init
            in_this_file = parent.path == local
            for level_mark in parent.marks:
                where = f"base class {parent.info.name}"
                marks.append(LevelMark(level_mark.mark, "class", where, in_this_file and level_mark.local))
            marks_unknown = marks_unknown or parent.marks_unknown
            fixtures.extend(parent.fixtures)
        if unknown_base is not None:
            if testcase is not TestCaseKind.ASYNC:
                testcase = TestCaseKind.UNKNOWN
            marks_unknown = marks_unknown or f"the base class `{unknown_base}` cannot be read"
        unknown_decorators = any(d.kind is DecoratorKind.UNKNOWN for d in info.decorators)
        if testcase is TestCaseKind.PLAIN and (info.has_metaclass or info.call_hooks or unknown_decorators):
            # A metaclass, a class decorator or an override of how tests are called can make async test
            # methods run (asyncpg's and motor's test cases do): whether they run is unknown.
            testcase = TestCaseKind.UNKNOWN
        return ClassFacts(
            info=info,
            path=local,
            testcase=testcase,
            testcase_base=testcase_base,
            direct_testcase_base=direct,
            marks=tuple(marks),
            marks_unknown=marks_unknown,
            has_init=has_init,
            fixtures=tuple(fixtures),
        )

    def _base_facts(self, summary: ModuleSummary, canonical: str, depth: int) -> ClassFacts | None:
        if canonical.startswith(LOCAL + "."):
            return self.resolve(summary, canonical[len(LOCAL) + 1 :], depth + 1)
        module_name, _, name = canonical.rpartition(".")
        if not module_name:
            return None
        target = self.index.find(module_name, Path(summary.path), self.roots)
        if target is None:
            return None
        if target.class_named(name) is not None:
            return self.resolve(target, name, depth + 1)
        # A re-export (`from .case import BaseCase` in a package's __init__): follow the import once more.
        forwarded = target.imports.bindings.get(name)
        if forwarded is None or forwarded == canonical or depth > self.depth_limit:
            return None
        return self._base_facts(target, forwarded, depth + 1)


def _merge(
    current: TestCaseKind,
    current_base: str | None,
    current_direct: bool,
    new: TestCaseKind,
    new_base: str | None,
    new_direct: bool,
) -> tuple[TestCaseKind, str | None, bool]:
    """Combine what two bases say: an async TestCase wins, an unknown beats a plain one."""
    order = {TestCaseKind.NONE: 0, TestCaseKind.PLAIN: 1, TestCaseKind.UNKNOWN: 2, TestCaseKind.ASYNC: 3}
    if order[new] > order[current]:
        return new, new_base, new_direct
    return current, current_base, current_direct


@dataclass(frozen=True, slots=True)
class FileModel:
    """Everything rules know about one file: its facts, its directory's facts, and its tests."""

    path: Path
    summary: ModuleSummary
    directory: DirectoryFacts
    is_test_module: bool
    is_conftest: bool
    tests: Mapping[NodeKey, TestItem]
    classes: Mapping[str, ClassFacts]
    #: Why pytest-asyncio is known to be in use, or None when nothing says it is.
    asyncio_evidence: str | None
    #: Why marks or the runner of async tests may be changed outside this file (conftest hooks, plugins).
    environment_unknown: str | None
    runner_plugin: str | None
    #: Where pytest-asyncio is not in use here: why a coroutine test no plugin is asked to run is run by nobody
    #: (None when something asynclint cannot see might run it, or where pytest-asyncio is in use).
    unclaimed: Unclaimed | None
    #: Marks the project registers (`markers` in the config, `addinivalue_line` in conftests).
    registered_markers: frozenset[str]
    fixtures: FixtureIndex
    #: Resolves names to coroutine functions and classes (the project's modules and installed packages).
    coroutines: CoroutineIndex
    #: Finds the tests that request a fixture, in this module or (for a conftest) in the modules below it.
    consumers: FixtureConsumers = field(compare=False, repr=False)
    #: Names the linted files import from a module of this name ("*": all of them), so used as more than tests.
    imported_names: frozenset[str] = frozenset()

    @property
    def settings(self) -> PytestSettings:
        return self.directory.settings

    @property
    def versions(self) -> ProjectVersions:
        return self.directory.versions

    def class_fixtures(self, qualname: str | None) -> tuple[FixtureDef, ...]:
        """Fixtures a method of class `qualname` sees before the module's: its class's and its bases'."""
        if qualname is None:
            return ()
        facts = self.classes.get(qualname)
        if facts is not None:
            return facts.fixtures
        return tuple(f for f in self.summary.fixtures if f.class_qualname == qualname)

    def test_for(self, function: Function) -> TestItem | None:
        return self.tests.get(function.key)

    def iter_tests(self) -> Iterator[TestItem]:
        return iter(self.tests.values())


@dataclass(frozen=True, slots=True)
class Consumer:
    """A test whose fixture closure holds a given fixture definition."""

    path: Path
    test: TestItem


class FixtureConsumers:
    """The tests that request a fixture, resolved exactly as for linted files (nearest definition wins).

    A module's own fixtures are used by its own tests. A conftest's are used by the test modules below it that
    the project model lists (`ProjectModel.consumer_files`); those are read on first use, once per run.
    """

    def __init__(self, builder: FileModelBuilder) -> None:
        self._builder = builder
        self._models: dict[str, FileModel | None] = {}

    def of(self, fixture: FixtureDef, model: FileModel) -> tuple[Consumer, ...]:
        if not model.is_conftest:
            return tuple(
                Consumer(model.path, test) for test in model.iter_tests() if _requests(test, fixture, fixture.path)
            )
        where = str(Path(fixture.path).resolve())
        found: list[Consumer] = []
        for path in self._builder.project.consumer_files.get(where, ()):
            other = self._model(path)
            if other is not None:
                found.extend(Consumer(other.path, t) for t in other.iter_tests() if _requests(t, fixture, where))
        return tuple(found)

    def _model(self, path: str) -> FileModel | None:
        if path not in self._models:
            with inputs.paused():  # a conftest's cache key holds the stamps of the modules using its fixtures
                summary = self._builder.index.summary(Path(path))
            self._models[path] = self._builder.build(Path(path), summary) if summary is not None else None
        return self._models[path]


def _requests(test: TestItem, fixture: FixtureDef, where: str) -> bool:
    """Whether the definition pytest picks for one of the test's requests is `fixture` (read from `where`)."""
    return any(
        d.name == fixture.name
        and d.function == fixture.function
        and d.class_qualname == fixture.class_qualname
        and (d.path == where or str(Path(d.path).resolve()) == where)
        for d in test.closure.definitions
    )


#: Folder names that hold tests and the helpers they import.
TEST_FOLDERS = frozenset({"tests", "test", "testing", "testutils", "test_utils"})


def is_test_support(path: Path) -> bool:
    """Whether a module sits in a test folder (`tests/utils.py`, `tests/helpers/db.py`): code tests run."""
    return any(
        part in TEST_FOLDERS or part.startswith("test_") or part.endswith("_tests") for part in path.parent.parts[-6:]
    )


class FileModelBuilder:
    """Builds `FileModel`s for the files of one run, sharing the module index between them."""

    def __init__(self, project: ProjectModel, shape_cache: ShapeCache | None = None) -> None:
        self.project = project
        self.index = ModuleIndex(project)
        self.shape_cache = shape_cache or ShapeCache(None)
        self._coroutine_indexes: dict[tuple[tuple[str, ...], tuple[str, ...], str | None], CoroutineIndex] = {}
        self._shapes: dict[str, ModuleShape | None] = {}
        #: Resolved classes are shared between the files of a run (base classes are often common).
        self._resolvers: dict[tuple[str, ...], _ClassResolver] = {}
        self.consumers = FixtureConsumers(self)
        self.fixture_imports = FixtureImports(self.index.summary)

    def file_kind(self, path: Path) -> str:
        """ "test", "conftest", "helper" (another module of a test folder: `tests/utils.py`) or "other", from
        the path and pytest's `python_files` alone."""
        if path.name == "conftest.py":
            return "conftest"
        if self.project.directory(path).settings.is_test_module(path):
            return "test"
        return "helper" if is_test_support(path) else "other"

    def build(self, path: Path, summary: ModuleSummary) -> FileModel:
        directory = self.project.directory(path)
        settings = directory.settings
        is_conftest = path.name == "conftest.py"
        is_test_module = not is_conftest and settings.is_test_module(path) and summary.collect_flag is not False
        # Base classes (possibly in other modules) matter only where tests are collected.
        classes = self._classes(summary, directory) if is_test_module else {}
        environment = directory.environment
        environment_unknown = environment.unknown
        runner_plugin = environment.runner_plugin
        registered_markers = environment.registered_markers | set(summary.registered_markers)
        mark_is_evidence = asyncio_mark_is_evidence(registered_markers)
        evidence = self._asyncio_evidence(path, summary, directory, mark_is_evidence, is_conftest)
        unclaimed = environment.unclaimed
        if evidence is not None:
            unclaimed = None  # this module shows pytest-asyncio in use: its rules apply
        module_fixtures = tuple(f for f in summary.fixtures if f.class_qualname is None)
        imported = () if is_conftest else self.fixture_imports.of(summary, directory.import_roots)
        fixtures = FixtureIndex(module_fixtures, environment.fixtures, environment.fixtures_unreadable, imported)
        tests: dict[NodeKey, TestItem] = {}
        if is_test_module:
            # A name defined twice in one scope: pytest only sees the last definition.
            last = {function.qualname: function.key for function in summary.functions}
            for function in summary.functions:
                if last[function.qualname] != function.key:
                    continue
                item = self._item(
                    function,
                    summary,
                    classes,
                    settings,
                    fixtures,
                    evidence,
                    environment_unknown,
                    runner_plugin,
                    mark_is_evidence,
                    unclaimed,
                    registered_markers,
                )
                if item is not None:
                    tests[function.key] = item
        coroutines = self._coroutine_index(path, directory)
        return FileModel(
            path=path,
            summary=summary,
            directory=directory,
            is_test_module=is_test_module,
            is_conftest=is_conftest,
            tests=tests,
            classes=classes,
            asyncio_evidence=evidence,
            environment_unknown=environment_unknown,
            runner_plugin=runner_plugin,
            unclaimed=unclaimed,
            registered_markers=registered_markers,
            fixtures=fixtures,
            coroutines=coroutines,
            consumers=self.consumers,
            imported_names=self.project.imported_from.get(path.stem, frozenset()),
        )

    def _classes(self, summary: ModuleSummary, directory: DirectoryFacts) -> dict[str, ClassFacts]:
        """The facts of the module's classes (test case kinds, marks, fixtures), bases resolved across modules."""
        resolver = self._resolvers.setdefault(
            directory.import_roots, _ClassResolver(self.index, directory.import_roots)
        )
        classes: dict[str, ClassFacts] = {}
        for info in summary.classes:
            facts = resolver.resolve(summary, info.qualname)
            if facts is not None:
                classes[info.qualname] = facts
        return classes

    def _asyncio_evidence(
        self, path: Path, summary: ModuleSummary, directory: DirectoryFacts, mark_is_evidence: bool, is_conftest: bool
    ) -> str | None:
        """Why the module's suite uses pytest-asyncio: its folder's evidence, or what the module itself shows."""
        evidence = directory.environment.asyncio_evidence
        if directory.settings.asyncio_plugin_disabled:  # `-p no:asyncio`: nothing in the module turns it back on
            return evidence
        if evidence is None and summary.uses_pytest_asyncio:
            evidence = "this module uses pytest-asyncio"
        if evidence is None and summary.applies_asyncio_mark and mark_is_evidence:
            evidence = "this module applies the asyncio mark"
        if evidence is None and is_conftest:
            evidence = self.project.asyncio_below.get(str(path.resolve()))
        return evidence

    def _coroutine_index(self, path: Path, directory: DirectoryFacts) -> CoroutineIndex:
        """The coroutine index of the module's import roots and environment, one per distinct pair."""
        roots = tuple(dict.fromkeys((*directory.import_roots, str(basedir(path)), *directory.workspace_roots)))
        index_key = (roots, directory.versions.site_packages, directory.versions.root)
        coroutines = self._coroutine_indexes.get(index_key)
        if coroutines is None:
            coroutines = CoroutineIndex(
                roots,
                directory.versions.site_packages,
                self.shape_cache,
                self._shapes,
                project_packages=directory.versions.packages,
            )
            self._coroutine_indexes[index_key] = coroutines
        return coroutines

    # -- tests ---------------------------------------------------------------------------------------------

    def _item(
        self,
        function: Function,
        summary: ModuleSummary,
        classes: Mapping[str, ClassFacts],
        settings: PytestSettings,
        fixtures: FixtureIndex,
        evidence: str | None,
        environment_unknown: str | None,
        runner_plugin: str | None,
        mark_is_evidence: bool,
        unclaimed: Unclaimed | None,
        registered_markers: frozenset[str],
    ) -> TestItem | None:
        if function.fixture is not None:
            return None
        chain = _class_chain(function, classes)
        if chain is None:
            return None
        innermost = chain[0] if chain else None
        testcase = innermost.testcase if innermost else TestCaseKind.NONE
        kind = _collected_as(function, chain, settings)
        if kind is None:
            return None
        marks, marks_unknown = _marks_of(function, chain, summary)
        unknown_decorators = [d.written for d in function.decorators if d.kind is DecoratorKind.UNKNOWN]
        decorators_unknown = f"the decorator `@{unknown_decorators[0]}`" if unknown_decorators else None
        usefixtures, closure_unknown = _usefixtures(marks)
        dynamic = "the test calls `request.getfixturevalue`" if function.dynamic_requests else None
        class_fixtures = [f for facts in chain for f in facts.fixtures]
        closure = fixtures.closure((*function.argnames, *usefixtures), class_fixtures, dynamic=dynamic)
        closure_unknown = closure_unknown or closure.unknown
        if unclaimed is not None and closure_unknown is None:
            # a fixture no module of the project defines comes from a plugin, which may run the test itself
            closure_unknown = _plugin_fixture(closure, marks)
        anyio_signal, trio_signal = _framework_signals(marks, closure.names, settings)
        owner, reason = _owner(
            function,
            testcase,
            innermost,
            marks,
            marks_unknown,
            decorators_unknown,
            closure_unknown,
            anyio_signal,
            trio_signal,
            settings,
            evidence,
            environment_unknown,
            runner_plugin,
            mark_is_evidence,
            unclaimed,
        )
        return TestItem(
            function=function,
            kind=kind,
            classes=tuple(chain),
            testcase=testcase,
            marks=tuple(marks),
            marks_unknown=marks_unknown,
            decorators_unknown=decorators_unknown,
            closure=closure,
            closure_unknown=closure_unknown,
            anyio_signal=anyio_signal,
            trio_signal=trio_signal,
            owner=owner,
            owner_reason=reason,
            misspelled_asyncio_marks=tuple(m for m in marks if misspelled_asyncio(m.mark.name, registered_markers)),
        )


#: Fixtures of pytest itself and of the plugins asynclint knows, which a test requests without any module of
#: the project defining them.
KNOWN_FIXTURES = frozenset(
    {
        # pytest
        "cache",
        "capfd",
        "capfdbinary",
        "caplog",
        "capsys",
        "capsysbinary",
        "capteesys",
        "doctest_namespace",
        "monkeypatch",
        "pytestconfig",
        "pytester",
        "record_property",
        "record_testsuite_property",
        "record_xml_attribute",
        "recwarn",
        "request",
        "subtests",
        "testdir",
        "tmp_path",
        "tmp_path_factory",
        "tmpdir",
        "tmpdir_factory",
        # anyio
        "anyio_backend",
        "anyio_backend_name",
        "anyio_backend_options",
        "free_tcp_port",
        "free_tcp_port_factory",
        "free_udp_port",
        "free_udp_port_factory",
        # pytest-trio
        "autojump_clock",
        "mock_clock",
        "nursery",
        # pytest-mock
        "class_mocker",
        "mocker",
        "module_mocker",
        "package_mocker",
        "session_mocker",
    }
)


def _class_chain(function: Function, classes: Mapping[str, ClassFacts]) -> list[ClassFacts] | None:
    """The classes the function is defined in, innermost first; None when one of them is not known."""
    chain: list[ClassFacts] = []
    qualname = function.class_qualname
    while qualname is not None:
        facts = classes.get(qualname)
        if facts is None:
            return None
        chain.append(facts)
        qualname = facts.info.outer_qualname
    return chain


def _collected_as(function: Function, chain: Sequence[ClassFacts], settings: PytestSettings) -> str | None:
    """How pytest collects the function: "function", "unittest" or "method"; None when it does not."""
    innermost = chain[0] if chain else None
    if innermost is None:
        return "function" if settings.is_test_function(function.name) else None
    if innermost.testcase in (TestCaseKind.PLAIN, TestCaseKind.ASYNC):
        # unittest collects `test*` methods of any TestCase subclass, whatever the class is called.
        if not function.name.startswith("test") or innermost.info.collect_flag is False:
            return None
        return "unittest"
    if not settings.is_test_function(function.name):
        return None
    for facts in chain:
        if facts.testcase is TestCaseKind.UNKNOWN and settings.is_test_class(facts.info.name):
            continue  # may be a unittest class or a pytest class: collected either way
        if not settings.is_test_class(facts.info.name) or facts.info.collect_flag is False:
            return None
        if facts.has_init:
            return None  # pytest refuses to collect a test class with __init__
    return "method"


def _marks_of(
    function: Function, chain: Sequence[ClassFacts], summary: ModuleSummary
) -> tuple[list[LevelMark], str | None]:
    """The marks that apply to the test, the function's own first, then its classes', then the module's; and
    why some may be missing."""
    marks: list[LevelMark] = [LevelMark(m, "function", "the function", True) for m in function.marks.marks]
    marks_unknown = function.marks.unknown
    for facts in chain:
        marks.extend(facts.marks)
        marks_unknown = marks_unknown or facts.marks_unknown
    marks.extend(LevelMark(m, "module", "the module `pytestmark`", True) for m in summary.module_marks.marks)
    return marks, marks_unknown or summary.module_marks.unknown


def _usefixtures(marks: Sequence[LevelMark]) -> tuple[list[str], str | None]:
    """The fixtures `usefixtures` marks name, and why some may be missing (a computed argument)."""
    names: list[str] = []
    unknown: str | None = None
    for level_mark in marks:
        if level_mark.mark.name == "usefixtures":
            for arg in level_mark.mark.args:
                if isinstance(arg, str):
                    names.append(arg)
                else:
                    unknown = "a `usefixtures` mark with a computed argument"
    return names, unknown


def _plugin_fixture(closure: FixtureClosure, marks: Sequence[LevelMark]) -> str | None:
    """Why a test's fixtures show a plugin asynclint does not know: it requests a fixture that neither the
    project nor pytest nor a known plugin defines (parametrized arguments aside)."""
    parametrized: set[str] = set()
    for level_mark in marks:
        mark = level_mark.mark
        if mark.name != "parametrize":
            continue
        names = mark.args[0] if mark.args else mark.kwarg("argnames")
        if isinstance(names, str):
            parametrized.update(name.strip() for name in names.split(","))
        elif isinstance(names, tuple) and all(isinstance(name, str) for name in names):
            parametrized.update(str(name).strip() for name in names)
        else:
            return "a `parametrize` mark with computed argument names"
    defined = {definition.name for definition in closure.definitions}
    missing = sorted(closure.names - defined - parametrized - KNOWN_FIXTURES)
    if missing:
        return f"the test uses `{missing[0]}`, a fixture of a plugin asynclint does not know"
    return None


def _framework_signals(
    marks: Sequence[LevelMark], closure: frozenset[str] | set[str], settings: PytestSettings
) -> tuple[str | None, str | None]:
    anyio: str | None = None
    trio: str | None = None
    if settings.anyio_auto:
        anyio = "`anyio_mode = auto`"
    anyio_marks = [m for m in marks if m.mark.name == "anyio"]
    if anyio is None and anyio_marks:
        anyio = f"the anyio mark on {anyio_marks[0].where}"
    if anyio is None and "anyio_backend" in closure:
        anyio = "it requests the `anyio_backend` fixture"
    trio_marks = [m for m in marks if m.mark.name == "trio"]
    if settings.trio_mode:
        trio = "`trio_mode = true`"
    elif trio_marks:
        trio = f"the trio mark on {trio_marks[0].where}"
    return anyio, trio


def _owner(
    function: Function,
    testcase: TestCaseKind,
    innermost: ClassFacts | None,
    marks: Sequence[LevelMark],
    marks_unknown: str | None,
    decorators_unknown: str | None,
    closure_unknown: str | None,
    anyio_signal: str | None,
    trio_signal: str | None,
    settings: PytestSettings,
    evidence: str | None,
    environment_unknown: str | None,
    runner_plugin: str | None,
    mark_is_evidence: bool,
    unclaimed: Unclaimed | None,
) -> tuple[Owner, str]:
    """Who runs this test, and why asynclint thinks so (ground truth §3.3, spec §5.0/7).

    An `asyncio` mark names pytest-asyncio, unless the project registers a mark of that name itself and nothing
    else shows pytest-asyncio in use: then the mark may be the project's own, and who runs the test unknown.
    """
    if testcase in (TestCaseKind.PLAIN, TestCaseKind.ASYNC):
        base = innermost.testcase_base if innermost else None
        return Owner.UNITTEST, f"its class derives from `{base}`"
    if testcase is TestCaseKind.UNKNOWN:
        return Owner.UNKNOWN, "its class has a base asynclint cannot read"
    if decorators_unknown is not None:
        return Owner.UNKNOWN, f"{decorators_unknown} may wrap it"
    if anyio_signal is not None:
        return Owner.ANYIO, anyio_signal
    if trio_signal is not None:
        return Owner.TRIO, trio_signal
    foreign = [m for m in marks if m.mark.name in FOREIGN_RUNNER_MARKS]
    if foreign:
        return Owner.OTHER, f"the `{foreign[0].mark.name}` mark belongs to another plugin"
    asyncio_marks = [m for m in marks if m.mark.name == "asyncio"]
    if asyncio_marks:
        if settings.asyncio_plugin_disabled:
            return Owner.OTHER, "`-p no:asyncio` disables pytest-asyncio"
        if evidence is None and not mark_is_evidence:
            return Owner.UNKNOWN, "the project registers an `asyncio` mark of its own, and nothing shows pytest-asyncio"
        return Owner.PYTEST_ASYNCIO, f"the asyncio mark on {asyncio_marks[0].where}"
    if marks_unknown is not None:
        return Owner.UNKNOWN, marks_unknown
    if closure_unknown is not None:
        return Owner.UNKNOWN, closure_unknown
    if environment_unknown is not None:
        return Owner.UNKNOWN, environment_unknown
    if runner_plugin is not None:
        return Owner.OTHER, runner_plugin
    if unclaimed is not None and (evidence is None or settings.asyncio_plugin_disabled):
        return Owner.NOBODY, unclaimed.reason
    if settings.asyncio_plugin_disabled:
        return Owner.OTHER, "`-p no:asyncio` disables pytest-asyncio"
    if evidence is None:
        return Owner.UNKNOWN, "nothing shows that the project uses pytest-asyncio"
    return Owner.PYTEST_ASYNCIO, evidence
