"""The data flow of a run: discover files -> build the project model -> lint each file -> fix -> report.

The CLI, the tests and any other front end call `check_paths`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from asynclint.config_check import check_configs
from asynclint.diagnostics import Applicability, Diagnostic, FileReport
from asynclint.engine import SYNTAX_ERROR, FileLinter, InternalError
from asynclint.files import ChangedOnDisk, discover, display_path, write_atomically
from asynclint.lint_settings import LintSettings
from asynclint.model.collection import FileModelBuilder
from asynclint.model.coroutines import ShapeCache, default_cache_dir
from asynclint.model.project import ModelOptions, ProjectModel, build_project
from asynclint.registry import select_rules
from asynclint.rule import Rule


@dataclass(frozen=True)
class CheckOptions:
    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    #: None: report only; SAFE: apply safe fixes; UNSAFE: apply safe and unsafe fixes.
    fix: Applicability | None = None
    #: Compute fixes but do not write them (for --diff).
    dry_run: bool = False
    asyncio_mode: str | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[type[Rule]] | None = None
    #: Worker processes (None: one per core; 1: lint in this process).
    jobs: int | None = None
    #: The project's Python environment (folder or interpreter) to read installed packages from.
    python: str | None = None
    #: Where shapes of installed packages are cached; None: the user cache folder. `no_cache` turns it off.
    cache_dir: Path | None = None
    no_cache: bool = False
    #: `[tool.asynclint]` settings: excluded paths and per-file ignores (selection is already in `rules`).
    settings: LintSettings = field(default_factory=LintSettings)


@dataclass
class RunResult:
    reports: list[FileReport] = field(default_factory=list)
    #: Config files pytest cannot read (AIO001 against the config file).
    config_diagnostics: list[Diagnostic] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for report in self.reports for d in report.diagnostics]
        found.extend(self.config_diagnostics)
        return sorted(found, key=Diagnostic.sort_key)

    @property
    def fixed(self) -> int:
        return sum(report.fixed for report in self.reports)

    @property
    def has_errors(self) -> bool:
        return bool(self.internal_errors or self.config_diagnostics or any(r.error for r in self.reports))


def check_paths(paths: Sequence[Path], options: CheckOptions | None = None, *, cwd: Path | None = None) -> RunResult:
    """Lint (and optionally fix) every Python file under `paths`."""
    options = options or CheckOptions()
    cwd = cwd or Path.cwd()
    rules = (
        list(options.rules)
        if options.rules is not None
        else select_rules(options.select, options.ignore, options.extend_select)
    )
    settings = options.settings
    files = [
        path.resolve() for path in discover(paths, skip=settings.excluded, default_excludes=settings.exclude is None)
    ]
    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode,
        versions=dict(options.versions),
        source="the --asyncio-mode option" if options.asyncio_mode else "asynclint options",
        python=options.python,
    )
    project = build_project(files, model_options, lint_root=_common_root(paths))
    result = RunResult()
    invalid_config = next((rule for rule in rules if rule.code == INVALID_CONFIG), None)
    for problem in project.config_problems:
        line = problem.line or 1
        shown = display_path(Path(problem.path), cwd)
        if problem.invalid_settings:
            if invalid_config is not None:
                message = f"pytest stops at startup: {problem.message}"
                diagnostic = Diagnostic(shown, line, 1, line, 2, invalid_config.code, invalid_config.name, message)
                result.reports.append(FileReport(shown, [diagnostic]))
            continue
        code, name = SYNTAX_ERROR
        message = f"pytest cannot read this config file: {problem.message}"
        result.config_diagnostics.append(Diagnostic(shown, line, 1, line, 2, code, name, message))
    tasks = [(path, display_path(path, cwd)) for path in files]
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        # The model is frozen and picklable: each worker gets it once, then lints its share of the files.
        context = multiprocessing.get_context("spawn" if sys.platform == "win32" else None)
        with ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(project, rules, options)) as pool:
            outcomes = list(pool.map(_check_in_worker, tasks, chunksize=max(1, len(tasks) // (jobs * 8))))
    else:
        linter = FileLinter(FileModelBuilder(project, _shape_cache(options)), rules)
        outcomes = [_check_one(linter, options, task) for task in tasks]
    config_reports, config_errors = check_configs(project, rules, options.fix, cwd, options.dry_run)
    for report in config_reports:
        ignored = settings.ignored_in(cwd / report.path)
        report.diagnostics = [
            d for d in report.diagnostics if not any(d.code.startswith(c.upper()) or d.name == c for c in ignored)
        ]
    result.reports.extend(config_reports)
    result.internal_errors.extend(config_errors)
    shared_fixed = any(report.fixed for report in config_reports)
    for (path, shown), outcome in zip(tasks, outcomes, strict=True):
        if isinstance(outcome, str):
            result.internal_errors.append(outcome)
            continue
        result.internal_errors.extend(f"{shown}: {note}; it was not applied" for note in outcome.discarded)
        if _write_fix(path, shown, outcome, options, result) and (str(path) in project.modules or outcome.other_writes):
            shared_fixed = True
        result.reports.append(outcome)
    if shared_fixed:
        _recheck(paths, options, cwd, result)
    return result


def _recheck(paths: Sequence[Path], options: CheckOptions, cwd: Path, result: RunResult) -> None:
    """After a conftest was fixed, report what remains in every file with a model read afresh.

    Other files saw the conftest's fixtures as they were before the fix (an AIO302 on a test whose async
    fixture the conftest's AIO301 fix just repaired); only a new model knows they are gone.
    """
    again = check_paths(paths, replace(options, fix=None, dry_run=False), cwd=cwd)
    remaining = {report.path: report.diagnostics for report in again.reports}
    for report in result.reports:
        report.diagnostics = remaining.get(report.path, [])


#: Config files pytest rejects outright are reported under this rule.
INVALID_CONFIG = "AIO601"

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48

_worker: tuple[FileLinter, CheckOptions] | None = None


def _start_worker(project: ProjectModel, rules: Sequence[type[Rule]], options: CheckOptions) -> None:
    global _worker
    _worker = (FileLinter(FileModelBuilder(project, _shape_cache(options)), rules), options)


def _check_in_worker(task: tuple[Path, str]) -> FileReport | str:
    assert _worker is not None
    return _check_one(*_worker, task)


def _check_one(linter: FileLinter, options: CheckOptions, task: tuple[Path, str]) -> FileReport | str:
    """One file's report, or the text of an internal error (a bug in asynclint must not stop the run)."""
    path, shown = task
    try:
        source = path.read_bytes()
    except OSError as error:
        code, name = SYNTAX_ERROR
        report = FileReport(shown, error=True)
        message = f"cannot read the file: {error.strerror}"
        report.diagnostics.append(Diagnostic(shown, 1, 1, 1, 2, code, name, message))
        return report
    try:
        ignored = options.settings.ignored_in(path)
        return linter.check(path, source, fix=options.fix, display_path=shown, ignored=ignored)
    except InternalError as error:
        return f"{shown}: internal error: {error}"


