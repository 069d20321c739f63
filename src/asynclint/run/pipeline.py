"""A run, stage after stage: discover -> model -> lint (and fix, in memory) -> write -> report.

`check_paths` reads as that sequence. The results cache (`cache`) answers a whole run or single files it has
seen with the same inputs; the worker pool (`run.pool`) is the lint stage's. Nothing here formats output:
the reporters do, from the `RunResult`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import inputs, interrupts
from asynclint.cache import FileTable, ResultsCache
from asynclint.diagnostics import Diagnostic, FileReport
from asynclint.files import WriteScope, display_path
from asynclint.run import keys, notes
from asynclint.run.discover import Task, discover_tasks
from asynclint.run.options import CheckOptions, RunResult
from asynclint.run.write import Write, write_configs, write_fix

# The linting machinery (LibCST, the rules, the model) is imported when a run needs it: a run whose result
# the cache holds reports it without paying for those imports.
if TYPE_CHECKING:
    from asynclint.model.project import ProjectModel
    from asynclint.rule import Rule
    from asynclint.run.lint import Linted

#: Config files pytest rejects outright are reported under this rule.
INVALID_CONFIG = "AIO601"
#: Fix rounds a run may take: a fix of a config file or a conftest can make other fixes possible (the loop
#: scope AIO602 sets once AIO601 repaired the mode), or stale (a migration computed from the config before).
MAX_ROUNDS = 3


def check_paths(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    *,
    cwd: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    round_number: int = 0,
) -> RunResult:
    """Lint (and optionally fix) every Python file under `paths`; `progress(done, total)` follows the linting.
    `round_number`: how many fix rounds ran before this one (`_next_round`)."""
    options = options or CheckOptions()
    cwd = cwd or Path.cwd()
    cache = ResultsCache(options.results_cache) if options.results_cache is not None and not options.no_cache else None
    key = keys.run_key_of(paths, options, cwd) if cache is not None else ""
    if cache is not None:
        inputs.ignore_below(cache.directory)
        cache.prepare()  # made before the run reads its folder, so that making it does not look like a change
        cached = cache.load_run(key)
        if cached is not None and keys.nothing_to_fix(cached.reports, options.fix):
            return cached
    check_settings(options)
    with inputs.recording() as run_inputs, interrupts.deferred():
        result, table = _one_round(paths, options, cwd, cache, key, progress, round_number)
    if cache is not None and table is not None:
        cache.store_files(key, table)
        if not result.fixed and not result.internal_errors:
            cache.store_run(key, {**run_inputs.stamps, **table.stamps}, result)
    return result


def check_settings(options: CheckOptions) -> None:
    """`SettingsError` for an unknown rule option or code in the settings, before anything is read."""
    from asynclint.lint_settings import check_codes, check_rule_options
    from asynclint.registry import all_rules

    # Discovering the rules lists asynclint's own folders, which is no input of the run.
    check_rule_options(options.settings, {rule.name: rule.options for rule in all_rules()})
    check_codes(options.settings)


def selected_rules(options: CheckOptions) -> list[type[Rule]]:
    from asynclint.registry import select_rules

    if options.rules is not None:
        return list(options.rules)
    return select_rules(options.select, options.ignore, options.extend_select)


@dataclass
class _Round:
    """One round's state between the stages."""

    options: CheckOptions
    cwd: Path
    tasks: list[Task]
    scope: WriteScope
    project: ProjectModel
    result: RunResult
    #: Reports the results cache holds for files unchanged since, and the cache's table for this run.
    reused: dict[Path, FileReport]
    file_keys: dict[Path, str]
    table: FileTable


def _one_round(
    paths: Sequence[Path],
    options: CheckOptions,
    cwd: Path,
    cache: ResultsCache | None,
    key: str,
    progress: Callable[[int, int], None] | None,
    round_number: int,
) -> tuple[RunResult, FileTable | None]:
    from asynclint.run.lint import lint_files

    rules = selected_rules(options)
    tasks, scope = discover_tasks(paths, options.settings, cwd, force_exclude=options.force_exclude)
    project = _build_model([task.path for task in tasks], options, paths)
    state = _start(options, cwd, tasks, scope, project, cache, key)
    _report_config_problems(state, rules)
    to_lint = [task for task in tasks if task.path not in state.reused]
    linted = lint_files(project, rules, options, to_lint, cwd, scope, progress)
    state.table.stamps.update(linted.read.stamps)
    rewritten = _take_config_reports(state, linted)
    shared, unwritten = _take_file_reports(state, linted, rewritten)
    _finish(state)
    if shared or unwritten:
        _next_round(paths, options if shared else replace(options, fix=None), cwd, state.result, round_number)
    return state.result, (state.table if cache is not None and not state.result.fixed else None)


