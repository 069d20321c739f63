"""Formats for CI systems and tools: JSON lines, GitHub annotations, GitLab code quality, JUnit XML, SARIF."""

from __future__ import annotations

import hashlib
import inspect
import json
from typing import Any

from asynclint import __version__
from asynclint.api import RunResult
from asynclint.diagnostics import Diagnostic
from asynclint.reporters.base import Reporter
from asynclint.reporters.json_format import diagnostic_to_json

REPOSITORY = "https://github.com/asynclint/asynclint"


class JsonLinesReporter(Reporter):
    """One JSON object per finding per line (the `json` format's objects)."""

    format = "json-lines"
    shows_fix_edits = True

    def report(self, result: RunResult) -> None:
        for diagnostic in result.diagnostics:
            self.stream.write(json.dumps(diagnostic_to_json(diagnostic)) + "\n")


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff."""

    format = "github"

    def report(self, result: RunResult) -> None:
        for d in result.diagnostics:
            properties = ",".join(
                [
                    f"title={_github_escape(f'asynclint ({d.code})', property_value=True)}",
                    f"file={_github_escape(d.path, property_value=True)}",
                    f"line={d.line}",
                    f"col={d.column}",
                    f"endLine={d.end_line}",
                    f"endColumn={d.end_column}",
                ]
            )
            self.stream.write(f"::error {properties}::{_github_escape(f'{d.code} {d.message}')}\n")


def fingerprint(diagnostic: Diagnostic) -> str:
    """A stable identity for a finding (GitLab tracks findings across pipelines with it)."""
    key = f"{diagnostic.path}:{diagnostic.code}:{diagnostic.message}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class GitlabReporter(Reporter):
    """A GitLab code quality report (a JSON array of issues)."""

    format = "gitlab"

    def report(self, result: RunResult) -> None:
        issues = [
            {
                "description": f"{d.code} {d.message}",
                "check_name": f"{d.code} {d.name}",
                "fingerprint": fingerprint(d),
                "severity": "major",
                "location": {"path": d.path, "lines": {"begin": d.line, "end": d.end_line}},
            }
            for d in result.diagnostics
        ]
        self.stream.write(json.dumps(issues, indent=2) + "\n")


#: asynclint's own failure on a file (AIO000): an error of the tool, not a finding about the code.
INTERNAL_ERROR = "AIO000"


class JunitReporter(Reporter):
    """JUnit XML: a test suite per file with findings, a failing test case per finding (as ruff does), so the
    counts agree with what readers show: `tests` = `failures` = findings; a clean run is one passing case. A file
    asynclint failed on (AIO000) is a test case in error instead: `errors` counts those."""

    format = "junit"

    def report(self, result: RunResult) -> None:
        from xml.sax.saxutils import escape, quoteattr  # pulls in urllib: only for this format

        by_path: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            by_path.setdefault(d.path, []).append(d)
        total = len(result.diagnostics)
        errors = sum(1 for d in result.diagnostics if d.code == INTERNAL_ERROR)
        out = ['<?xml version="1.0" encoding="UTF-8"?>']
        if not by_path:
            out.append('<testsuites name="asynclint" tests="1" failures="0" errors="0">')
            out.append('  <testsuite name="asynclint" tests="1" failures="0" errors="0">')
            out.append('    <testcase name="asynclint" classname="asynclint"/>')
            out.append("  </testsuite>")
        else:
            out.append(f'<testsuites name="asynclint" tests="{total}" failures="{total - errors}" errors="{errors}">')
        for path, found in sorted(by_path.items()):
            count = len(found)
            failed = sum(1 for d in found if d.code == INTERNAL_ERROR)
            out.append(
                f'  <testsuite name={quoteattr(path)} tests="{count}" failures="{count - failed}" errors="{failed}">'
            )
            for d in found:
                name = quoteattr(f"{d.code} {d.name}")
                where = f'line="{d.line}" column="{d.column}"'
                out.append(f"    <testcase name={name} classname={quoteattr(f'{path}:{d.line}:{d.column}')} {where}>")
                message = quoteattr(f"{d.code} {d.message}")
                body = escape(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}")
                element = "error" if d.code == INTERNAL_ERROR else "failure"
                out.append(f'      <{element} message={message} type="{d.code}">{body}</{element}>')
                out.append("    </testcase>")
            out.append("  </testsuite>")
        out.append("</testsuites>")
        self.stream.write("\n".join(out) + "\n")


class SarifReporter(Reporter):
    """SARIF 2.1.0 (GitHub code scanning), with every rule's metadata and the fixes as replacements."""

    format = "sarif"
    shows_fix_edits = True

    def report(self, result: RunResult) -> None:
        from asynclint.registry import all_rules  # the rule classes, for their metadata: only for this format

        rules = all_rules()
        index = {rule.code: number for number, rule in enumerate(rules)}
        driver: dict[str, Any] = {
            "name": "asynclint",
            "version": __version__,
            "informationUri": REPOSITORY,
            "rules": [
                {
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary()},
                    "fullDescription": {"text": inspect.cleandoc(rule.__doc__ or "")},
                    "helpUri": f"{REPOSITORY}/blob/main/docs/rules.md#{rule.code.lower()}-{rule.name}",
                    "defaultConfiguration": {"level": "error"},
                }
                for rule in rules
            ],
        }
        results = [self._result(d, index) for d in result.diagnostics]
        run: dict[str, Any] = {"tool": {"driver": driver}, "results": results}
        if result.internal_errors:
            # SARIF's place for a tool's own failures: code scanning shows the run as not fully successful.
            run["invocations"] = [
                {
                    "executionSuccessful": False,
                    "toolExecutionNotifications": [
                        {"level": "error", "message": {"text": message}} for message in result.internal_errors
                    ],
                }
            ]
        document = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        }
        self.stream.write(json.dumps(document, indent=2) + "\n")

    @staticmethod
    def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": d.path.replace("\\", "/")},
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    "endColumn": d.end_column,
                },
            }
        }
        entry: dict[str, Any] = {
            "ruleId": d.code,
            "level": "error",
            "message": {"text": d.message},
            "locations": [location],
            "partialFingerprints": {"asynclint/v1": fingerprint(d)},
        }
        if d.code in index:
            entry["ruleIndex"] = index[d.code]
        if d.fix is not None and d.fix.edits:
            changed = [(d.path, d.fix.edits), *((other.path, other.edits) for other in d.fix.other_files)]
            entry["fixes"] = [
                {
                    "description": {"text": f"{d.fix.title} ({d.fix.applicability.value})"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": path.replace("\\", "/")},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": edit.line,
                                        "startColumn": edit.column,
                                        "endLine": edit.end_line,
                                        "endColumn": edit.end_column,
                                    },
                                    "insertedContent": {"text": edit.content},
                                }
                                for edit in edits
                            ],
                        }
                        for path, edits in changed
                    ],
                }
            ]
        return entry
