"""asynclint as a flake8 plugin: `flake8 --select AIO tests/` reports what `asynclint check tests/` reports.

flake8 hands over one file at a time, possibly in several processes. Each process reads, once, what every
file shares: the `[tool.asynclint]` settings of each folder (selection, ignores, per-file ignores, rule
options), and the project model (pytest config, conftests, versions) of the paths flake8 was given, read as
`asynclint check` reads it for those paths. flake8 applies `# noqa` and its own `--select`/`--ignore` on
top. A default-off rule runs when the settings enable it, or when flake8's `--select`/`--extend-select`
names its exact code (`AIO205`; the prefix `AIO` alone does not).

Settings asynclint cannot use are one AIO001 finding, on the first file flake8 checks under them (the
same file in every flake8 process), and no file under them is checked: `asynclint check` refuses them too.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from asynclint import __version__

if TYPE_CHECKING:
    from asynclint.lint_settings import LintSettings
    from asynclint.model.collection import FileModelBuilder
    from asynclint.model.coroutines import ShapeCache
    from asynclint.rule import Rule

#: The code invalid settings are reported under (as files and configs that cannot be read are).
SETTINGS_PROBLEM_CODE = "AIO001"
#: The files asynclint's settings live in, nearest first within a folder.
SETTINGS_FILES = ("asynclint.toml", "pyproject.toml")

#: What a lookup gives: the settings, or why they cannot be used (the message names the file).
SettingsLookup: TypeAlias = "LintSettings | str"
#: The comment that makes flake8 skip a whole file (flake8's own pattern).
FILE_NOQA = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)


@dataclass(frozen=True)
class Flake8Run:
    """What the plugin uses of flake8's parsed options: what flake8 checks and which codes it shows."""

    #: The paths given to flake8 (`-` for standard input); none means the current folder.
    paths: tuple[str, ...] = ()
    #: `--select` (None when neither the command line nor flake8's config sets it) and `--extend-select`.
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    stdin_display_name: str = "stdin"
    filename_patterns: tuple[str, ...] = ("*.py",)
    #: `--exclude` and `--extend-exclude` together.
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, options: argparse.Namespace) -> Flake8Run:
        def strings(name: str) -> tuple[str, ...]:
            value = getattr(options, name, None)
            return tuple(str(item) for item in value) if value else ()

        select = getattr(options, "select", None)
        return cls(
            paths=strings("filenames"),
            select=tuple(str(code) for code in select) if select is not None else None,
            extend_select=strings("extend_select"),
            stdin_display_name=str(getattr(options, "stdin_display_name", "stdin")),
            filename_patterns=strings("filename") or ("*.py",),
            exclude=(*strings("exclude"), *strings("extend_exclude")),
        )

    def shows(self, code: str) -> bool:
        """Whether flake8 may print findings of this code: what its selection leaves out need not run."""
        if self.select is None:  # flake8's default selection includes every plugin's prefix
            return True
        return code.startswith(tuple(self.named_codes()))

    def shows_any(self, prefix: str = "AIO") -> bool:
        """Whether flake8 may print any code starting with `prefix` (`flake8 --select E,F` prints none)."""
        if self.select is None:
            return True
        return any(code.startswith(prefix) or prefix.startswith(code) for code in self.named_codes())

    def named_codes(self) -> list[str]:
        """The codes and prefixes flake8's selection names; an exact code enables a default-off rule."""
        return [code.strip().upper() for code in (*(self.select or ()), *self.extend_select)]

    @property
    def reads_stdin(self) -> bool:
        return "-" in self.paths

    def lint_paths(self) -> list[Path]:
        """The paths as `asynclint check` would be given them (standard input stands for its display name)."""
        paths: list[Path] = []
        for given in self.paths or (".",):
            if given == "-":
                if self.stdin_display_name != "stdin":
                    paths.append(Path(self.stdin_display_name))
            elif os.path.exists(given):
                paths.append(Path(given))
        return paths

    def files(self) -> list[str] | None:
        """The files flake8 checks, named as flake8 names them; None when flake8 cannot say."""
        try:
            expand_paths = importlib.import_module("flake8.discover_files").expand_paths
        except (ImportError, AttributeError):
            return None
        try:
            found = expand_paths(
                paths=list(self.paths),
                stdin_display_name=self.stdin_display_name,
                filename_patterns=list(self.filename_patterns),
                exclude=list(self.exclude),
            )
            return [self.stdin_display_name if name == "-" else name for name in found]
        except (TypeError, OSError):  # another flake8 version's signature, or a folder that went away
            return None


