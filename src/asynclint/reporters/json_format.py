"""A JSON list of findings. This format is a public contract: fields are only ever added."""

from __future__ import annotations

import json
from typing import Any

from asynclint.api import RunResult
from asynclint.diagnostics import Diagnostic, TextEdit
from asynclint.reporters.base import Reporter


def _edits(edits: tuple[TextEdit, ...]) -> list[dict[str, Any]]:
    return [
        {
            "content": edit.content,
            "line": edit.line,
            "column": edit.column,
            "end_line": edit.end_line,
            "end_column": edit.end_column,
        }
        for edit in edits
    ]


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    fix = None
    if diagnostic.fix is not None:
        fix = {
            "applicability": diagnostic.fix.applicability.value,
            "title": diagnostic.fix.title,
            "edits": _edits(diagnostic.fix.edits),
            # Edits to other files (the config file a migration writes), each with its path.
            "other_files": [{"path": other.path, "edits": _edits(other.edits)} for other in diagnostic.fix.other_files],
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
