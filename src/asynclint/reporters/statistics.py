"""`--statistics`: how many findings each code has, most frequent first."""

from __future__ import annotations

from collections import Counter

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability
from asynclint.reporters.base import Reporter


class StatisticsReporter(Reporter):
    format = "statistics"
    listed = False

    def report(self, result: RunResult) -> None:
        counts = Counter(d.code for d in result.diagnostics)
        names = {d.code: d.name for d in result.diagnostics}
        fixable = Counter(
            d.code for d in result.diagnostics if d.fix is not None and d.fix.applicability is Applicability.SAFE
        )
        width = max((len(str(n)) for n in counts.values()), default=1)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            marker = "[*]" if fixable[code] == count else ("[~]" if fixable[code] else "   ")
            self.stream.write(f"{count:>{width}}  {code}  {marker} {names[code]}\n")
