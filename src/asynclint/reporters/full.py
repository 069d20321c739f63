"""`full`: each finding with the source line it is on, a caret under its span and the fix it offers.

Colour is used when the stream is a terminal, unless `NO_COLOR` is set (https://no-color.org).
"""

from __future__ import annotations

import os
from pathlib import Path

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.reporters.base import Reporter
from asynclint.reporters.text import TextReporter

_RED, _BOLD, _CYAN, _RESET = "\033[31m", "\033[1m", "\033[36m", "\033[0m"


class FullReporter(Reporter):
    format = "full"

    def report(self, result: RunResult) -> None:
        colour = self.stream.isatty() and "NO_COLOR" not in os.environ
        sources: dict[str, list[str]] = {}
        for diagnostic in result.diagnostics:
            self._finding(diagnostic, sources, colour)
        TextReporter(self.stream, quiet=self.quiet).summary(result)

    def _finding(self, d: Diagnostic, sources: dict[str, list[str]], colour: bool) -> None:
        def paint(text: str, code: str) -> str:
            return f"{code}{text}{_RESET}" if colour else text

        marker = " [*]" if d.fix is not None and d.fix.applicability is Applicability.SAFE else ""
        head = f"{paint(f'{d.path}:{d.line}:{d.column}:', _BOLD)} {paint(d.code, _RED)}{marker} {d.message}"
        self.stream.write(head + "\n")
        if d.path not in sources:
            try:
                sources[d.path] = Path(d.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                sources[d.path] = []
        lines = sources[d.path]
        if 0 < d.line <= len(lines):
            text = lines[d.line - 1].rstrip()
            gutter = f"{d.line} | "
            width = (d.end_column - d.column) if d.end_line == d.line else len(text) - d.column + 1
            caret = " " * (len(gutter) + d.column - 1) + "^" * max(1, width)
            self.stream.write(f"{gutter}{text}\n{paint(caret, _RED)}\n")
        if d.fix is not None:
            self.stream.write(paint(f"  = help: {d.fix.title} ({d.fix.applicability.value})", _CYAN) + "\n")
        self.stream.write("\n")
