"""`# noqa` and `# noqa: AIO101,AIO102` comments, read the way flake8 reads them, and the file-wide
`# asynclint: noqa` (optionally with codes); and the edits that add codes to such a comment or take them out
(for `--add-noqa` and the AIO002 fix), which keep everything else on the line as it was."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

#: flake8's forms: a bare noqa comment, or one followed by `: X1,X2 X3` (case-insensitive). Codes match by prefix.
NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)

#: `# asynclint: noqa` (the whole file) or `# asynclint: noqa: AIO101,AIO2` (those codes in the whole file).
FILE_NOQA = re.compile(
    r"#\s*asynclint:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?\s*$", re.IGNORECASE
)
#: The key of file-wide suppressions in the mapping `noqa_lines` returns.
WHOLE_FILE = 0

#: Suppresses every code on the line.
ALL = frozenset({"*"})

_CODE = re.compile(r"[A-Z]+[0-9]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Code:
    """One code of a directive as written, and its columns in the line (0-based, end exclusive)."""

    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass(frozen=True, slots=True)
class Directive:
    """One `# noqa` or `# asynclint: noqa` comment: where it is, and the codes it lists (none: every code)."""

    line: int
    #: Columns in the line (0-based, end exclusive): from the directive's `#` to the end of its last code.
    start: int
    end: int
    codes: tuple[Code, ...]
    file_wide: bool

    @property
    def suppresses(self) -> frozenset[str]:
        return ALL if not self.codes else frozenset(code.upper for code in self.codes)


@dataclass(frozen=True, slots=True)
class CommentEdit:
    """Text replacing a range of the source (lines 1-based, columns 0-based, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def comment_tokens(source: str) -> list[tokenize.TokenInfo] | None:
    """Every token of the source (None when Python's tokenizer rejects it): comments are told from strings."""
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None


def directives(source: str, tokens: Sequence[tokenize.TokenInfo] | None = None) -> list[Directive]:
    """The file's `noqa` directives, in line order (only real comments: a `# noqa` in a string is text)."""
    if "noqa" not in source.lower():
        return []
    if tokens is None:
        tokens = comment_tokens(source)
    found: list[Directive] = []
    for token in tokens or ():
        if token.type != tokenize.COMMENT:
            continue
        match = FILE_NOQA.search(token.string)
        file_wide = match is not None
        if match is None:
            match = NOQA.search(token.string)
        if match is None:
            continue
        column = token.start[1]
        codes: tuple[Code, ...] = ()
        if match.group("codes") is not None:
            offset = column + match.start("codes")
            codes = tuple(
                Code(part.group(), offset + part.start(), offset + part.end())
                for part in _CODE.finditer(match.group("codes"))
            )
        start = column + match.start()
        end = codes[-1].end if codes else start + len(match.group().rstrip())
        found.append(Directive(token.start[0], start, end, codes, file_wide))
    return found


def noqa_lines(source: str) -> Mapping[int, frozenset[str]]:
    """Line -> codes suppressed there (`ALL` for a bare `# noqa`), from the file's comment tokens."""
    found: dict[int, frozenset[str]] = {}
    for directive in directives(source):
        if not directive.file_wide:
            found[directive.line] = directive.suppresses
        elif not directive.codes:
            found[WHOLE_FILE] = ALL
        elif found.get(WHOLE_FILE) is not ALL:
            found[WHOLE_FILE] = found.get(WHOLE_FILE, frozenset()) | directive.suppresses
    return found


def is_suppressed(code: str, line: int, suppressions: Mapping[int, frozenset[str]]) -> bool:
    for codes in (suppressions.get(line), suppressions.get(WHOLE_FILE)):
        if codes is not None and (codes is ALL or "*" in codes or any(code.startswith(p) for p in codes)):
            return True
    return False


def _content(line_text: str) -> str:
    """The line without its line ending."""
    return line_text.rstrip("\r\n")


def _separator(line_text: str, directive: Directive) -> str:
    """How the directive separates its codes (`, ` unless it has two codes to go by)."""
    if len(directive.codes) >= 2:
        return line_text[directive.codes[0].end : directive.codes[1].start]
    return ", "


def without_codes(line_text: str, directive: Directive, removed: Collection[Code]) -> CommentEdit:
    """The edit taking `removed` out of a directive; `line_text` is its line, line ending included.

    The other codes stay, with the directive's own separator. When none is left, the directive goes, as ruff
    removes one: the whole line when it holds nothing else; the directive and the spaces before it when it
    ends the line (`x = 1  # noqa: AIO101` -> `x = 1`); the directive and the spaces after it when another
    comment follows (`# noqa: AIO101  # why` -> `# why`); else all but a `# ` (`# noqa: AIO101 -- flaky` ->
    `# -- flaky`).
    """
    line = directive.line
    kept = [code for code in directive.codes if code not in removed]
    if kept:
        joined = _separator(line_text, directive).join(code.text for code in kept)
        return CommentEdit(line, directive.codes[0].start, line, directive.codes[-1].end, joined)
    content = _content(line_text)
    before, after = content[: directive.start], content[directive.end :]
    leading = len(before) - len(before.rstrip())
    trailing = len(after) - len(after.lstrip())
    if not before.strip() and not after.strip():
        if len(content) < len(line_text):
            return CommentEdit(line, 0, line + 1, 0, "")
        return CommentEdit(line, 0, line, len(content), "")
    if not after.strip():
        return CommentEdit(line, directive.start - leading, line, len(content), "")
    if after.lstrip().startswith("#"):
        return CommentEdit(line, directive.start, line, directive.end + trailing, "")
    return CommentEdit(line, directive.start, line, directive.end + trailing, "# ")


def with_codes(line: int, line_text: str, directive: Directive | None, added: Sequence[str]) -> CommentEdit:
    """The edit adding `added` codes to the line's `# noqa: ...` directive (after its codes, in its style), or a
    `  # noqa: CODES` at the end of a line that has none (after any comment already there)."""
    if directive is not None and directive.codes:
        separator = _separator(line_text, directive)
        text = "".join(separator + code for code in added)
        return CommentEdit(line, directive.end, line, directive.end, text)
    if directive is not None:
        raise ValueError("a bare `# noqa` already suppresses every code")
    content = _content(line_text)
    end = len(content.rstrip())
    return CommentEdit(line, end, line, len(content), f"  # noqa: {', '.join(added)}")


def apply_edits(source: str, edits: Sequence[CommentEdit]) -> str:
    """The source with the (non-overlapping) edits made; lines are split as the tokenizer splits them."""
    lines = io.StringIO(source).readlines()
    starts = [0]
    for text in lines:
        starts.append(starts[-1] + len(text))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column if line <= len(starts) else len(source)

    result = source
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        result = result[: offset(edit.line, edit.column)] + edit.text + result[offset(edit.end_line, edit.end_column) :]
    return result
