"""The data flow of a run: discover files -> build the project model -> lint each file -> fix -> report.

The CLI, the tests and any other front end call `check_paths`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.diagnostics import Applicability, Diagnostic, FileReport
from asynclint.engine import SYNTAX_ERROR, FileLinter, InternalError
from asynclint.files import ChangedOnDisk, discover, display_path, write_atomically
from asynclint.model.collection import FileModelBuilder
from asynclint.model.project import ModelOptions, build_project
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
    files = [path.resolve() for path in discover(paths)]
    lint_root = _common_root(paths)
    model_options = ModelOptions(
        asyncio_mode=options.asyncio_mode,
        versions=dict(options.versions),
        source="the --asyncio-mode option" if options.asyncio_mode else "asynclint options",
    )
    project = build_project(files, model_options, lint_root=lint_root)
    linter = FileLinter(FileModelBuilder(project), rules)
    result = RunResult()
    for problem in project.config_problems:
        code, name = SYNTAX_ERROR
        line = problem.line or 1
        shown = display_path(Path(problem.path), cwd)
        message = f"pytest cannot read this config file: {problem.message}"
        result.config_diagnostics.append(Diagnostic(shown, line, 1, line, 2, code, name, message))
    for path in files:
        shown = display_path(path, cwd)
        try:
            source = path.read_bytes()
        except OSError as error:
            code, name = SYNTAX_ERROR
            report = FileReport(shown, error=True)
            report.diagnostics.append(
                Diagnostic(shown, 1, 1, 1, 2, code, name, f"cannot read the file: {error.strerror}")
            )
            result.reports.append(report)
            continue
        try:
            report = linter.check(path, source, fix=options.fix, display_path=shown)
        except InternalError as error:
            result.internal_errors.append(f"{shown}: internal error: {error}")
            continue
        if (
            options.fix is not None
            and not options.dry_run
            and report.fixed_source is not None
            and report.fixed_source != source
        ):
            try:
                write_atomically(path, source, report.fixed_source)
            except ChangedOnDisk:
                result.internal_errors.append(f"{shown}: changed while asynclint was fixing it; not written")
            except OSError as error:
                result.internal_errors.append(f"{shown}: cannot write the fixed file: {error.strerror}")
        result.reports.append(report)
    return result


def _common_root(paths: Sequence[Path]) -> Path | None:
    resolved = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    if not resolved:
        return None
    root = resolved[0]
    for path in resolved[1:]:
        while root not in (path, *path.parents):
            root = root.parent
    return root
