"""What a run's results depend on: the key of the whole run and of each file, for the results cache."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import inputs
from asynclint.cache import digest, run_key
from asynclint.diagnostics import Applicability, FileReport, fix_tiers
from asynclint.files import read_source
from asynclint.model.python_environments import ENVIRONMENT_VARIABLES

if TYPE_CHECKING:
    from asynclint.model.project import ProjectModel
    from asynclint.run.options import CheckOptions


def run_key_of(paths: Sequence[Path], options: CheckOptions, cwd: Path) -> str:
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


def nothing_to_fix(reports: Sequence[FileReport], fix: Applicability | None) -> bool:
    """Whether a fix run at this tier would leave every one of these (check) reports as it is."""
    tiers = fix_tiers(fix)
    return not any(d.fix is not None and d.fix.applicability in tiers for r in reports for d in r.diagnostics)


def fixable(outcome: FileReport | str, fix: Applicability) -> bool:
    return not isinstance(outcome, str) and not nothing_to_fix([outcome], fix)


def as_check_report(report: FileReport) -> FileReport:
    """The report as a check run would have made it (a fix run that fixed nothing also carries the source)."""
    return replace(report, original=None, fixed_source=None, other_writes=[])


def file_keys(files: Sequence[Path], project: ProjectModel, options: CheckOptions) -> dict[Path, str]:
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