def _write_fix(path: Path, shown: str, report: FileReport, options: CheckOptions, result: RunResult) -> bool:
    """Write the fixed file; True when it was written."""
    if options.fix is None or options.dry_run or report.original is None or report.fixed_source is None:
        return False
    if report.fixed_source == report.original:
        return False
    for other in report.other_writes:
        # Other files first: if one changed since it was read, the module keeps its original content too.
        try:
            write_atomically(Path(other.path), other.before, other.after)
        except (ChangedOnDisk, OSError):
            result.internal_errors.append(f"{shown}: {other.path} changed while asynclint was fixing; not written")
            return False
    try:
        write_atomically(path, report.original, report.fixed_source)
    except ChangedOnDisk:
        result.internal_errors.append(f"{shown}: changed while asynclint was fixing it; not written")
    except OSError as error:
        result.internal_errors.append(f"{shown}: cannot write the fixed file: {error.strerror}")
    else:
        return True
    return False


def _shape_cache(options: CheckOptions) -> ShapeCache:
    """Shapes of installed packages are cached in the user's cache folder unless told otherwise."""
    if options.no_cache:
        return ShapeCache(None)
    return ShapeCache(options.cache_dir or default_cache_dir())


def _common_root(paths: Sequence[Path]) -> Path | None:
    resolved = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    if not resolved:
        return None
    root = resolved[0]
    for path in resolved[1:]:
        while root not in (path, *path.parents):
            root = root.parent
    return root


def check_source(
    source: bytes, path: Path, options: CheckOptions | None = None, *, cwd: Path | None = None
) -> RunResult:
    """Lint (and optionally fix) source text that claims to be `path` (an editor's unsaved buffer on stdin).

    The project model is read for `path`'s folder, as if the file were there; nothing is written.
    """
    options = options or CheckOptions()
    cwd = cwd or Path.cwd()
    rules = (
        list(options.rules)
        if options.rules is not None
        else select_rules(options.select, options.ignore, options.extend_select)
    )
    path = path.resolve()
    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode, versions=dict(options.versions), python=options.python
    )
    project = build_project([path], model_options, lint_root=path.parent)
    linter = FileLinter(FileModelBuilder(project, _shape_cache(options)), rules)
    result = RunResult()
    shown = display_path(path, cwd)
    try:
        report = linter.check(
            path, source, fix=options.fix, display_path=shown, ignored=options.settings.ignored_in(path)
        )
    except InternalError as error:
        result.internal_errors.append(f"{shown}: internal error: {error}")
        return result
    result.reports.append(report)
    return result
