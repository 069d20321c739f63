"""Fixtures a module imports from another module.

pytest registers every fixture function it finds among a module's attributes, however it got there: `from
tests.fixtures import database` (or `from .fixtures import *`) in a test module or a conftest makes `database`
a fixture of that module, under the name its decorator gives it. Only project modules are read (found the
way pytest's import finds them), and only those whose text mentions fixtures are parsed (parsing every module
a test imports would cost as much as linting it); of the others, only the import lines are read, for the
fixtures they pass on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from asynclint.files import read_source
from asynclint.model.facts import FixtureDef, ModuleSummary
from asynclint.model.module_files import import_list, import_statements, module_path

#: How many modules deep fixture imports are followed (`conftest` <- `fixtures/__init__` <- `fixtures/db`).
IMPORT_DEPTH = 4


class FixtureImports:
    """The fixtures each module imports, read on demand and remembered for the run."""

    def __init__(self, summary_of: Callable[[Path], ModuleSummary | None]) -> None:
        self.summary_of = summary_of
        self._texts: dict[Path, str | None] = {}
        self._paths: dict[tuple[str, Path, tuple[str, ...]], Path | None] = {}
        self._found: dict[str, tuple[FixtureDef, ...]] = {}
        self._exports: dict[tuple[Path, frozenset[str] | None], tuple[FixtureDef, ...]] = {}

    def of(self, summary: ModuleSummary, roots: Sequence[str], depth: int = 0) -> tuple[FixtureDef, ...]:
        """Fixtures `summary`'s module imports by name or with `*` (and those its sources import in turn)."""
        if summary.path in self._found:
            return self._found[summary.path]
        self._found[summary.path] = ()  # a cycle of imports adds nothing
        importer = Path(summary.path)
        found: list[FixtureDef] = []
        own = {fixture.function for fixture in summary.fixtures}
        for name, target in summary.imports.bindings.items():
            if target is None or target.startswith("<") or name in own:
                continue
            module, _, original = target.rpartition(".")
            found.extend(self._exported(module, importer, roots, frozenset({original}), depth))
        for module in summary.imports.star_imports:
            found.extend(self._exported(module, importer, roots, None, depth))
        result = tuple(dict.fromkeys(found))
        self._found[summary.path] = result
        return result

    def _exported(
        self, module: str, importer: Path, roots: Sequence[str], wanted: frozenset[str] | None, depth: int
    ) -> tuple[FixtureDef, ...]:
        """The module-level fixtures of a project module named `wanted` (None: every public one, as `import *`
        takes them), its own and those it imports. A module whose text never says "fixture" defines none and
        is not parsed: only its import lines are read, for fixtures it passes on (`from .database import *` in
        a package's `__init__.py`)."""
        if not module or depth >= IMPORT_DEPTH:
            return ()
        path = self._path(module, importer, roots)
        if path is None:
            return ()
        key = (path, wanted)
        if key in self._exports:
            return self._exports[key]
        self._exports[key] = ()  # a cycle of imports adds nothing
        text = self._text(path)
        fixtures: list[FixtureDef] = []
        if text is not None and "fixture" in text:
            summary = self.summary_of(path)
            if summary is not None:
                fixtures.extend(fixture for fixture in summary.fixtures if fixture.class_qualname is None)
                fixtures.extend(self.of(summary, roots, depth + 1))
        elif text is not None:
            fixtures.extend(self._passed_on(text, path, roots, wanted, depth))
        result = tuple(
            fixture
            for fixture in dict.fromkeys(fixtures)
            if (fixture.function in wanted if wanted is not None else not fixture.function.startswith("_"))
        )
        self._exports[key] = result
        return result

    def _passed_on(
        self, text: str, path: Path, roots: Sequence[str], wanted: frozenset[str] | None, depth: int
    ) -> list[FixtureDef]:
        """Fixtures a module without any of its own imports (and so passes on), read from its import lines:
        only the imports that bind a wanted name (or every public one), and its `import *`s."""
        found: list[FixtureDef] = []
        for match in import_statements(text):
            source, names, _ = match.groups()
            if source is None or names is None:
                continue
            for name, bound in import_list(names):
                if name == "*":
                    found.extend(self._exported(source, path, roots, wanted, depth + 1))
                elif bound in wanted if wanted is not None else not bound.startswith("_"):
                    found.extend(self._exported(source, path, roots, frozenset({name}), depth + 1))
        return found

    def _path(self, module: str, importer: Path, roots: Sequence[str]) -> Path | None:
        key = (module, importer.parent, tuple(roots))
        if key not in self._paths:
            self._paths[key] = module_path(module, importer, roots)
        return self._paths[key]

    def _text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = read_source(path).decode("utf-8", errors="replace")
            except OSError:
                self._texts[path] = None
        return self._texts[path]
