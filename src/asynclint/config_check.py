"""Running the config rules: each pytest config file the linted folders use is checked once.

Findings are positioned on the file's own lines. Fixes are one-line edits, applied together (they never
share a line), keeping every other byte and the file's line endings; the report carries the file's bytes
before and after, which the write stage (`run.write`) writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from asynclint import unsaved
from asynclint.diagnostics import Applicability, Diagnostic, FileReport, Fix, TextEdit, fix_tiers
from asynclint.files import display_path, files_named
from asynclint.model.project import DirectoryFacts, ProjectModel, pytest_asyncio_user
from asynclint.model.pytest_config import PytestConfig, unread_candidates
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, LineEdit, Rule


def config_contexts(project: ProjectModel) -> list[ConfigContext]:
    """A context for each config file pytest reads for the linted folders, then one for each other candidate
    file on pytest's walk up from them (`unread_candidates`).

    The config of an unread file's context is empty (pytest reads none of it, so the rules about values find
    nothing there); its folders' settings are those of the config pytest does read. The rules about settings
    pytest ignores (AIO604, AIO606, AIO607) read the file's own tables."""
    by_path: dict[str, list[DirectoryFacts]] = {}
    unread: dict[str, list[DirectoryFacts]] = {}
    listed: dict[Path, tuple[Path, ...]] = {}
    for facts in project.directories.values():
        config = facts.settings.config
        if config.path is not None and config.problem is None:
            by_path.setdefault(config.path, []).append(facts)
        for candidate in unread_candidates(Path(facts.directory), config, listed):
            unread.setdefault(str(candidate), []).append(facts)
    contexts = []
    for path, directories in sorted(by_path.items()):
        lines = _lines(path)
        if lines is None:
            continue
        config = directories[0].settings.config
        evidence = _asyncio_evidence(directories)
        contexts.append(ConfigContext(Path(path), config, tuple(directories), lines, evidence))
    for path, directories in sorted(unread.items()):
        lines = _lines(path)
        if path in by_path or lines is None:
            continue
        empty = PytestConfig(path, directories[0].settings.config.rootdir, "ini", None)
        contexts.append(ConfigContext(Path(path), empty, tuple(directories), lines, None))
    return contexts


def _lines(path: str) -> tuple[str, ...] | None:
    try:
        return tuple(unsaved.read_text(Path(path)).splitlines())
    except (OSError, UnicodeDecodeError):
        return None


def _asyncio_evidence(directories: Sequence[DirectoryFacts]) -> str | None:
    """Why the suite uses pytest-asyncio: its folders' evidence, or a test module that imports or marks it.

    None when the config governs no test module: pytest reads a config for the tests below its folder (run from
    there, or given a path there), so a config with no test module below it (a library's `pyproject.toml` in a
    monorepo whose tests live elsewhere) configures no suite, whatever its folders depend on."""
    first = directories[0]
    rootdir = Path(first.settings.config.rootdir)
    if not _governs_tests(directories, rootdir):
        return None
    for facts in directories:
        if facts.environment.asyncio_evidence is not None:
            return facts.environment.asyncio_evidence
    return pytest_asyncio_user(rootdir, lambda _: first)


def _governs_tests(directories: Sequence[DirectoryFacts], rootdir: Path) -> bool:
    """Whether a test module lies below the config's folder: first among the linted folders, then anywhere."""
    settings = directories[0].settings
    for facts in directories:
        try:
            names = os.listdir(facts.directory)
        except OSError:
            continue
        if any(name.endswith(".py") and settings.is_test_module(Path(facts.directory, name)) for name in names):
            return True
    python_files = files_named(rootdir, lambda name: name.endswith(".py"))
    return any(settings.is_test_module(path) for path in python_files)


