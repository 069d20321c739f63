"""asynclint for front ends (the CLI, the flake8 plugin, editors, tests): what to check and what was found.

A run goes through the stages of `asynclint.run`, in this order:
discover (`run.discover`) -> model (`model.project`) -> lint, fixing in memory (`run.lint`, `run.pool`) ->
write (`run.write`) -> report (`run.notes` here, the output formats in `reporters`); `run.pipeline` strings
them together.
"""

from __future__ import annotations

from asynclint.run.options import CheckOptions, RunResult
from asynclint.run.pipeline import check_paths, check_source

__all__ = ["CheckOptions", "RunResult", "check_paths", "check_source"]
