"""Stage 1, discover: the paths given -> the files to lint, each with how it is shown and whether it may be fixed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from asynclint.files import WriteScope, discover, display_path, resolved
from asynclint.lint_settings import LintSettings


class Task(NamedTuple):
    """One file to lint: where it is, how it is shown, and whether fixes may be written to it."""

    path: Path
    shown: str
    may_fix: bool


def discover_tasks(
    paths: Sequence[Path], settings: LintSettings, cwd: Path, *, force_exclude: bool
) -> tuple[list[Task], WriteScope]:
    """The files under `paths` (`files.discover`: Python files, excluded folders and settings applied), each
    linted once by its real path (a file reached through two links) and shown by the path that found it;
    and the scope fixes may be written in (the paths given)."""
    found_as: dict[Path, Path] = {}
    discovered = discover(
        paths, skip=settings.excluded, default_excludes=settings.exclude is None, force_exclude=force_exclude
    )
    for path in discovered:
        found_as.setdefault(resolved(path), path)
    scope = WriteScope(paths)
    tasks = [Task(path, display_path(shown, cwd), scope.contains(path)) for path, shown in found_as.items()]
    return tasks, scope
