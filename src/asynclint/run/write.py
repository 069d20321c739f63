"""Stage 5, write: the fixed texts the lint stage planned -> disk, atomically, once: config files first, then
Python files (and the other files their fixes rewrite). The only stage that writes a file of the project.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path

from asynclint.diagnostics import FileReport
from asynclint.files import ChangedOnDisk, WriteScope, resolved, write_atomically
from asynclint.run.options import CheckOptions, RunResult


def write_file(path: Path, before: bytes, after: bytes) -> None:
    """Replace the file's bytes `before` with `after`, atomically; `ChangedOnDisk` when it no longer holds
    `before` (someone edited it meanwhile), `OSError` when it cannot be written. Every write of a project file
    (fixes, config fixes, `--add-noqa`) goes through here."""
    write_atomically(path, before, after)


def write_configs(reports: Sequence[FileReport], cwd: Path, result: RunResult) -> tuple[set[Path], bool]:
    """Write the config files the lint stage fixed; the real paths written, and whether one could not be (its
    findings then come back in the next round, which lints without fixing)."""
    written: set[Path] = set()
    failed = False
    for report in reports:
        if not report.fixed or report.original is None or report.fixed_source is None:
            continue
        path = cwd / report.path
        try:
            write_file(path, report.original, report.fixed_source)
        except (ChangedOnDisk, OSError):
            result.internal_errors.append(f"{report.path}: changed while asynclint was fixing it; not written")
            report.fixed, report.fixed_codes = 0, []
            failed = True
        else:
            written.add(resolved(path))
        report.original = report.fixed_source = None
    return written, failed


class Write(enum.Enum):
    WRITTEN = "written"
    #: Could not be written (changed on disk, outside the paths given, an OS error): the findings remain.
    FAILED = "failed"
    #: It also rewrites a config file this run's config fixes just changed: the next round redoes it.
    DEFERRED = "deferred"
    NOTHING = "nothing to write"


def write_fix(
    path: Path,
    shown: str,
    report: FileReport,
    options: CheckOptions,
    result: RunResult,
    scope: WriteScope,
    fixed_configs: set[Path],
) -> Write:
    """Write the fixed file, and the other files its fixes rewrite."""
    if options.fix is None or options.dry_run or report.original is None or report.fixed_source is None:
        return Write.NOTHING
    if report.fixed_source == report.original:
        return Write.NOTHING
    if any(resolved(Path(other.path)) in fixed_configs for other in report.other_writes):
        return Write.DEFERRED
    outside = [other.path for other in report.other_writes if not scope.contains(Path(other.path))]
    if outside:
        result.warnings.append(f"{shown}: not fixed: the fix also rewrites {outside[0]}, outside the paths given")
        return Write.FAILED
    for other in report.other_writes:
        # Other files first: if one changed since it was read, the module keeps its original content too.
        try:
            write_file(Path(other.path), other.before, other.after)
        except (ChangedOnDisk, OSError):
            result.internal_errors.append(f"{shown}: {other.path} changed while asynclint was fixing; not written")
            return Write.FAILED
    try:
        write_file(path, report.original, report.fixed_source)
    except ChangedOnDisk:
        result.internal_errors.append(f"{shown}: changed while asynclint was fixing it; not written")
    except OSError as error:
        result.internal_errors.append(f"{shown}: cannot write the fixed file: {error.strerror}")
    else:
        return Write.WRITTEN
    return Write.FAILED
