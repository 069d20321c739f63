"""`asynclint check --add-noqa`: a `# noqa: CODE` on the reported line of every current finding.

For adopting asynclint on a large suite: the findings of today are silenced where they are, new ones are
reported, and AIO002 (`unused-noqa`) points at each comment once its finding is fixed. A code joins the
line's `# noqa: ...` when it has one (other linters' codes kept), else a `  # noqa: CODE` ends the line.
Files are written as fixes are: only inside the paths given, atomically, never over a file that changed since
it was read. What no comment can silence (AIO000, AIO001, findings in pytest config files) and lines a comment
cannot end (inside a multi-line string, before a backslash continuation) are counted and left to the report.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint import interrupts
from asynclint.diagnostics import Diagnostic
from asynclint.files import ChangedOnDisk, WriteScope, read_source
from asynclint.model.pytest_config import CONFIG_NAMES
from asynclint.noqa import CommentEdit, apply_edits, comment_tokens, directives, with_codes
from asynclint.parsing import python_parse_error
from asynclint.run.write import write_file

SYNTAX_ERROR = "AIO001"
INTERNAL_ERROR = "AIO000"
_BARE_CR = re.compile(r"\r(?!\n)")


@dataclass
class NoqaOutcome:
    """What `--add-noqa` did: directives added, and findings left as they were, counted by reason."""

    #: Lines given a new noqa directive, or new codes in the one they had.
    added: int = 0
    #: Findings in Python files that could not get a comment, by reason.
    not_added: Counter[str] = field(default_factory=Counter)
    #: Findings no noqa comment can silence, by reason.
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> list[str]:
        """`Added N noqa directives.`, then a line for what was not silenced and why."""
        lines = [f"Added {self.added} noqa directive{'s' if self.added != 1 else ''}."]
        if self.not_added:
            total = sum(self.not_added.values())
            lines.append(f"Not added for {_findings(total)}: {_reasons(self.not_added)}.")
        if self.skipped:
            total = sum(self.skipped.values())
            lines.append(f"Skipped {_findings(total)} a `# noqa` comment cannot silence: {_reasons(self.skipped)}.")
        return lines


def _findings(count: int) -> str:
    return f"{count} finding{'s' if count != 1 else ''}"


def _reasons(counts: Counter[str]) -> str:
    return ", ".join(
        f"{count} {reason}" for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def add_noqa(diagnostics: Iterable[Diagnostic], paths: Sequence[Path], cwd: Path) -> NoqaOutcome:
    """Add a `# noqa` for each finding to the files inside `paths` (findings' paths are relative to `cwd`)."""
    outcome = NoqaOutcome()
    by_file: dict[str, dict[int, set[str]]] = {}
    for diagnostic in diagnostics:
        if diagnostic.code == SYNTAX_ERROR:
            outcome.skipped["AIO001 (a file that cannot be parsed or read)"] += 1
        elif diagnostic.code == INTERNAL_ERROR:
            outcome.skipped["AIO000 (a file asynclint failed on: report it as a bug)"] += 1
        elif Path(diagnostic.path).name in CONFIG_NAMES:
            outcome.skipped["in a pytest config file (use --ignore or per-file-ignores)"] += 1
        else:
            by_file.setdefault(diagnostic.path, {}).setdefault(diagnostic.line, set()).add(diagnostic.code)
    scope = WriteScope(paths)
    with interrupts.deferred():
        for shown, lines in sorted(by_file.items()):
            interrupts.check()
            path = cwd / shown
            count = sum(len(codes) for codes in lines.values())
            if not scope.contains(path):
                outcome.not_added["in a file outside the paths given"] += count
                continue
            _annotate(path, lines, outcome)
    return outcome


def _annotate(path: Path, lines: Mapping[int, set[str]], outcome: NoqaOutcome) -> None:
    """Add the codes to one file's lines, and count what could not be added."""
    count = sum(len(codes) for codes in lines.values())
    try:
        source = read_source(path)
    except OSError as error:
        outcome.not_added[f"in a file that cannot be read ({error.strerror or error})"] += count
        return
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(source).readline)[0]
        text = source.decode(encoding)
        decodes = text.encode(encoding) == source
    except (SyntaxError, UnicodeError, LookupError):
        decodes = False
    if not decodes:
        outcome.not_added["in a file that cannot be decoded"] += count
        return
    edits, refused = noqa_edits(text, lines)
    outcome.not_added.update(refused)
    if not edits:
        return
    new_source = apply_edits(text, edits).encode(encoding)
    if python_parse_error(source) is None and python_parse_error(new_source) is not None:
        outcome.not_added["in a file the comments would break"] += count
        return
    interrupts.check()
    try:
        write_file(path, source, new_source)
    except ChangedOnDisk:
        outcome.not_added["in a file that changed while asynclint read it"] += count
    except OSError as error:
        outcome.not_added[f"in a file that cannot be written ({error.strerror or error})"] += count
    else:
        outcome.added += len(edits)


def noqa_edits(text: str, lines: Mapping[int, set[str]]) -> tuple[list[CommentEdit], Counter[str]]:
    """The comment edits giving each line its codes (codes already in the line's directive are not added), and
    the findings that cannot get one, counted by reason."""
    refused: Counter[str] = Counter()
    tokens = comment_tokens(text)
    if tokens is None or _BARE_CR.search(text):
        # Lines are counted the tokenizer's way; a bare carriage return would put a comment on another line.
        reason = "Python's tokenizer cannot read" if tokens is None else "has bare carriage returns"
        refused[f"in a file {reason}"] += sum(len(codes) for codes in lines.values())
        return [], refused
    ends = {token.start[0] for token in tokens if token.type in (tokenize.NEWLINE, tokenize.NL)}
    inside_string = {
        line
        for token in tokens
        if token.type not in (tokenize.NEWLINE, tokenize.NL) and token.end[0] > token.start[0]
        for line in range(token.start[0], token.end[0])
    }
    found = {directive.line: directive for directive in directives(text, tokens)}
    source_lines = io.StringIO(text).readlines()
    edits: list[CommentEdit] = []
    for line, codes in sorted(lines.items()):
        directive = found.get(line)
        if line in inside_string:
            refused["on a line that ends inside a multi-line string"] += len(codes)
        elif line not in ends or line > len(source_lines):
            refused["on a line continued with a backslash"] += len(codes)
        elif directive is not None and directive.file_wide:
            refused["on the line of a file-wide `# asynclint: noqa`"] += len(codes)
        elif directive is None or directive.codes:
            present = {code.upper for code in directive.codes} if directive is not None else set()
            added = sorted(code for code in codes if code not in present)
            if added:
                edits.append(with_codes(line, source_lines[line - 1], directive, added))
    return edits, refused
