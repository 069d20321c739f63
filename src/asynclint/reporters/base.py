"""The reporter interface and registry."""

from __future__ import annotations

from typing import ClassVar, TextIO

from asynclint.api import RunResult

REPORTERS: dict[str, type[Reporter]] = {}


class Reporter:
    """Formats the result of a run onto a stream."""

    format: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        REPORTERS[cls.format] = cls

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def report(self, result: RunResult) -> None:
        raise NotImplementedError
