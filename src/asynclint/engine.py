"""Linting one file: parse once, read the model, run every applicable rule in one batched traversal,
position what they report, honour `# noqa`, and (when asked) apply fixes until none are left.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from asynclint.deep_recursion import call_with_deep_stack, describe_error
from asynclint.diagnostics import (
    Applicability,
    Diagnostic,
    FileEdits,
    FileReport,
    Fix,
    NodeFix,
    TextEdit,
    fix_tiers,
)
from asynclint.files import has_template_syntax
from asynclint.fixer import FixRenderer, apply_fixes, choose_fixes, text_edits
from asynclint.model.collection import FileModelBuilder, is_test_support
from asynclint.model.reader import read_module
from asynclint.noqa import apply_edits, is_suppressed, noqa_lines
from asynclint.parsing import parse_module, python_parse_error, too_deep
from asynclint.registry import selector_matches
from asynclint.rule import Finding, Rule, RuleContext
from asynclint.rules.unused_noqa import UnusedDirective, UnusedNoqa, find_unused
from asynclint.walk import run_visitors

MAX_PASSES = 10
#: Fix edits rendered where each fix changes the module (`FixRenderer`); off, each fix renders the whole module
#: (what the tests compare them with).
FAST_EDITS = True
SYNTAX_ERROR = ("AIO001", "syntax-error")


def _may_have_withheld(ctx: RuleContext) -> tuple[str, ...]:
    """Code families whose rules may have stayed silent in this file because they could not know: a `noqa` of
    theirs may be needed where asynclint sees more (the project's environment, the mode CI passes), so AIO002
    does not judge it. The mark, fixture and loop rules stay silent while the asyncio mode or who runs the
    tests is unknown; the await rules while a package the file calls into cannot be read."""
    withheld: list[str] = []
    model = ctx.model
    if model.settings.asyncio_mode is None or model.environment_unknown is not None or model.asyncio_evidence is None:
        withheld.extend(("AIO1", "AIO3", "AIO4"))
    if ctx.environment_needed is not None:
        withheld.append("AIO2")
    return tuple(withheld)


class InternalError(Exception):
    """A bug in asynclint while checking a file; the run reports it and goes on."""


@dataclass
class _Fixing:
    """One file being fixed: what stays the same from one pass to the next."""

    path: Path
    shown: str
    rules: Sequence[type[Rule]]
    #: The codes the file's noqa comments name (`FileLinter._noqa_judged`), for the AIO002 pass.
    judged: frozenset[str] | None
    report: FileReport
    allowed: frozenset[Applicability]
    #: Findings (code, message) whose fix broke the file: not offered again in later passes.
    broken: set[tuple[str, str]] = field(default_factory=set)


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

    @functools.cached_property
    def renderer(self) -> FixRenderer:
        """Renders each fix's edits where it changes the module (see `FixRenderer`)."""
        return FixRenderer(self.module, self.text)


def _shown_beside(path: Path, shown: str, other: Path) -> str:
    """`other` shown as `path` is shown as `shown`: relative to the same folder when `shown` is relative."""
    shown_path = Path(shown)
    if shown_path.is_absolute() or len(shown_path.parts) > len(path.parts):
        return str(other)
    base = Path(*path.parts[: len(path.parts) - len(shown_path.parts)]) if shown_path.parts else path
    try:
        return os.path.relpath(other, base)
    except ValueError:  # another drive
        return str(other)


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
        #: Every enabled rule, those the engine reports included: what noqa codes are judged against.
        self.enabled = tuple(rules)
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

    def _noqa_judged(self, text: str, ignored: Sequence[str]) -> frozenset[str] | None:
        """With AIO002 on for this file and a `noqa` in it: the codes of the rules that check it. None otherwise."""
        ran = frozenset(
            rule.code
            for rule in self.enabled
            if not any(selector_matches(rule.code, rule.name, selector) for selector in ignored)
        )
        return ran if UnusedNoqa.code in ran and "noqa" in text.lower() else None

    def _unused_noqa(self, lint: _Pass, ran: frozenset[str] | None) -> list[UnusedDirective]:
        """AIO002: the `noqa` codes that suppress none of this pass's findings (see `unused_noqa.find_unused`)."""
        if ran is None:
            return []
        ranges = lint.ctx.positions() if lint.findings else {}
        reported = {(ranges[finding.start or finding.node].start.line, finding.code) for finding in lint.findings}
        withheld = _may_have_withheld(lint.ctx)
        return find_unused(lint.text, reported, {code for code in ran if not code.startswith(withheld)})

    def _without_unused_noqa(self, lint: _Pass, unused: Sequence[UnusedDirective]) -> bytes | None:
        """The source with AIO002's fixes made; None when its text would not round-trip through its encoding."""
        encoding = lint.module.encoding
        try:
            if lint.text.encode(encoding) != lint.source:
                return None
            lines = io.StringIO(lint.text).readlines()
            return apply_edits(lint.text, [found.edit(lines) for found in unused]).encode(encoding)
        except (UnicodeError, LookupError):
            return None

    def _unused_noqa_diagnostics(self, lint: _Pass, shown: str, unused: Sequence[UnusedDirective]) -> list[Diagnostic]:
        """AIO002's findings, their fixes described in whole lines as every other fix is."""
        lines = io.StringIO(lint.text).readlines() if self.fix_edits else []
        diagnostics = []
        for found in unused:
            directive = found.directive
            edits: tuple[TextEdit, ...] = ()
            if self.fix_edits:
                edits = text_edits(lint.text, apply_edits(lint.text, [found.edit(lines)]))
            fix = Fix(found.fix_title, Applicability.SAFE, edits)
            line, column, end = directive.line, directive.start + 1, directive.end + 1
            diagnostics.append(
                Diagnostic(shown, line, column, line, end, UnusedNoqa.code, UnusedNoqa.name, found.message, fix)
            )
        return diagnostics

    def _run(self, path: Path, module: cst.Module, rules: Sequence[type[Rule]], text: str, source: bytes) -> _Pass:
        summary, nodes = read_module(module, str(path), text)
        model = self.builder.build(path, summary)
        ctx = RuleContext(path, module, model, nodes, text, self.rule_options)
        kind = self.builder.file_kind(path)
        if kind == "test" and not model.is_test_module:  # `__test__ = False`: pytest does not collect it
            kind = "helper" if is_test_support(path) else "other"
        active = [rule(ctx) for rule in rules if kind in rule.file_kinds]
        if active:
            try:
                run_visitors(module, active)
            except Exception as error:  # a bug in a rule must not stop the run
                raise InternalError(describe_error(error)) from error
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

    def _describe_fix(self, lint: _Pass, fix: NodeFix, path: Path, shown: str) -> Fix:
        if not self.fix_edits:
            return Fix(fix.title, fix.applicability, ())
        edits = lint.renderer.edits(fix, lint.ctx.positions()) if FAST_EDITS else None
        if edits is None:
            try:
                after = apply_fixes(lint.module, [fix]).code
            except Exception:  # a fix that cannot even be rendered is not offered
                return Fix(fix.title, fix.applicability, ())
            edits = text_edits(lint.text, after)
        others = tuple(
            FileEdits(
                _shown_beside(path, shown, Path(write.path)),
                text_edits(write.before.decode("utf-8", "replace"), write.after.decode("utf-8", "replace")),
            )
            for write in fix.other_files
        )
        return Fix(fix.title, fix.applicability, edits, others)

    def check(
        self,
        path: Path,
        source: bytes,
        *,
        fix: Applicability | None = None,
        display_path: str | None = None,
        ignored: Sequence[str] = (),
    ) -> FileReport:
        """Lint one file; with `fix`, apply fixes of that tier (SAFE, or UNSAFE for both) until none remain.

        LibCST renders, and rules walk, recursively: a valid module nested deeper than Python's recursion limit
        allows (a chain of hundreds of `elif`s) is linted again in a thread with a deep stack.
        """

        def lint() -> FileReport:
            return self._check(path, source, fix=fix, display_path=display_path, ignored=ignored)

        try:
            return lint()
        except (RecursionError, InternalError) as error:
            if not isinstance(error, RecursionError) and not isinstance(error.__cause__, RecursionError):
                raise
        return call_with_deep_stack(lint)

    def _check(
        self,
        path: Path,
        source: bytes,
        *,
        fix: Applicability | None,
        display_path: str | None,
        ignored: Sequence[str],
    ) -> FileReport:
        shown = display_path or str(path)
        # The original bytes travel back from worker processes only when a fix may need them.
        report = FileReport(path=shown, original=source if fix is not None else None)
        text = source.decode("utf-8", errors="replace")
        rules = [
            rule
            for rule in self._rules_for(path, text)
            if not any(selector_matches(rule.code, rule.name, selector) for selector in ignored)
        ]
        judged = self._noqa_judged(text, ignored)
        # Parsing dominates the cost: a file no rule can say anything about only gets a syntax check.
        if not rules and judged is None and compiles(source):
            return report
        parsed = parse(shown, source)
        if isinstance(parsed, Diagnostic):
            if parsed.message.startswith("cannot parse the file") and has_template_syntax(source, parsed.line):
                report.template = True  # a template is not Python until rendered: not checked, and no error
                return report
            report.diagnostics.append(parsed)
            report.error = True
            return report
        # Rules read the text as Python does: in the module's declared encoding, without a BOM.
        text = source.decode(parsed.encoding, errors="replace")
        lint = self._run(path, parsed, rules, text, source)
        if fix is not None:
            lint = self._fix_until_stable(lint, _Fixing(path, shown, rules, judged, report, fix_tiers(fix)))
        self._report_remaining(path, shown, lint, judged, report)
        return report

    def _fix_until_stable(self, lint: _Pass, fixing: _Fixing) -> _Pass:
        """Fixing, in memory: apply the fixes of the tier, lint the new text, and again until no fix is left
        or the text stops changing. The report counts what was fixed and holds the final text."""
        for _ in range(MAX_PASSES):
            step = self._fix_pass(lint, fixing)
            if step is None:
                break
            lint = step
        else:
            raise InternalError(f"fixes did not converge after {MAX_PASSES} passes")
        fixing.report.fixed_source = lint.source
        return lint

    def _fix_pass(self, lint: _Pass, fixing: _Fixing) -> _Pass | None:
        """One pass: the file linted after the fixes it applied (the same pass when every fix it tried broke the
        file, for the next to go on without them), or None when there is nothing more to fix."""
        shown, report = fixing.shown, fixing.report
        fixable = [
            (finding.code, diagnostic.line, finding.fix, finding.message)
            for finding, diagnostic in self._kept(lint, shown)
            if finding.fix is not None
            and finding.fix.applicability in fixing.allowed
            and (finding.code, finding.message) not in fixing.broken
        ]
        candidates = [node_fix for _, _, node_fix, _ in fixable]
        if not candidates:
            # AIO002 comes last: what a `noqa` suppresses is known once the other fixes are in.
            return self._fix_unused_noqa(lint, fixing)
        chosen = choose_fixes(candidates, {write.path for write in report.other_writes})
        new_source = apply_fixes(lint.module, chosen).bytes
        reparsed = parse(shown, new_source, checked=True)
        if isinstance(reparsed, Diagnostic):
            # A fix that breaks the file is a bug in asynclint: leave it out, keep the others, say so.
            bad = [
                node_fix
                for node_fix in chosen
                if isinstance(parse(shown, apply_fixes(lint.module, [node_fix]).bytes, checked=True), Diagnostic)
            ]
            for code, line, node_fix, message in fixable:
                if any(node_fix is b for b in bad):
                    fixing.broken.add((code, message))
                    report.discarded.append(f"the {code} fix at line {line} ({node_fix.title}) would not parse")
            chosen = [node_fix for node_fix in chosen if not any(node_fix is b for b in bad)]
            if not chosen:
                return lint
            new_source = apply_fixes(lint.module, chosen).bytes
            reparsed = parse(shown, new_source, checked=True)
            if isinstance(reparsed, Diagnostic):
                return None  # only together do they break the file: apply none of them
        if new_source == lint.source:
            return None
        report.fixed += len(chosen)
        report.fixed_codes.extend(code for code, _, node_fix, _ in fixable if any(node_fix is c for c in chosen))
        report.other_writes.extend(write for node_fix in chosen for write in node_fix.other_files)
        return self._relint(fixing, reparsed, new_source)

    def _fix_unused_noqa(self, lint: _Pass, fixing: _Fixing) -> _Pass | None:
        """The last pass: `# noqa` comments that suppress nothing, removed (AIO002); None when there are none."""
        unused = self._unused_noqa(lint, fixing.judged)
        new_source = self._without_unused_noqa(lint, unused) if unused else None
        if new_source is None or new_source == lint.source:
            return None
        reparsed = parse(fixing.shown, new_source, checked=True)
        if isinstance(reparsed, Diagnostic):
            fixing.report.discarded.append(f"the {UnusedNoqa.code} fix would not parse")
            return None
        fixing.report.fixed += len(unused)
        fixing.report.fixed_codes.extend(UnusedNoqa.code for _ in unused)
        return self._relint(fixing, reparsed, new_source)

    def _relint(self, fixing: _Fixing, module: cst.Module, source: bytes) -> _Pass:
        """The file linted again, as fixed."""
        text = source.decode(module.encoding, errors="replace")
        return self._run(fixing.path, module, fixing.rules, text, source)

    def _report_remaining(
        self, path: Path, shown: str, lint: _Pass, judged: frozenset[str] | None, report: FileReport
    ) -> None:
        """The findings the (fixed) file still has, each with the fix it offers, and AIO002's."""
        for finding, diagnostic in self._kept(lint, shown):
            if finding.fix is not None:
                diagnostic = replace(diagnostic, fix=self._describe_fix(lint, finding.fix, path, shown))
            report.diagnostics.append(diagnostic)
        unused_noqa = self._unused_noqa(lint, judged)
        if unused_noqa:
            report.diagnostics.extend(self._unused_noqa_diagnostics(lint, shown, unused_noqa))
            report.diagnostics.sort(key=Diagnostic.sort_key)
        package = lint.ctx.environment_needed
        if package is not None:
            report.environment_needed = (lint.ctx.model.versions.root or str(path.parent), package)
