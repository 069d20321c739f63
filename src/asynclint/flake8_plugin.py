"""asynclint as a flake8 plugin: `flake8 --select AIO tests/` runs the same rules as `asynclint check`.

flake8 hands over one file at a time; the project model (pytest config, conftests, versions) is read for
that file's folder and shared with the other files of the run. flake8 applies `# noqa` itself, and its
`--select`/`--ignore` choose among the codes reported here (every default-on rule runs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from asynclint import __version__
from asynclint.api import CheckOptions, check_source


class AsyncLintChecker:
    """The flake8 extension registered under the `AIO` prefix."""

    name = "asynclint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        if self.filename in ("stdin", "-", ""):
            return
        path = Path(self.filename)
        source = "".join(self.lines).encode("utf-8")
        result = check_source(source, path, CheckOptions(jobs=1))
        for diagnostic in result.diagnostics:
            # flake8 columns are 0-based; its message starts with the code.
            yield diagnostic.line, diagnostic.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self)
