"""A JSON list of findings. This format is a public contract: fields are only ever added."""

from __future__ import annotations

import json
from typing import Any

from asynclint.api import RunResult
from asynclint.diagnostics import Diagnostic
from asynclint.reporters.base import Reporter


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    fix = None
    if diagnostic.fix is not None:
        fix = {
            "applicability": diagnostic.fix.applicability.value,
            "title": diagnostic.fix.title,
            "edits": [
                {
                    "content": edit.content,
                    "line": edit.line,
                    "column": edit.column,
                    "end_line": edit.end_line,
                    "end_column": edit.end_column,
                }
                for edit in diagnostic.fix.edits
            ],
        }
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line,
        "end_column": diagnostic.end_column,
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "fix": fix,
    }


class JsonReporter(Reporter):
    format = "json"
    shows_fix_edits = True

    def report(self, result: RunResult) -> None:
        payload = [diagnostic_to_json(d) for d in result.diagnostics]
        json.dump(payload, self.stream, indent=2)
        self.stream.write("\n")
