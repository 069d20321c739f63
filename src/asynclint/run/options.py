"""What a run is asked to do (`CheckOptions`) and what it found (`RunResult`): the front ends' vocabulary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.diagnostics import Applicability, Diagnostic, FileReport
from asynclint.lint_settings import LintSettings

if TYPE_CHECKING:
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
