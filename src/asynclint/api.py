"""The data flow of a run: discover files -> build the project model -> lint each file -> fix -> report.

The CLI, the tests and any other front end call `check_paths`.
"""

from __future__ import annotations

import enum
import functools
import gc
import hashlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from asynclint import inputs, interrupts
from asynclint.cache import FileTable, ResultsCache, digest, run_key
from asynclint.diagnostics import Applicability, Diagnostic, FileReport
from asynclint.files import (
    ChangedOnDisk,
    WriteScope,
    display_path,
    read_source,
    resolved,
    unreadable_reason,
    write_atomically,
)
from asynclint.lint_settings import LintSettings
from asynclint.model.python_environments import ENVIRONMENT_VARIABLES

# The linting machinery (LibCST, the rules, the model) is imported when a run needs it: a run whose result
# the cache holds reports it without paying for those imports.
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from asynclint.engine import FileLinter
    from asynclint.model.coroutines import ShapeCache
    from asynclint.model.project import ProjectModel
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
    #: Where results are cached between runs (`.asynclint_cache`); None: not cached.
    results_cache: Path | None = None
    #: Whether offered fixes carry their text edits (the JSON and SARIF formats show them).
    fix_edits: bool = True
    #: `[tool.asynclint]` settings: excluded paths and per-file ignores (selection is already in `rules`).
    settings: LintSettings = field(default_factory=LintSettings)
    #: The settings file named with `--config`: it applies to every folder (else each folder's nearest one).
    config: Path | None = None
    #: Apply `exclude`/`extend-exclude` to files named on the command line too (`--force-exclude`).
    force_exclude: bool = False


@dataclass
class RunResult:
    reports: list[FileReport] = field(default_factory=list)
    #: Config files pytest cannot read (AIO001 against the config file).
    config_diagnostics: list[Diagnostic] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    #: What the run did not do and why, though nothing went wrong (e.g. a fix not written outside the paths).
    warnings: list[str] = field(default_factory=list)
    #: Which environment each project's versions and installed packages come from, which were ignored and why
    #: (what `--verbose` prints).
    environment_notes: tuple[str, ...] = ()

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


