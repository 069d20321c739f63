"""Output formats. Each reporter registers itself by subclassing `Reporter`; reporters only format."""

from __future__ import annotations

from asynclint.reporters import json_format, text
from asynclint.reporters.base import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter", "json_format", "text"]
