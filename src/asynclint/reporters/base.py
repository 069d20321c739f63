"""The reporter interface and registry."""

from __future__ import annotations

from typing import ClassVar, TextIO

from asynclint.api import RunResult

REPORTERS: dict[str, type[Reporter]] = {}


class Reporter:
    """Formats the result of a run onto a stream."""

    format: ClassVar[str]

    #: Registered as an `--format` choice (the statistics table is not one).
    listed: ClassVar[bool] = True
    #: Shows each fix's text edits, which the run then has to render (it costs a module rewrite per fix).
    shows_fix_edits: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.listed:
            REPORTERS[cls.format] = cls

    def __init__(self, stream: TextIO, *, quiet: bool = False) -> None:
        self.stream = stream
        #: Findings only, no summary line (formats without a summary ignore it).
        self.quiet = quiet

    def report(self, result: RunResult) -> None:
        raise NotImplementedError