class _Session:
    """What one flake8 process shares between the files it checks: settings per folder, rules per settings
    file, and the project model, each read once."""

    def __init__(self, flake8: Flake8Run) -> None:
        self.flake8 = flake8
        self._settings: dict[Path, SettingsLookup] = {}
        self._rules: dict[str | None, list[type[Rule]]] = {}
        self._main: tuple[FileModelBuilder | str, frozenset[Path]] | None = None
        #: Models of files outside the paths flake8 was given, by folder (by path for a conftest).
        self._others: dict[Path, FileModelBuilder | str] = {}
        self._shape_cache: ShapeCache | None = None
        #: Settings problem -> the file it is reported on; None: the first file this process checks under it.
        self._problem_files: dict[str, str | None] = {}
        self._said: set[str] = set()
        self._flake8_files: list[str] | None = None

    def settings(self, folder: Path) -> SettingsLookup:
        """The settings `asynclint check` would use for files in this folder (found from the folder up)."""
        if folder in self._settings:
            return self._settings[folder]
        found: SettingsLookup
        if folder.parent != folder and not any(os.path.isfile(folder / name) for name in SETTINGS_FILES):
            found = self.settings(folder.parent)  # nothing here: the same as the folder above
        else:
            from asynclint.lint_settings import SettingsError, check_codes, check_rule_options, find_lint_settings
            from asynclint.registry import all_rules

            try:
                found = find_lint_settings([folder])
                check_rule_options(found, {rule.name: rule.options for rule in all_rules()})
                check_codes(found)
            except SettingsError as error:
                found = str(error)
        self._settings[folder] = found
        return found

    def rules(self, settings: LintSettings) -> list[type[Rule]]:
        """The rules the settings enable, plus the default-off ones flake8's selection names by their exact
        code, less those flake8 would not show."""
        if settings.source not in self._rules:
            from asynclint.registry import all_rules, select_rules

            off = {rule.code for rule in all_rules() if not rule.default_enabled}
            named = [code for code in self.flake8.named_codes() if code in off]
            enabled = select_rules(settings.select, settings.ignore, [*settings.extend_select, *named])
            self._rules[settings.source] = [rule for rule in enabled if self.flake8.shows(rule.code)]
        return self._rules[settings.source]

    def _left_out(self, path: Path) -> bool:
        """Files and folders the project model leaves out: excluded by their settings, or under bad ones."""
        settings = self.settings(path.resolve().parent)
        return isinstance(settings, str) or settings.excluded(path)

    def model(self, path: Path) -> FileModelBuilder | str:
        """The model for this (resolved) file, or the settings problem that kept it from being read.

        The model of everything below flake8's paths is read on the first file, as `asynclint check` reads
        it, and shared by all; a file outside it (flake8 and asynclint skip different folders) gets one of
        its own folder's.
        """
        from asynclint.files import discover, resolved

        if self._main is None:
            files = [resolved(file) for file in discover(self.flake8.lint_paths(), skip=self._left_out)]
            self._main = (self._build(files, _common_root(self.flake8.lint_paths())), frozenset(files))
        builder, covered = self._main
        if path in covered:
            return builder
        key = path if path.name == "conftest.py" else path.parent
        if key not in self._others:
            self._others[key] = self._build([path], path.parent)
        return self._others[key]

    def _build(self, files: list[Path], lint_root: Path | None) -> FileModelBuilder | str:
        from asynclint.lint_settings import SettingsError
        from asynclint.model.collection import FileModelBuilder
        from asynclint.model.coroutines import ShapeCache, default_cache_dir
        from asynclint.model.project import ModelOptions, build_project

        try:
            project = build_project(files, ModelOptions(), lint_root=lint_root)
        except SettingsError as error:  # settings further down (a conftest's users) asynclint cannot use
            return str(error)
        if self._shape_cache is None:
            self._shape_cache = ShapeCache(default_cache_dir())
        return FileModelBuilder(project, self._shape_cache)

    def reports_problem(self, filename: str, problem: str) -> bool:
        """Whether this file carries the finding about the settings problem: the first file flake8 checks
        under those settings, the same in every flake8 process."""
        if problem not in self._problem_files:
            if self._flake8_files is None:
                self._flake8_files = self.flake8.files() or []
            under = sorted(name for name in self._flake8_files if self.settings(_folder_of(name)) == problem)
            self._problem_files[problem] = next((name for name in under if _flake8_runs_plugins_on(name)), None)
        target = self._problem_files[problem]
        if target is not None:
            return target == filename
        # flake8's files are unknown, or the problem belongs to settings further down: said once per process.
        if problem in self._said:
            return False
        self._said.add(problem)
        return True

    def check(self, filename: str, lines: Sequence[str]) -> Iterator[tuple[int, int, str]]:
        """(line, 0-based column, `CODE message`) of each finding in the file flake8 names `filename`."""
        from asynclint.files import read_source, resolved

        stdin = self.flake8.reads_stdin and filename == self.flake8.stdin_display_name
        if stdin and filename == "stdin":  # no path: nothing tells which project it belongs to
            return
        if not self.flake8.shows_any():  # `flake8 --select E,F`: nothing asynclint finds would be shown
            return
        path = resolved(Path(filename))
        settings = self.settings(path.parent)
        if isinstance(settings, str):
            yield from self._problem(filename, settings)
            return
        rules = self.rules(settings)
        # As `asynclint check` does, `exclude` leaves out files found in folders, not files named by the user.
        if not rules or (settings.excluded(path) and filename not in self.flake8.paths):
            return
        builder = self.model(path)
        if isinstance(builder, str):
            yield from self._problem(filename, builder)
            return
        if stdin:
            source = "".join(lines).encode("utf-8")
        else:
            try:
                source = read_source(path)
            except OSError:  # flake8 read it a moment ago: what it read is the best there is
                source = "".join(lines).encode("utf-8")
        yield from _lint(builder, rules, settings, path, filename, source)

    def _problem(self, filename: str, problem: str) -> Iterator[tuple[int, int, str]]:
        if self.flake8.shows(SETTINGS_PROBLEM_CODE) and self.reports_problem(filename, problem):
            message = f"asynclint cannot use its settings, so it checks no file they apply to: {problem}"
            yield 1, 0, f"{SETTINGS_PROBLEM_CODE} {message}"


