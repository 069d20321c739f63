"""`# noqa` and `# noqa: AIO101,AIO102` comments, read the way flake8 reads them."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

#: flake8's forms: a bare noqa comment, or one followed by `: X1,X2 X3` (case-insensitive). Codes match by prefix.
NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)

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
    codes = suppressions.get(line)
    if codes is None:
        return False
    return codes is ALL or "*" in codes or any(code.startswith(prefix) for prefix in codes)
