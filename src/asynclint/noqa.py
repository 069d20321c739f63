"""`# noqa` and `# noqa: AIO101,AIO102` comments, read the way flake8 reads them, and the file-wide
`# asynclint: noqa` (optionally with codes)."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

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


def noqa_lines(source: str) -> Mapping[int, frozenset[str]]:
    """Line -> codes suppressed there (`ALL` for a bare `# noqa`), from the file's comment tokens."""
    found: dict[int, frozenset[str]] = {}
    if "noqa" not in source.lower():
        return found
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        whole = FILE_NOQA.search(token.string)
        if whole is not None:
            codes = whole.group("codes")
            if codes is None:
                found[WHOLE_FILE] = ALL
            elif found.get(WHOLE_FILE) is not ALL:
                extra = frozenset(code.upper() for code in re.split(r"[,\s]+", codes) if code)
                found[WHOLE_FILE] = found.get(WHOLE_FILE, frozenset()) | extra
            continue
        match = NOQA.search(token.string)
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None:
            found[token.start[0]] = ALL
        else:
            found[token.start[0]] = frozenset(code.upper() for code in re.split(r"[,\s]+", codes) if code)
    return found


def is_suppressed(code: str, line: int, suppressions: Mapping[int, frozenset[str]]) -> bool:
    for codes in (suppressions.get(line), suppressions.get(WHOLE_FILE)):
        if codes is not None and (codes is ALL or "*" in codes or any(code.startswith(p) for p in codes)):
            return True
    return False
