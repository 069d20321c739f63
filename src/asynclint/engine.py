"""Linting one file: parse once, read the model, run every applicable rule in one batched traversal,
position what they report, honour `# noqa`, and (when asked) apply fixes until none are left.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from asynclint.diagnostics import Applicability, Diagnostic, FileReport, Fix, NodeFix
from asynclint.fixer import apply_fixes, choose_fixes, text_edits
from asynclint.model.collection import FileModelBuilder
from asynclint.model.reader import read_module
from asynclint.noqa import is_suppressed, noqa_lines
from asynclint.parsing import parse_module, python_parse_error, too_deep
from asynclint.rule import Finding, Rule, RuleContext
from asynclint.walk import run_visitors

MAX_PASSES = 10
SYNTAX_ERROR = ("AIO001", "syntax-error")


class InternalError(Exception):
    """A bug in asynclint while checking a file; the run reports it and goes on."""


@dataclass
class _Pass:
    module: cst.Module
    ctx: RuleContext
    findings: list[Finding]
    #: The bytes the module was parsed from.
    source: bytes

    @functools.cached_property
    def text(self) -> str:
        """The module's source text (what `module.code` would render, without rendering the module)."""
        return self.source.decode(self.module.encoding)


def _syntax_diagnostic(path: str, line: int, column: int, message: str) -> Diagnostic:
    code, name = SYNTAX_ERROR
    return Diagnostic(path, max(line, 1), max(column, 1), max(line, 1), max(column, 1) + 1, code, name, message)


def parse(path: str, source: bytes, *, checked: bool = False) -> cst.Module | Diagnostic:
    """Parse with LibCST; a file it cannot parse becomes an AIO001 diagnostic.

    Unless `checked` (the source is asynclint's own fix of a file that passed), CPython's parser looks first:
    it rejects in milliseconds the deeply nested files LibCST would take minutes over.
    """
    if not checked:
        reason = too_deep(source)
        if reason is not None:
            return _syntax_diagnostic(path, 1, 1, f"cannot parse the file: {reason}")
    try:
        return parse_module(source)
    except cst.ParserSyntaxError as error:
        # CPython's parser points at the offending token; LibCST's at where it gave up. Prefer CPython's.
        located = _python_syntax_error(source)
        if located is not None:
            line, column, reason = located
            return _syntax_diagnostic(path, line, column, f"cannot parse the file: {reason}")
        message = f"cannot parse the file: {error.message}"
        return _syntax_diagnostic(path, error.raw_line, error.raw_column + 1, message)
    except RecursionError:
        return _syntax_diagnostic(path, 1, 1, "cannot parse the file: it is nested too deeply")
    except (UnicodeDecodeError, LookupError, ValueError, SyntaxError) as error:
        # SyntaxError: a coding cookie naming no codec (`# coding: uft-8`), as Python's tokenizer reports it.
        return _syntax_diagnostic(path, 1, 1, f"cannot decode the file: {error}")


def _python_syntax_error(source: bytes) -> tuple[int, int, str] | None:
    error = python_parse_error(source)
    if isinstance(error, SyntaxError):
        return error.lineno or 1, error.offset or 1, error.msg
    if isinstance(error, ValueError):  # NUL bytes, before Python 3.11.4 made it a SyntaxError
        return 1, 1, str(error)
    return None


def compiles(source: bytes) -> bool:
    """A fast syntax check (CPython's own parser) for files no rule needs to read."""
    return python_parse_error(source) is None