def _build_model(files: list[Path], options: CheckOptions, paths: Sequence[Path]) -> ProjectModel:
    """Stage 2, model: the frozen project model of the files' folders (configs, fixtures, versions...)."""
    from asynclint.model.project import ModelOptions, build_project

    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode,
        versions=dict(options.versions),
        source="the --asyncio-mode option" if options.asyncio_mode else "asynclint options",
        python=options.python,
        settings_file=str(options.config) if options.config is not None else None,
    )
    return build_project(files, model_options, lint_root=_common_root(paths))


def _start(
    options: CheckOptions,
    cwd: Path,
    tasks: list[Task],
    scope: WriteScope,
    project: ProjectModel,
    cache: ResultsCache | None,
    key: str,
) -> _Round:
    """The round's state, with the reports the results cache can give for files whose key has not changed."""
    stored = cache.load_files(key) if cache is not None else FileTable()
    file_keys = keys.file_keys([task.path for task in tasks], project, options) if cache is not None else {}
    reused: dict[Path, FileReport] = {}
    for task in tasks:
        entry = stored.entries.get(str(task.path))
        if entry is not None and entry[0] == file_keys.get(task.path) and keys.nothing_to_fix([entry[1]], options.fix):
            reused[task.path] = entry[1]
    table = FileTable(stamps=dict(stored.stamps) if reused else {})
    result = RunResult(environment_notes=notes.environment_notes(project, cwd))
    return _Round(options, cwd, tasks, scope, project, result, reused, file_keys, table)


def _report_config_problems(state: _Round, rules: Sequence[type[Rule]]) -> None:
    """Config files pytest cannot read (AIO001 on the file) or rejects at startup (AIO601)."""
    from asynclint.engine import SYNTAX_ERROR

    invalid_config = next((rule for rule in rules if rule.code == INVALID_CONFIG), None)
    for problem in state.project.config_problems:
        line = problem.line or 1
        shown = display_path(Path(problem.path), state.cwd)
        if problem.invalid_settings:
            if invalid_config is not None:
                message = f"pytest stops at startup: {problem.message}"
                diagnostic = Diagnostic(shown, line, 1, line, 2, invalid_config.code, invalid_config.name, message)
                state.result.reports.append(FileReport(shown, [diagnostic]))
            continue
        code, name = SYNTAX_ERROR
        message = f"pytest cannot read this config file: {problem.message}"
        state.result.config_diagnostics.append(Diagnostic(shown, line, 1, line, 2, code, name, message))


@dataclass(frozen=True)
class _Rewritten:
    #: Config files written this round: a Python file's fix that rewrites one too waits for the next round.
    configs: set[Path]
    #: A file other files' findings depend on was written (a config, a conftest): lint again.
    shared: bool


def _take_config_reports(state: _Round, linted: Linted) -> _Rewritten:
    """The config files' reports, per-file ignores applied, their fixes written (stage 5 for config files)."""
    from asynclint.registry import selector_matches

    options, cwd, result = state.options, state.cwd, state.result
    for report in linted.config_reports:
        ignored = options.settings.ignored_in(cwd / report.path)
        report.diagnostics = [
            d for d in report.diagnostics if not any(selector_matches(d.code, d.name, c) for c in ignored)
        ]
        fix = options.fix
        outside = not state.scope.contains(cwd / report.path)
        if fix is not None and not options.dry_run and outside and keys.fixable(report, fix):
            result.warnings.append(
                f"{report.path}: not fixed: it is outside the paths given (fix a folder that holds it)"
            )
    result.reports.extend(linted.config_reports)
    result.internal_errors.extend(linted.config_errors)
    # A dry run (--diff) computes config fixes without writing them: nothing changed for a next round to see.
    if options.fix is None or options.dry_run:
        return _Rewritten(set(), False)
    written, failed = write_configs(linted.config_reports, cwd, result)
    return _Rewritten(written, bool(written) or failed)


def _take_file_reports(state: _Round, linted: Linted, rewritten: _Rewritten) -> tuple[bool, bool]:
    """Each file's report in the run's result, its fixes written (stage 5 for Python files). Whether a file
    others depend on was written (a config, a conftest), and whether a fix could not be written (a fresh check
    then says what remains)."""
    options, result = state.options, state.result
    shared, unwritten = rewritten.shared, False
    for path, shown, may_fix in state.tasks:
        interrupts.check()
        outcome = state.reused[path] if path in state.reused else linted.outcomes[path]
        if not may_fix and options.fix is not None and not options.dry_run and keys.fixable(outcome, options.fix):
            result.warnings.append(f"{shown}: not fixed: it is a symbolic link to {path}, outside the paths given")
        if isinstance(outcome, str):
            # Said on standard error as ever, and reported as an AIO000 finding in every output format.
            result.internal_errors.append(outcome)
            result.reports.append(notes.internal_error_report(shown, outcome))
            continue
        result.internal_errors.extend(f"{shown}: {note}; it was not applied" for note in outcome.discarded)
        if path in state.file_keys and not outcome.fixed and not outcome.discarded:
            state.table.entries[str(path)] = (state.file_keys[path], keys.as_check_report(outcome))
        written = write_fix(path, shown, outcome, options, result, state.scope, rewritten.configs)
        if written is Write.WRITTEN and (str(path) in state.project.modules or outcome.other_writes):
            shared = True
        elif written is Write.FAILED:
            # Not written: what it reported as fixed is still there, as a fresh check will say.
            outcome.fixed, outcome.fixed_codes = 0, []
            unwritten = True
        elif written is Write.DEFERRED:  # the next round redoes it from the config as now written
            outcome.fixed, outcome.fixed_codes = 0, []
        result.reports.append(outcome)
    return shared, unwritten


