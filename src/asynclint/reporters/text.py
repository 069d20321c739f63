"""`path:line:col: CODE [*] message`, one finding per line, then a one-line summary."""

from __future__ import annotations

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.reporters.base import Reporter


def _tier(diagnostic: Diagnostic) -> Applicability | None:
    return diagnostic.fix.applicability if diagnostic.fix is not None else None


class TextReporter(Reporter):
    format = "text"

    def report(self, result: RunResult) -> None:
        diagnostics = result.diagnostics
        for diagnostic in diagnostics:
            marker = " [*]" if _tier(diagnostic) is Applicability.SAFE else ""
            self.stream.write(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
                f"{diagnostic.code}{marker} {diagnostic.message}\n"
            )
        self.summary(result)

    def summary(self, result: RunResult) -> None:
        """The closing line: what was fixed, what was found and what `--fix` could do about it."""
        diagnostics = result.diagnostics
        if self.quiet:
            return
        fixable = sum(1 for d in diagnostics if _tier(d) is Applicability.SAFE)
        unsafe = sum(1 for d in diagnostics if _tier(d) is Applicability.UNSAFE)
        if result.fixed:
            self.stream.write(f"Fixed {_count(result.fixed)}.\n")
        if diagnostics:
            summary = f"Found {_count(len(diagnostics))}"
            hints = []
            if fixable:
                hints.append(f"{fixable} fixable with `--fix`")
            if unsafe:
                hints.append(f"{unsafe} more with `--fix --unsafe-fixes`")
            if hints:
                summary += f" ({'; '.join(hints)})"
            self.stream.write(summary + ".\n")
        elif not result.internal_errors:
            self.stream.write("All checks passed!\n")


def _count(number: int) -> str:
    return f"{number} finding" if number == 1 else f"{number} findings"