class FileLinter:
    """Lints files with a fixed set of rules against one project model."""

    def __init__(
        self,
        builder: FileModelBuilder,
        rules: Sequence[type[Rule]],
        *,
        fix_edits: bool = True,
        rule_options: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self.builder = builder
        self.rule_options = rule_options or {}
        self.rules = [rule for rule in rules if not rule.reported_by_engine]
        #: Whether offered fixes carry their text edits. Rendering each fix rewrites the whole module, which
        #: costs more than linting it: only the output formats that show edits (JSON, SARIF) ask for them.
        self.fix_edits = fix_edits

    def _rules_for(self, path: Path, text: str) -> list[type[Rule]]:
        """The rules that can have something to say about this file, decided before parsing it."""
        kind = self.builder.file_kind(path)
        return [
            rule
            for rule in self.rules
            if kind in rule.file_kinds and rule.triggered_by(text, self.rule_options.get(rule.name))
        ]

    def _run(self, path: Path, module: cst.Module, rules: Sequence[type[Rule]], text: str, source: bytes) -> _Pass:
        summary, nodes = read_module(module, str(path), text)
        model = self.builder.build(path, summary)
        ctx = RuleContext(path, module, model, nodes, text, self.rule_options)
        kind = "test" if model.is_test_module else ("conftest" if model.is_conftest else "other")
        active = [rule(ctx) for rule in rules if kind in rule.file_kinds]
        if active:
            try:
                run_visitors(module, active)
            except Exception as error:  # a bug in a rule must not stop the run
                raise InternalError(f"{type(error).__name__}: {error}") from error
        return _Pass(module, ctx, ctx.findings, source)

    def _kept(self, lint: _Pass, shown: str) -> list[tuple[Finding, Diagnostic]]:
        """Positioned findings that no `# noqa` suppresses, in file order."""
        if not lint.findings:
            return []
        ranges = lint.ctx.positions()
        suppressions = noqa_lines(lint.text)
        kept: list[tuple[Finding, Diagnostic]] = []
        seen: set[tuple[int, int, str, str]] = set()
        for finding in lint.findings:
            start = ranges[finding.start or finding.node].start
            end = ranges[finding.node].end
            if is_suppressed(finding.code, start.line, suppressions):
                continue
            key = (start.line, start.column, finding.code, finding.message)
            if key in seen:
                continue
            seen.add(key)
            diagnostic = Diagnostic(
                path=shown,
                line=start.line,
                column=start.column + 1,
                end_line=end.line,
                end_column=end.column + 1,
                code=finding.code,
                name=finding.name,
                message=finding.message,
            )
            kept.append((finding, diagnostic))
        kept.sort(key=lambda pair: pair[1].sort_key())
        return kept

    def _describe_fix(self, lint: _Pass, fix: NodeFix) -> Fix:
        if not self.fix_edits:
            return Fix(fix.title, fix.applicability, ())
        try:
            after = apply_fixes(lint.module, [fix]).code
        except Exception:  # a fix that cannot even be rendered is not offered
            return Fix(fix.title, fix.applicability, ())
        return Fix(fix.title, fix.applicability, text_edits(lint.text, after))

    def check(
        self,
        path: Path,
        source: bytes,
        *,
        fix: Applicability | None = None,
        display_path: str | None = None,
        ignored: Sequence[str] = (),
    ) -> FileReport:
        """Lint one file; with `fix`, apply fixes of that tier (SAFE, or UNSAFE for both) until none remain."""
        shown = display_path or str(path)
        # The original bytes travel back from worker processes only when a fix may need them.
        report = FileReport(path=shown, original=source if fix is not None else None)
        text = source.decode("utf-8", errors="replace")
        rules = [
            rule
            for rule in self._rules_for(path, text)
            if not any(rule.code.startswith(code.upper()) or rule.name == code for code in ignored)
        ]
        # Parsing dominates the cost: a file no rule can say anything about only gets a syntax check.
        if not rules and compiles(source):
            return report
        parsed = parse(shown, source)
        if isinstance(parsed, Diagnostic):
            report.diagnostics.append(parsed)
            report.error = True
            return report
        # Rules read the text as Python does: in the module's declared encoding, without a BOM.
        text = source.decode(parsed.encoding, errors="replace")
        lint = self._run(path, parsed, rules, text, source)
        current = source
        if fix is not None:
            allowed = {Applicability.SAFE} if fix is Applicability.SAFE else set(Applicability)
            #: Findings (code, message) whose fix broke the file: not offered again in later passes.
            broken: set[tuple[str, str]] = set()
            for _ in range(MAX_PASSES):
                fixable = [
                    (finding.code, diagnostic.line, finding.fix, finding.message)
                    for finding, diagnostic in self._kept(lint, shown)
                    if finding.fix is not None
                    and finding.fix.applicability in allowed
                    and (finding.code, finding.message) not in broken
                ]
                candidates = [node_fix for _, _, node_fix, _ in fixable]
                if not candidates:
                    break
                chosen = choose_fixes(candidates, {write.path for write in report.other_writes})
                new_module = apply_fixes(lint.module, chosen)
                new_source = new_module.bytes
                reparsed = parse(shown, new_source, checked=True)
                if isinstance(reparsed, Diagnostic):
                    # A fix that breaks the file is a bug in asynclint: leave it out, keep the others, say so.
                    bad = [
                        node_fix
                        for node_fix in chosen
                        if isinstance(
                            parse(shown, apply_fixes(lint.module, [node_fix]).bytes, checked=True), Diagnostic
                        )
                    ]
                    for code, line, node_fix, message in fixable:
                        if any(node_fix is b for b in bad):
                            broken.add((code, message))
                            report.discarded.append(f"the {code} fix at line {line} ({node_fix.title}) would not parse")
                    chosen = [node_fix for node_fix in chosen if not any(node_fix is b for b in bad)]
                    if not chosen:
                        continue
                    new_module = apply_fixes(lint.module, chosen)
                    new_source = new_module.bytes
                    reparsed = parse(shown, new_source, checked=True)
                    if isinstance(reparsed, Diagnostic):
                        break  # only together do they break the file: apply none of them
                if new_source == current:
                    break
                report.fixed += len(chosen)
                report.fixed_codes.extend(
                    code for code, _, node_fix, _ in fixable if any(node_fix is c for c in chosen)
                )
                report.other_writes.extend(write for node_fix in chosen for write in node_fix.other_files)
                current = new_source
                text = new_source.decode(reparsed.encoding, errors="replace")
                lint = self._run(path, reparsed, rules, text, new_source)
            else:
                raise InternalError(f"fixes did not converge after {MAX_PASSES} passes")
            report.fixed_source = current
        for finding, diagnostic in self._kept(lint, shown):
            if finding.fix is not None:
                described = self._describe_fix(lint, finding.fix)
                diagnostic = Diagnostic(
                    diagnostic.path,
                    diagnostic.line,
                    diagnostic.column,
                    diagnostic.end_line,
                    diagnostic.end_column,
                    diagnostic.code,
                    diagnostic.name,
                    diagnostic.message,
                    described,
                )
            report.diagnostics.append(diagnostic)
        return report
