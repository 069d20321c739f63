"""`path:line:col: CODE [*] message`, one finding per line, then a one-line summary."""

from __future__ import annotations

from asynclint.api import RunResult
from asynclint.reporters.base import Reporter


class TextReporter(Reporter):
    format = "text"

    def report(self, result: RunResult) -> None:
        diagnostics = result.diagnostics
        for diagnostic in diagnostics:
            marker = " [*]" if diagnostic.fixable else ""
            self.stream.write(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
                f"{diagnostic.code}{marker} {diagnostic.message}\n"
            )
        fixable = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability.value == "safe")
        if result.fixed:
            self.stream.write(f"Fixed {_count(result.fixed)}.\n")
        if diagnostics:
            summary = f"Found {_count(len(diagnostics))}"
            if fixable:
                summary += f" ({fixable} fixable with `--fix`)"
            self.stream.write(summary + ".\n")
        elif not result.internal_errors:
            self.stream.write("All checks passed!\n")


def _count(number: int) -> str:
    return f"{number} finding" if number == 1 else f"{number} findings"
