"""Stage 3, lint: each file (and each pytest config file) against the frozen project model -> its report.

Fixing happens here too, in memory: a file linted with fixes on is fixed and linted again until nothing more
changes (`engine.FileLinter`), so its report carries the text before and after; nothing is written (that is
`run.write`'s). Many files are linted in worker processes (`run.pool`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import inputs, interrupts
from asynclint.diagnostics import Diagnostic, FileReport
from asynclint.files import WriteScope, read_source, unreadable_reason
from asynclint.model.pytest_config import CONFIG_NAMES
from asynclint.run import pool
from asynclint.run.discover import Task

if TYPE_CHECKING:
    from asynclint.engine import FileLinter
    from asynclint.model.coroutines import ShapeCache
    from asynclint.model.project import ProjectModel
    from asynclint.rule import Rule
    from asynclint.run.options import CheckOptions


@dataclass
class Linted:
    """What the lint stage gives: each file's report (or the text of an internal error), the config files'
    reports and errors, and what linting read (the results cache's dependencies)."""

    outcomes: dict[Path, FileReport | str] = field(default_factory=dict)
    config_reports: list[FileReport] = field(default_factory=list)
    config_errors: list[str] = field(default_factory=list)
    read: inputs.Inputs = field(default_factory=inputs.Inputs)


def lint_files(
    project: ProjectModel,
    rules: Sequence[type[Rule]],
    options: CheckOptions,
    tasks: Sequence[Task],
    cwd: Path,
    scope: WriteScope,
    progress: Callable[[int, int], None] | None,
) -> Linted:
    """Lint the tasks' files, in worker processes when there are enough of them, and the config files."""
    from asynclint.config_check import check_configs

    def configs() -> tuple[list[FileReport], list[str]]:
        return check_configs(project, rules, options.fix, cwd, options.dry_run, scope.contains)

    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(tasks) >= pool.PARALLEL_THRESHOLD:
        arguments = (project, rules, options)
        # Config files are checked while the workers lint.
        outcomes, read, (reports, errors) = pool.lint_in_workers(
            tasks, jobs, file_checker, arguments, configs, progress
        )
    else:
        check = file_checker(project, rules, options)
        outcomes, read = [], inputs.Inputs()
        with inputs.recording(read):
            for task in tasks:
                interrupts.check()
                outcomes.append(check(task))
                pool.release_memory(task.path)
                if progress is not None:
                    progress(len(outcomes), len(tasks))
        reports, errors = configs()
    by_path = dict(zip([task.path for task in tasks], outcomes, strict=True))
    return Linted(by_path, reports, errors, read)


def file_checker(
    project: ProjectModel, rules: Sequence[type[Rule]], options: CheckOptions
) -> Callable[[Task], FileReport | str]:
    """How one file is linted with this model, these rules and options (in this process or in a worker)."""
    return functools.partial(check_one, make_linter(project, rules, options), options)


def make_linter(project: ProjectModel, rules: Sequence[type[Rule]], options: CheckOptions) -> FileLinter:
    from asynclint.engine import FileLinter
    from asynclint.model.collection import FileModelBuilder

    return FileLinter(
        FileModelBuilder(project, shape_cache(options)),
        rules,
        fix_edits=options.fix_edits,
        rule_options=options.settings.rule_options,
    )


def check_one(linter: FileLinter, options: CheckOptions, task: Task, source: bytes | None = None) -> FileReport | str:
    """One file's report, or the text of an internal error (a bug in asynclint must not stop the run);
    `source`: its text when it is not what the file holds (an editor's unsaved buffer)."""
    from asynclint.engine import SYNTAX_ERROR, InternalError

    path, shown, may_fix = task
    if path.name in CONFIG_NAMES:
        # A config file named on the command line (`check pyproject.toml`) is checked as config, with the others.
        return FileReport(shown)
    try:
        if source is None:
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


def shape_cache(options: CheckOptions) -> ShapeCache:
    """Shapes of installed packages are cached in the user's cache folder unless told otherwise."""
    from asynclint.model.coroutines import ShapeCache, default_cache_dir

    if options.no_cache:
        return ShapeCache(None)
    return ShapeCache(options.cache_dir or default_cache_dir())