def _finish(state: _Round) -> None:
    """The run's warnings, and the inputs it depends on besides what it recorded reading."""
    result = state.result
    result.warnings.extend(notes.environment_warnings(result.reports, state.cwd))
    result.warnings.extend(notes.template_warnings(result.reports))
    # What was linted was read unrecorded (its bytes are in its key): the run depends on it all the same.
    for task in state.tasks:
        inputs.note(task.path)
    for consumers in state.project.consumer_files.values():
        for consumer in consumers:
            inputs.note(consumer)


def _next_round(paths: Sequence[Path], options: CheckOptions, cwd: Path, result: RunResult, done: int) -> None:
    """After a config file or conftest was fixed, lint again with a model read afresh, fixing what is now
    fixable (up to `MAX_ROUNDS` rounds in all; `done` ran before); what it reports is what remains.

    Other files saw the conftest's fixtures and the config as they were before the fix (an AIO302 on a test
    whose async fixture the conftest's AIO301 fix just repaired); only a new model knows they are gone.
    """
    if done + 1 >= MAX_ROUNDS:
        options = replace(options, fix=None)
    again = check_paths(paths, replace(options, dry_run=False), cwd=cwd, round_number=done + 1)
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


def _common_root(paths: Sequence[Path]) -> Path | None:
    resolved = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    if not resolved:
        return None
    root = resolved[0]
    for path in resolved[1:]:
        while root not in (path, *path.parents):
            root = root.parent
    return root


class WarmModels:
    """Project models kept between checks of single files (the language server's): the model of a folder is
    reused while every file and folder that building it, and each lint that used it, read from disk is
    unchanged (`inputs.still_valid`), so a saved conftest, config or imported module makes the next check
    read the project again."""

    def __init__(self) -> None:
        self._models: dict[tuple[object, ...], tuple[ProjectModel, inputs.Inputs]] = {}
        self._lock = threading.Lock()

    def model(self, path: Path, options: CheckOptions) -> tuple[ProjectModel, inputs.Inputs]:
        """The model for `path`'s folder, and the record its checks add what they read to."""
        config = str(options.config) if options.config is not None else None
        versions = tuple(sorted(options.versions.items()))
        key: tuple[object, ...] = (str(path.parent), options.asyncio_mode, versions, options.python, config)
        with self._lock:
            found = self._models.get(key)
        if found is not None and _unchanged(found[1]):
            return found
        read = inputs.Inputs()
        with inputs.recording(read):
            project = _build_model([path], options, [path.parent])
        with self._lock:
            self._models[key] = (project, read)
        return project, read


def _unchanged(read: inputs.Inputs) -> bool:
    try:
        stamps = dict(read.stamps)
    except RuntimeError:  # another thread's lint is adding to it: read the project again
        return False
    return inputs.still_valid(stamps)


def check_source(
    source: bytes,
    path: Path,
    options: CheckOptions | None = None,
    *,
    cwd: Path | None = None,
    warm: WarmModels | None = None,
) -> RunResult:
    """Lint (and optionally fix) source text that claims to be `path` (an editor's unsaved buffer on stdin).

    The project model is read for `path`'s folder, as if the file were there; nothing is written. With `warm`,
    a model read for an earlier check is reused while nothing it was made from has changed.
    """
    from asynclint.run.lint import check_one, make_linter

    options = options or CheckOptions()
    check_settings(options)
    cwd = cwd or Path.cwd()
    path = path.resolve()
    if warm is not None:
        project, read = warm.model(path, options)
    else:
        project, read = _build_model([path], options, [path.parent]), inputs.Inputs()
    result = RunResult(environment_notes=notes.environment_notes(project, cwd))
    shown = display_path(path, cwd)
    with inputs.recording(read):
        # What the lint reads (the modules a call resolves into) is part of what the model's answers rest on.
        outcome = check_one(
            make_linter(project, selected_rules(options), options), options, Task(path, shown, True), source
        )
    if isinstance(outcome, str):
        result.internal_errors.append(outcome)
        result.reports.append(notes.internal_error_report(shown, outcome))
        return result
    result.reports.append(outcome)
    result.warnings.extend(notes.environment_warnings(result.reports, cwd))
    result.warnings.extend(notes.template_warnings(result.reports))
    return result