def check_configs(
    project: ProjectModel,
    rules: Sequence[type[Rule]],
    fix: Applicability | None,
    cwd: Path,
    preview: bool,
    may_write: Callable[[Path], bool] = lambda _: True,
) -> tuple[list[FileReport], list[str]]:
    """Reports for the config files (only those with findings or fixes), and errors for files that changed
    before their fixes could be made. A fixed file's report carries its bytes before and after (`original`,
    `fixed_source`) and leaves out the findings fixed, unless `preview` (`--diff`) keeps them reported.

    A config file `may_write` refuses (outside the paths given) keeps its findings, unfixed."""
    config_rules = [rule for rule in rules if issubclass(rule, ConfigRule) or hasattr(rule, "check_config")]
    reports: list[FileReport] = []
    errors: list[str] = []
    if not config_rules:
        return reports, errors
    allowed = fix_tiers(fix)
    for ctx in config_contexts(project):
        found = [(rule, finding) for rule in config_rules for finding in rule.check_config(ctx)]
        for other in sorted({f.path for _, f in found if f.path is not None}):
            others = [(rule, f) for rule, f in found if f.path == other]
            reports.append(_other_file_report(other, others, cwd))
        findings = [(rule, f) for rule, f in found if f.path is None]
        if not findings:
            continue
        shown = display_path(ctx.path, cwd)
        report = FileReport(path=shown)
        writable = allowed if may_write(ctx.path) else frozenset()
        applied = {f.fix.line: f.fix for _, f in findings if f.fix is not None and f.applicability in writable}
        if applied:
            # As for Python files, the report says how many findings of which codes were fixed (--show-fixes).
            fixed = _fixed(ctx.path, applied)
            if fixed is None:
                errors.append(f"{shown}: changed while asynclint was fixing it; not written")
                applied = {}
            else:
                report.original, report.fixed_source = fixed
                report.fixed = len(applied)
                report.fixed_codes = [
                    rule.code for rule, f in findings if f.fix is not None and applied.get(f.fix.line) is f.fix
                ]
        for rule, finding in findings:
            if finding.fix is not None and applied.get(finding.fix.line) is finding.fix and not preview:
                continue
            report.diagnostics.append(_diagnostic(rule, finding, shown, ctx))
        reports.append(report)
    return reports, errors


def _other_file_report(path: Path, findings: list[tuple[type[Rule], ConfigFinding]], cwd: Path) -> FileReport:
    """Findings about another config file (reported there, never fixed)."""
    shown = display_path(path, cwd)
    try:
        lines = tuple(unsaved.read_text(path).splitlines())
    except (OSError, UnicodeDecodeError):
        lines = ()
    report = FileReport(path=shown)
    for rule, finding in findings:
        end = len(lines[finding.line - 1]) + 1 if 0 < finding.line <= len(lines) else finding.column + 1
        report.diagnostics.append(
            Diagnostic(shown, finding.line, finding.column, finding.line, end, rule.code, rule.name, finding.message)
        )
    return report


def _diagnostic(rule: type[Rule], finding: ConfigFinding, shown: str, ctx: ConfigContext) -> Diagnostic:
    fix = None
    if finding.fix is not None:
        edit = TextEdit(finding.fix.text + "\n", finding.fix.line, 1, finding.fix.line + 1, 1)
        fix = Fix(finding.fix_title, finding.applicability, (edit,))
    line_text = ctx.lines[finding.line - 1] if 0 < finding.line <= len(ctx.lines) else ""
    end = max(finding.column + 1, len(line_text) + 1)
    return Diagnostic(
        shown, finding.line, finding.column, finding.line, end, rule.code, rule.name, finding.message, fix
    )


def _fixed(path: Path, edits: Mapping[int, LineEdit]) -> tuple[bytes, bytes] | None:
    """The config file's bytes before and after its line edits (keeping its line endings); None when it can no
    longer be read as it was."""
    try:
        before = path.read_bytes()
        text = before.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    for number, edit in edits.items():
        if number > len(lines):
            return None
        old = lines[number - 1]
        ending = old[len(old.rstrip("\r\n")) :] or newline
        lines[number - 1] = edit.text.replace("\n", newline) + ending
    return before, "".join(lines).encode("utf-8")
