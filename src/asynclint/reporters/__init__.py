"""Output formats. Each reporter registers itself by subclassing `Reporter`; reporters only format."""

from __future__ import annotations

from asynclint.reporters import ci_formats, full, json_format, text
from asynclint.reporters.base import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter", "ci_formats", "full", "json_format", "text"]