def _lint(
    builder: FileModelBuilder,
    rules: Sequence[type[Rule]],
    settings: LintSettings,
    path: Path,
    filename: str,
    source: bytes,
) -> Iterator[tuple[int, int, str]]:
    from asynclint.analysis.direct_body import forget_trees
    from asynclint.engine import FileLinter

    linter = FileLinter(builder, rules, fix_edits=False, rule_options=settings.rule_options)
    try:
        report = linter.check(path, source, display_path=filename, ignored=settings.ignored_in(path))
    except Exception as error:  # a bug in asynclint on one file must not stop flake8's run
        from asynclint.deep_recursion import describe_error

        detail = describe_error(error)
        print(f"asynclint: internal error in {filename}: {detail}", file=sys.stderr)
        # As `asynclint check` reports it: a finding of its own, so flake8's exit status and report show it.
        from asynclint.rules.internal_error import internal_error_message

        yield 1, 0, f"AIO000 {internal_error_message(detail)}"
        return
    finally:
        forget_trees()  # the cached walks would keep the file's tree alive
    for diagnostic in report.diagnostics:
        yield diagnostic.line, diagnostic.column - 1, f"{diagnostic.code} {diagnostic.message}"


def _flake8_runs_plugins_on(filename: str) -> bool:
    """Whether flake8 hands this file to plugins: not when it does not parse, or has flake8's file-wide noqa."""
    try:
        text = Path(filename).read_bytes().decode("utf-8", errors="replace")
    except OSError:  # standard input, or gone: flake8 has its text
        return True
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return not any(FILE_NOQA.match(line) for line in text.splitlines())


def _folder_of(filename: str) -> Path:
    from asynclint.files import resolved

    return resolved(Path(filename)).parent


def _common_root(paths: Sequence[Path]) -> Path | None:
    """The folder holding every path, as `asynclint check` computes it (pytest's rootdir without a config)."""
    folders = [str(path.resolve() if path.is_dir() else path.resolve().parent) for path in paths]
    try:
        return Path(os.path.commonpath(folders)) if folders else None
    except ValueError:  # paths on different drives
        return None


_flake8_run = Flake8Run()
_session: _Session | None = None


class AsyncLintChecker:
    """The flake8 extension registered under the `AIO` prefix."""

    name = "asynclint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """flake8's parsed options, given once per process before any file is checked."""
        global _flake8_run, _session
        _flake8_run = Flake8Run.from_options(options)
        _session = None

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        global _session
        if _session is None:
            _session = _Session(_flake8_run)
        for line, column, text in _session.check(self.filename, self.lines):
            yield line, column, text, type(self)
