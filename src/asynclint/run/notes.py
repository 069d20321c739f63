"""What a run says beside its findings: the environments it used, warnings, internal errors as findings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint.diagnostics import Diagnostic, FileReport
from asynclint.files import display_path

if TYPE_CHECKING:
    from asynclint.model.project import ProjectModel


def environment_notes(project: ProjectModel, cwd: Path) -> tuple[str, ...]:
    """What `--verbose` says about the environment of each project the run met, one project after another."""
    from asynclint.model.versions import describe_environments

    by_root = {str(facts.versions.root): facts.versions for facts in project.directories.values()}
    return tuple(
        line
        for root in sorted(by_root)
        for line in describe_environments(by_root[root], lambda path: display_path(Path(path), cwd))
    )


def environment_warnings(reports: Sequence[FileReport], cwd: Path) -> list[str]:
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


def internal_error_report(shown: str, outcome: str) -> FileReport:
    """An internal error on a file (`outcome`: "<path>: internal error: <detail>") as an AIO000 finding at its
    line 1, so that every output format shows it. Never stored in the results cache: only reports are."""
    from asynclint.rules.internal_error import InternalError_, internal_error_message

    detail = outcome.removeprefix(f"{shown}: ").removeprefix("internal error: ")
    message = internal_error_message(detail)
    diagnostic = Diagnostic(shown, 1, 1, 1, 2, InternalError_.code, InternalError_.name, message)
    return FileReport(shown, [diagnostic], error=True)


def template_warnings(reports: Sequence[FileReport]) -> list[str]:
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