def check_paths(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    *,
    cwd: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Lint (and optionally fix) every Python file under `paths`; `progress(done, total)` follows the linting."""
    options = options or CheckOptions()
    cwd = cwd or Path.cwd()
    cache = ResultsCache(options.results_cache) if options.results_cache is not None and not options.no_cache else None
    key = _run_key(paths, options, cwd) if cache is not None else ""
    if cache is not None:
        inputs.ignore_below(cache.directory)
        cache.prepare()  # made before the run reads its folder, so that making it does not look like a change
        cached = cache.load_run(key)
        if cached is not None and _nothing_to_fix(cached.reports, options.fix):
            return cached
    from asynclint.lint_settings import check_codes, check_rule_options
    from asynclint.registry import all_rules

    # Discovering the rules lists asynclint's own folders, which is no input of the run.
    check_rule_options(options.settings, {rule.name: rule.options for rule in all_rules()})
    check_codes(options.settings)
    with inputs.recording() as run_inputs, interrupts.deferred():
        result, table = _check_paths(paths, options, cwd, cache, key, progress)
    if cache is not None and table is not None:
        cache.store_files(key, table)
        if not result.fixed and not result.internal_errors:
            cache.store_run(key, {**run_inputs.stamps, **table.stamps}, result)
    return result


def _run_key(paths: Sequence[Path], options: CheckOptions, cwd: Path) -> str:
    selection = (
        tuple(rule.code for rule in options.rules)
        if options.rules is not None
        else (options.select, options.ignore, options.extend_select)
    )
    model = (
        options.asyncio_mode,
        options.versions,
        options.python,
        options.settings,
        options.config,
        options.force_exclude,
        options.no_cache,
        options.fix_edits,
        # Where the project's environment is found (Poetry's, virtualenvwrapper's folders...) is set here too.
        {name: os.environ.get(name) for name in ENVIRONMENT_VARIABLES},
    )
    return run_key(paths, cwd, selection, model, os.environ)


def _nothing_to_fix(reports: Sequence[FileReport], fix: Applicability | None) -> bool:
    """Whether a fix run at this tier would leave every one of these (check) reports as it is."""
    if fix is None:
        return True
    tiers = {Applicability.SAFE} if fix is Applicability.SAFE else {Applicability.SAFE, Applicability.UNSAFE}
    return not any(d.fix is not None and d.fix.applicability in tiers for r in reports for d in r.diagnostics)


def _check_paths(
    paths: Sequence[Path],
    options: CheckOptions,
    cwd: Path,
    cache: ResultsCache | None,
    key: str,
    progress: Callable[[int, int], None] | None,
) -> tuple[RunResult, FileTable | None]:
    from asynclint.config_check import check_configs
    from asynclint.engine import SYNTAX_ERROR
    from asynclint.files import discover
    from asynclint.model.project import ModelOptions, build_project
    from asynclint.registry import select_rules, selector_matches

    rules = (
        list(options.rules)
        if options.rules is not None
        else select_rules(options.select, options.ignore, options.extend_select)
    )
    settings = options.settings
    # Linted by real path (a file reached through two links is linted once), shown by the path that found it.
    found_as: dict[Path, Path] = {}
    discovered = discover(
        paths, skip=settings.excluded, default_excludes=settings.exclude is None, force_exclude=options.force_exclude
    )
    for path in discovered:
        found_as.setdefault(resolved(path), path)
    files = list(found_as)
    scope = WriteScope(paths)
    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode,
        versions=dict(options.versions),
        source="the --asyncio-mode option" if options.asyncio_mode else "asynclint options",
        python=options.python,
        settings_file=str(options.config) if options.config is not None else None,
    )
    project = build_project(files, model_options, lint_root=_common_root(paths))
    result = RunResult(environment_notes=_environment_notes(project, cwd))
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
    tasks = [_Task(path, display_path(found_as[path], cwd), scope.contains(path)) for path in files]
    stored = cache.load_files(key) if cache is not None else FileTable()
    file_keys = _file_keys(files, project, options) if cache is not None else {}
    reused: dict[Path, FileReport] = {}
    for path, _, _ in tasks:
        entry = stored.entries.get(str(path))
        if entry is not None and entry[0] == file_keys.get(path) and _nothing_to_fix([entry[1]], options.fix):
            reused[path] = entry[1]
    to_lint = [task for task in tasks if task[0] not in reused]
    lint_inputs = inputs.Inputs()
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(to_lint) >= PARALLEL_THRESHOLD:
        # Imported here: a run of a few files (a pre-commit hook's) starts no pool and needs none of it.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The model is frozen and picklable: each worker gets it once, then lints its share of the files.
        context = multiprocessing.get_context("spawn" if sys.platform == "win32" else None)
        # Forked workers share the parent's memory until they write to it, and a garbage collection writes to
        # every object it visits. Objects frozen before the fork are left out of collections: their pages stay
        # shared (about 10 MB less in all on CPython's test suite).
        gc.freeze()
        feeder = _Feeder(
            lambda: ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(project, rules, options)),
            to_lint,
            jobs,
        )
        try:
            feeder.fill()
            # Config checks run here while the workers lint.
            config_reports, config_errors = check_configs(
                project, rules, options.fix, cwd, options.dry_run, scope.contains
            )
            done: dict[Path, FileReport | str] = {}
            for path, outcome, read in feeder.results():
                interrupts.check()
                lint_inputs.merge(read)
                done[path] = outcome
                if progress is not None:
                    progress(len(done), len(to_lint))
            linted = [done[task.path] for task in to_lint]
        finally:
            feeder.close()
            gc.unfreeze()
    else:
        linter = _linter(project, rules, options)
        linted = []
        with inputs.recording(lint_inputs):
            for task in to_lint:
                interrupts.check()
                linted.append(_check_one(linter, options, task))
                _release_memory(task[0])
                if progress is not None:
                    progress(len(linted), len(to_lint))
        config_reports, config_errors = check_configs(project, rules, options.fix, cwd, options.dry_run, scope.contains)
    outcomes = dict(zip([task.path for task in to_lint], linted, strict=True))
    for report in config_reports:
        ignored = settings.ignored_in(cwd / report.path)
        report.diagnostics = [
            d for d in report.diagnostics if not any(selector_matches(d.code, d.name, c) for c in ignored)
        ]
        fix = options.fix
        if fix is not None and not options.dry_run and not scope.contains(cwd / report.path) and _fixable(report, fix):
            result.warnings.append(
                f"{report.path}: not fixed: it is outside the paths given (fix a folder that holds it)"
            )
    result.reports.extend(config_reports)
    result.internal_errors.extend(config_errors)
    # A dry run (--diff) computes config fixes without writing them: nothing changed for a next round to see.
    written_configs = [] if options.dry_run else [report for report in config_reports if report.fixed]
    shared_fixed = bool(written_configs)
    fixed_configs = {resolved(cwd / report.path) for report in written_configs}
    unwritten = False
    table = (
        FileTable(stamps={**stored.stamps, **lint_inputs.stamps}) if reused else FileTable(stamps=lint_inputs.stamps)
    )
    for path, shown, may_fix in tasks:
        interrupts.check()
        outcome = reused[path] if path in reused else outcomes[path]
        if not may_fix and options.fix is not None and not options.dry_run and _fixable(outcome, options.fix):
            result.warnings.append(f"{shown}: not fixed: it is a symbolic link to {path}, outside the paths given")
        if isinstance(outcome, str):
            # Said on standard error as ever, and reported as an AIO000 finding in every output format.
            result.internal_errors.append(outcome)
            result.reports.append(_internal_error_report(shown, outcome))
            continue
        result.internal_errors.extend(f"{shown}: {note}; it was not applied" for note in outcome.discarded)
        if path in file_keys and not outcome.fixed and not outcome.discarded:
            table.entries[str(path)] = (file_keys[path], _as_check_report(outcome))
        written = _write_fix(path, shown, outcome, options, result, scope, fixed_configs)
        if written is _Write.WRITTEN and (str(path) in project.modules or outcome.other_writes):
            shared_fixed = True
        elif written is _Write.FAILED:
            # Not written: what it reported as fixed is still there, as a fresh check will say.
            outcome.fixed, outcome.fixed_codes = 0, []
            unwritten = True
        elif written is _Write.DEFERRED:  # the next round redoes it from the config as now written
            outcome.fixed, outcome.fixed_codes = 0, []
        result.reports.append(outcome)
    result.warnings.extend(_environment_warnings(result.reports, cwd))
    result.warnings.extend(_template_warnings(result.reports))
    # What was linted was read unrecorded (its bytes are in its key): the run depends on it all the same.
    for task in tasks:
        inputs.note(task.path)
    for consumers in project.consumer_files.values():
        for consumer in consumers:
            inputs.note(consumer)
    if shared_fixed or unwritten:
        _next_round(paths, options if shared_fixed else replace(options, fix=None), cwd, result)
    return result, (table if cache is not None and not result.fixed else None)


def _environment_notes(project: ProjectModel, cwd: Path) -> tuple[str, ...]:
    """What `--verbose` says about the environment of each project the run met, one project after another."""
    from asynclint.model.versions import describe_environments

    by_root = {str(facts.versions.root): facts.versions for facts in project.directories.values()}
    return tuple(
        line
        for root in sorted(by_root)
        for line in describe_environments(by_root[root], lambda path: display_path(Path(path), cwd))
    )


def _environment_warnings(reports: Sequence[FileReport], cwd: Path) -> list[str]:
    """One warning per project whose environment asynclint did not find while a finding could have needed it
    (a call into an installed package it could not read), however many files and calls did."""
    needed: dict[str, str] = {}
    for report in reports:
        if report.environment_needed is not None:
            root, package = report.environment_needed
            needed.setdefault(root, package)
    warnings = []
    for root, package in sorted(needed.items()):
        shown = display_path(Path(root), cwd)
        project = root if shown == "." else shown
        warnings.append(
            f"no Python environment found for the project in {project}, so calls into installed packages such as "
            f'`{package}` were not checked: set `python = "path/to/venv"` in [tool.asynclint] or pass --python'
        )
    return warnings


def _internal_error_report(shown: str, outcome: str) -> FileReport:
    """An internal error on a file (`outcome`: "<path>: internal error: <detail>") as an AIO000 finding at its
    line 1, so that every output format shows it. Never stored in the results cache: only reports are."""
    from asynclint.rules.internal_error import InternalError_, internal_error_message

    detail = outcome.removeprefix(f"{shown}: ").removeprefix("internal error: ")
    message = internal_error_message(detail)
    diagnostic = Diagnostic(shown, 1, 1, 1, 2, InternalError_.code, InternalError_.name, message)
    return FileReport(shown, [diagnostic], error=True)


def _template_warnings(reports: Sequence[FileReport]) -> list[str]:
    """One warning for the Python files that are templates (not checked), naming a few of them."""
    templates = sorted(report.path for report in reports if report.template)
    if not templates:
        return []
    named = ", ".join(templates[:3]) + (f" and {len(templates) - 3} more" if len(templates) > 3 else "")
    files = "file is a template" if len(templates) == 1 else "files are templates"
    return [
        f"not checked: {len(templates)} {files} (Jinja's `{{{{ }}}}` or `{{% %}}` where Python expects code; "
        f"Python only once rendered): {named}"
    ]


def _fixable(outcome: FileReport | str, fix: Applicability) -> bool:
    return not isinstance(outcome, str) and not _nothing_to_fix([outcome], fix)


def _as_check_report(report: FileReport) -> FileReport:
    """The report as a check run would have made it (a fix run that fixed nothing also carries the source)."""
    return replace(report, original=None, fixed_source=None, other_writes=[])


def _file_keys(files: Sequence[Path], project: ProjectModel, options: CheckOptions) -> dict[Path, str]:
    """Each file's key: its bytes and the project facts linting it depends on."""
    folders: dict[str, str] = {}

    def folder_digest(directory: str) -> str:
        if directory not in folders:
            facts = project.directories.get(directory)
            modules = [] if facts is None else [*facts.conftests, *facts.plugin_modules]
            folders[directory] = digest(facts, [(m, project.modules.get(m)) for m in modules])
        return folders[directory]

    keys: dict[Path, str] = {}
    with inputs.paused():
        for path in files:
            try:
                content = hashlib.sha256(read_source(path)).hexdigest()
            except OSError:
                continue
            where = str(path)
            consumers = project.consumer_files.get(where, ())
            keys[path] = digest(
                content,
                folder_digest(str(path.parent)),
                options.settings.ignored_in(path),
                consumers,
                [(c, folder_digest(str(Path(c).parent)), inputs.stamp_of(c)) for c in consumers],
                project.asyncio_below.get(where),
                # What other linted files import from it (a test they use is a helper: AIO504).
                sorted(project.imported_from.get(path.stem, ())),
            )
    return keys


#: Fix rounds a run may take: a fix of a config file or a conftest can make other fixes possible (the loop
#: scope AIO602 sets once AIO601 repaired the mode), or stale (a migration computed from the config before).
MAX_ROUNDS = 3
_round = 0


def _next_round(paths: Sequence[Path], options: CheckOptions, cwd: Path, result: RunResult) -> None:
    """After a config file or conftest was fixed, lint again with a model read afresh, fixing what is now
    fixable; what it reports is what remains.

    Other files saw the conftest's fixtures and the config as they were before the fix (an AIO302 on a test
    whose async fixture the conftest's AIO301 fix just repaired); only a new model knows they are gone.
    """
    global _round
    if _round + 1 >= MAX_ROUNDS:
        options = replace(options, fix=None)
    _round += 1
    try:
        again = check_paths(paths, replace(options, dry_run=False), cwd=cwd)
    finally:
        _round -= 1
    later = {report.path: report for report in again.reports}
    for report in result.reports:
        newer = later.pop(report.path, None)
        report.diagnostics = newer.diagnostics if newer is not None else []
        if newer is not None and newer.fixed:
            report.fixed += newer.fixed
            report.fixed_codes.extend(newer.fixed_codes)
            report.fixed_source = newer.fixed_source
            report.other_writes.extend(newer.other_writes)
    result.reports.extend(later.values())
    result.internal_errors.extend(e for e in again.internal_errors if e not in result.internal_errors)
    result.warnings.extend(w for w in again.warnings if w not in result.warnings)


#: Config files pytest rejects outright are reported under this rule.
INVALID_CONFIG = "AIO601"

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
#: Memory per byte of source: LibCST's parser while it runs (at most; about 550 on average), and the tree and
#: the facts read from it while the file is linted.
PARSER_BYTES_PER_SOURCE_BYTE = 1_300
TREE_BYTES_PER_SOURCE_BYTE = 100
#: The trees worker processes may hold at once. A file that alone exceeds it is linted with nothing else in
#: flight; others wait for room (smaller files further on go first), so two huge modules never overlap.
TREE_BUDGET = 150 * 2**20


class _Feeder:
    """Hands files to the workers within the memory budget, keeping every worker busy when it can.

    A worker that dies (a crash in native code: LibCST overflowing its stack) breaks the pool and every file
    in flight with it. A fresh pool then lints those files one at a time: the one that kills its worker again
    is reported as an internal error, and the run goes on.
    """

    #: How far past a file that does not fit the feeder looks for one that does.
    LOOKAHEAD = 64

    def __init__(self, start_pool: Callable[[], ProcessPoolExecutor], tasks: Sequence[_Task], jobs: int) -> None:
        self.start_pool = start_pool
        self.pool = start_pool()
        self.pending = list(tasks)
        self.jobs = jobs
        self.running: dict[Future[tuple[FileReport | str, dict[str, inputs.Stamp]]], tuple[_Task, int]] = {}
        self.used = 0
        #: Files in flight when a worker died, each linted alone until the culprit is known.
        self.suspects: list[_Task] = []
        self.isolating = False

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _cost(path: Path) -> int:
        from asynclint.parsing import PIECE_BYTES, PIECEWISE_ABOVE  # LibCST is loaded by now: a pool is running

        try:
            size = path.stat().st_size
        except OSError:
            return 0
        parsed_at_once = min(size, PIECE_BYTES) if size > PIECEWISE_ABOVE else size  # see `parsing.parse_module`
        return parsed_at_once * PARSER_BYTES_PER_SOURCE_BYTE + size * TREE_BYTES_PER_SOURCE_BYTE

    def fill(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._fill()
        except BrokenProcessPool:  # it broke since the last result came in: start over with a fresh pool
            self._restart()
            self._fill()

    def _fill(self) -> None:
        # Each task leaves its queue only once submitted: a pool that turns out broken loses none.
        if self.suspects:
            if not self.running:
                future = self.pool.submit(_check_in_worker, self.suspects[0])
                self.isolating = True
                self.running[future] = (self.suspects.pop(0), 0)
            return
        self.isolating = False
        index = 0
        # Twice as many as workers: a worker finds its next file queued while the parent is busy.
        while index < min(len(self.pending), self.LOOKAHEAD) and len(self.running) < 2 * self.jobs:
            path = self.pending[index].path
            cost = self._cost(path)
            if self.running and self.used + cost > TREE_BUDGET:
                index += 1
                continue
            future = self.pool.submit(_check_in_worker, self.pending[index])
            self.running[future] = (self.pending.pop(index), cost)
            self.used += cost

    def results(self) -> Iterator[tuple[Path, FileReport | str, dict[str, inputs.Stamp]]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        while self.running:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                if future not in self.running:
                    continue
                try:
                    outcome, read = future.result()
                except BrokenProcessPool:
                    culprit = self.running[future][0] if self.isolating else None
                    self._restart()
                    if culprit is not None:
                        yield culprit.path, f"{culprit.shown}: internal error: the process linting it crashed", {}
                    break
                task, cost = self.running.pop(future)
                self.used -= cost
                yield task.path, outcome, read
            self.fill()

    def _restart(self) -> None:
        """A worker died: every file in flight is suspect (the culprit itself when only one was)."""
        if not self.isolating:
            self.suspects.extend(task for task, _ in self.running.values())
        self.running.clear()
        self.used = 0
        # Waiting lets the broken pool terminate and join its other workers: without it the run can end first,
        # and a worker forked with both ends of the pool's task pipe waits on it forever, holding the run's
        # standard output open (a CI step or a caller reading it would never see it end).
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self.start_pool()


_worker: tuple[FileLinter, CheckOptions, inputs.Inputs] | None = None


def _linter(project: ProjectModel, rules: Sequence[type[Rule]], options: CheckOptions) -> FileLinter:
    from asynclint.engine import FileLinter
    from asynclint.model.collection import FileModelBuilder

    return FileLinter(
        FileModelBuilder(project, _shape_cache(options)),
        rules,
        fix_edits=options.fix_edits,
        rule_options=options.settings.rule_options,
    )


def _start_worker(project: ProjectModel, rules: Sequence[type[Rule]], options: CheckOptions) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent stops the run; workers just end with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inputs.reset()  # a forked worker inherits the parent's recordings: its reads go to its own
    read = inputs.Inputs()
    inputs.start(read)
    _worker = (_linter(project, rules, options), options, read)


def _check_in_worker(task: _Task) -> tuple[FileReport | str, dict[str, inputs.Stamp]]:
    """One file's outcome, and what the worker read for the first time while linting it."""
    assert _worker is not None
    linter, options, read = _worker
    outcome = _check_one(linter, options, task)
    fresh, read.stamps = read.stamps, {}
    _release_memory(task[0])
    return outcome, fresh


#: Source size above which a file's tree is big enough to be worth handing its memory back afterwards.
_RELEASE_ABOVE = 16 * 1024


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, looked up the first time a big module is done (a short run needs none of it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def _release_memory(path: Path) -> None:
    """After a big module, give the memory its tree took back to the system (glibc keeps it otherwise, and
    a worker that once linted a 300 KB module would hold 200 MB for the rest of the run)."""
    from asynclint.analysis.direct_body import forget_trees

    forget_trees()
    try:
        big = path.stat().st_size > _RELEASE_ABOVE
    except OSError:
        return
    trim = _malloc_trim() if big else None
    if trim is not None:
        trim(0)


class _Task(NamedTuple):
    """One file to lint: where it is, how it is shown, and whether fixes may be written to it."""

    path: Path
    shown: str
    may_fix: bool


def _check_one(linter: FileLinter, options: CheckOptions, task: _Task) -> FileReport | str:
    """One file's report, or the text of an internal error (a bug in asynclint must not stop the run)."""
    from asynclint.engine import SYNTAX_ERROR, InternalError

    path, shown, may_fix = task
    try:
        with inputs.paused():  # the file's bytes are part of its cache key, not a dependency
            source = read_source(path)
    except OSError as error:
        code, name = SYNTAX_ERROR
        report = FileReport(shown, error=True)
        message = f"cannot read the file: {unreadable_reason(path, error)}"
        report.diagnostics.append(Diagnostic(shown, 1, 1, 1, 2, code, name, message))
        return report
    try:
        ignored = options.settings.ignored_in(path)
        fix = options.fix if may_fix else None
        return linter.check(path, source, fix=fix, display_path=shown, ignored=ignored)
    except InternalError as error:
        return f"{shown}: internal error: {error}"
    except Exception as error:  # a bug in asynclint on one file must not stop the run
        from asynclint.deep_recursion import describe_error

        return f"{shown}: internal error: {describe_error(error)}"


class _Write(enum.Enum):
    WRITTEN = "written"
    #: Could not be written (changed on disk, outside the paths given, an OS error): the findings remain.
    FAILED = "failed"
    #: It also rewrites a config file this run's config fixes just changed: the next round redoes it.
    DEFERRED = "deferred"
    NOTHING = "nothing to write"


def _write_fix(
    path: Path,
    shown: str,
    report: FileReport,
    options: CheckOptions,
    result: RunResult,
    scope: WriteScope,
    fixed_configs: set[Path],
) -> _Write:
    """Write the fixed file, and the other files its fixes rewrite."""
    if options.fix is None or options.dry_run or report.original is None or report.fixed_source is None:
        return _Write.NOTHING
    if report.fixed_source == report.original:
        return _Write.NOTHING
    if any(resolved(Path(other.path)) in fixed_configs for other in report.other_writes):
        return _Write.DEFERRED
    outside = [other.path for other in report.other_writes if not scope.contains(Path(other.path))]
    if outside:
        result.warnings.append(f"{shown}: not fixed: the fix also rewrites {outside[0]}, outside the paths given")
        return _Write.FAILED
    for other in report.other_writes:
        # Other files first: if one changed since it was read, the module keeps its original content too.
        try:
            write_atomically(Path(other.path), other.before, other.after)
        except (ChangedOnDisk, OSError):
            result.internal_errors.append(f"{shown}: {other.path} changed while asynclint was fixing; not written")
            return _Write.FAILED
    try:
        write_atomically(path, report.original, report.fixed_source)
    except ChangedOnDisk:
        result.internal_errors.append(f"{shown}: changed while asynclint was fixing it; not written")
    except OSError as error:
        result.internal_errors.append(f"{shown}: cannot write the fixed file: {error.strerror}")
    else:
        return _Write.WRITTEN
    return _Write.FAILED


def _shape_cache(options: CheckOptions) -> ShapeCache:
    """Shapes of installed packages are cached in the user's cache folder unless told otherwise."""
    from asynclint.model.coroutines import ShapeCache, default_cache_dir

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
    from asynclint.engine import InternalError
    from asynclint.lint_settings import check_codes, check_rule_options
    from asynclint.model.project import ModelOptions, build_project
    from asynclint.registry import all_rules, select_rules

    options = options or CheckOptions()
    check_rule_options(options.settings, {rule.name: rule.options for rule in all_rules()})
    check_codes(options.settings)
    cwd = cwd or Path.cwd()
    rules = (
        list(options.rules)
        if options.rules is not None
        else select_rules(options.select, options.ignore, options.extend_select)
    )
    path = path.resolve()
    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode,
        versions=dict(options.versions),
        python=options.python,
        settings_file=str(options.config) if options.config is not None else None,
    )
    project = build_project([path], model_options, lint_root=path.parent)
    linter = _linter(project, rules, options)
    result = RunResult(environment_notes=_environment_notes(project, cwd))
    shown = display_path(path, cwd)
    try:
        report = linter.check(
            path, source, fix=options.fix, display_path=shown, ignored=options.settings.ignored_in(path)
        )
    except Exception as error:  # InternalError, or any other bug in asynclint
        from asynclint.deep_recursion import describe_error

        detail = str(error) if isinstance(error, InternalError) else describe_error(error)
        outcome = f"{shown}: internal error: {detail}"
        result.internal_errors.append(outcome)
        result.reports.append(_internal_error_report(shown, outcome))
        return result
    result.reports.append(report)
    result.warnings.extend(_environment_warnings(result.reports, cwd))
    result.warnings.extend(_template_warnings(result.reports))
    return result
