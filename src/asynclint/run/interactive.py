"""`check --fix --interactive`: each fix shown as a diff and applied only if the user says so.

The lint stage reports every finding with its fix's text edits (the same edits JSON and SARIF carry, other
files' included). Each fix of the tier asked for is shown and asked about in file order; the accepted ones are
applied to the files as they were read, file by file, through the one writer (`run.write.write_file`). A fix
whose edits meet one accepted before it in the same file waits for the next run, and a Python file whose
result would not parse is left as it is.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.diagnostics import Diagnostic, TextEdit
from asynclint.engine import parse
from asynclint.files import ChangedOnDisk
from asynclint.fixer import applied_edits, unified_diff
from asynclint.run.write import write_file

#: The answers: apply this fix, skip it, apply it and every one after it, stop asking (nothing more applied).
YES, NO, ALL, QUIT = "y", "n", "a", "q"


@dataclass
class _File:
    path: Path
    shown: str
    before: bytes
    encoding: str
    text: str
    edits: list[TextEdit] = field(default_factory=list)


@dataclass
class Outcome:
    #: Findings whose fixes were applied and written.
    fixed: int = 0
    #: Why some accepted fixes were not applied (to print as warnings).
    warnings: list[str] = field(default_factory=list)


def fixable(diagnostics: Sequence[Diagnostic], tiers: frozenset[object]) -> list[Diagnostic]:
    """The findings whose fix is of a tier asked for and says what it changes, in file order."""
    return sorted(
        (d for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.applicability in tiers),
        key=Diagnostic.sort_key,
    )


def preview(diagnostic: Diagnostic, cwd: Path) -> str:
    """The fix as a unified diff of each file it changes, as that file is now."""
    assert diagnostic.fix is not None
    parts = []
    for shown, edits in _changes(diagnostic):
        file = _read(cwd, shown)
        if file is None:
            continue
        parts.append(unified_diff(file.text, applied_edits(file.text, edits), shown))
    return "".join(parts)


def run_interactive(candidates: Sequence[Diagnostic], cwd: Path, ask: Callable[[Diagnostic, str], str]) -> Outcome:
    """Ask about each candidate (`ask(finding, diff)` returns one of the answers) and apply those accepted."""
    accepted: list[Diagnostic] = []
    answer = NO
    for diagnostic in candidates:
        if answer != ALL:
            answer = ask(diagnostic, preview(diagnostic, cwd))
            if answer == QUIT:
                break
        if answer in {YES, ALL}:
            accepted.append(diagnostic)
    return apply(accepted, cwd)


def apply(accepted: Sequence[Diagnostic], cwd: Path) -> Outcome:
    outcome = Outcome()
    files: dict[str, _File] = {}
    counted: list[tuple[Diagnostic, list[str]]] = []
    for diagnostic in accepted:
        changes = _changes(diagnostic)
        targets = []
        for shown, _ in changes:
            if shown not in files:
                file = _read(cwd, shown)
                if file is None:
                    break
                files[shown] = file
            targets.append(files[shown])
        else:
            if any(_meets(file.edits, edits) for file, (_, edits) in zip(targets, changes, strict=True)):
                outcome.warnings.append(
                    f"{diagnostic.path}:{diagnostic.line}: {diagnostic.code} not fixed: its fix meets one applied "
                    "before it; run again"
                )
                continue
            for file, (_, edits) in zip(targets, changes, strict=True):
                file.edits.extend(edits)
            counted.append((diagnostic, [shown for shown, _ in changes]))
            continue
        outcome.warnings.append(f"{diagnostic.path}: not fixed: a file its fix changes cannot be read")
    written: set[str] = set()
    for shown, file in files.items():
        if not file.edits:
            continue
        after_text = applied_edits(file.text, file.edits)
        after = after_text.encode(file.encoding)
        if file.path.suffix == ".py" and isinstance(parse(shown, after, checked=True), Diagnostic):
            outcome.warnings.append(f"{shown}: not fixed: the fixes chosen would not parse together; run again")
            continue
        try:
            write_file(file.path, file.before, after)
        except (ChangedOnDisk, OSError):
            outcome.warnings.append(f"{shown}: changed while asynclint was fixing it; not written")
            continue
        written.add(shown)
    outcome.fixed = sum(1 for _, shown in counted if all(path in written for path in shown))
    return outcome


def _changes(diagnostic: Diagnostic) -> list[tuple[str, list[TextEdit]]]:
    assert diagnostic.fix is not None
    return [
        (diagnostic.path, list(diagnostic.fix.edits)),
        *((other.path, list(other.edits)) for other in diagnostic.fix.other_files),
    ]


def _meets(taken: Sequence[TextEdit], edits: Sequence[TextEdit]) -> bool:
    """Whether two sets of line edits change the same lines, or one inserts where the other changes (in which
    order the two would go is not known)."""

    def clash(a: TextEdit, b: TextEdit) -> bool:
        if a.line == a.end_line:  # an insertion
            return b.line <= a.line <= b.end_line
        if b.line == b.end_line:
            return a.line <= b.line <= a.end_line
        return a.line < b.end_line and b.line < a.end_line

    return any(clash(a, b) for a in taken for b in edits)


def _read(cwd: Path, shown: str) -> _File | None:
    path = cwd / shown
    try:
        before = path.read_bytes()
    except OSError:
        return None
    encoding = "utf-8-sig"
    if path.suffix == ".py":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(before).readline)
        except SyntaxError:
            return None
    try:
        text = before.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return _File(path, shown, before, encoding, text)
