"""Parsing with LibCST, without re-validating what the parser just built.

Every LibCST node checks its own fields when it is constructed (`CSTNode.__post_init__` calls `_validate`).
For nodes the parser makes from valid source the checks cannot fail, yet they cost about a fifth of the parse
(LibCST's own comment on `__post_init__` suggests moving them out of parsing). While `parse_module` runs, that
hook is a no-op; nodes built anywhere else (by fixes) are validated as always. If LibCST's hook ever does more
than validate, it is left alone.
"""

from __future__ import annotations

import ast
import warnings
from itertools import accumulate

import libcst as cst
from libcst._nodes.base import CSTNode

_VALIDATING_HOOK = CSTNode.__post_init__
#: Only a hook that does nothing but `self._validate()` is skipped.
_SKIPPABLE = _VALIDATING_HOOK.__code__.co_names == ("_validate",)


def _no_validation(self: CSTNode) -> None:
    return None


def parse_module(source: bytes | str) -> cst.Module:
    """`libcst.parse_module`, minus the validation of the nodes it builds."""
    if not _SKIPPABLE:
        return cst.parse_module(source)
    CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        CSTNode.__post_init__ = _VALIDATING_HOOK  # type: ignore[method-assign]


#: CPython's verdicts on files nested deeper than its parser allows. LibCST would parse them, but in time
#: that grows with the square of the depth (tens of seconds for a 5,000-link chain), and no Python runs them.
_TOO_DEEP = ("too many nested parentheses", "too complex", "nested too deeply")


#: Signs that a file may hold an expression nested deeper than CPython's parser allows. LibCST would take
#: minutes over some of those (its time grows with the square of the depth), or overflow its stack and end the
#: process. CPython's parser, asked first, refuses them in milliseconds; asking it about every file would cost
#: a tenth of the parse, so it is asked about files showing one of these signs (all cheap on the bytes):
#: brackets nested this deep (CPython stops at 200)...
_DEEP_BRACKETS = 100
#: ...a physical line this long (a chain or a run of unary operators thousands of links long)...
_LONG_LINE_BYTES = 1_000
#: ...or this many lines in a row that start or end mid-expression (`+ x`, `.y`, `f(`).
_CONTINUED_LINES = 500
_STARTS_MID_EXPRESSION = frozenset(b"-+*/%@|&^.~")
_ENDS_MID_EXPRESSION = frozenset(b"-+*/%@|&^.([{\\")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"()[]{}"))
_BRACKET_STEP = {ord("("): 1, ord("["): 1, ord("{"): 1, ord(")"): -1, ord("]"): -1, ord("}"): -1}


def may_be_too_deep(source: bytes) -> bool:
    """Whether the file could hold an expression nested deeper than Python allows. Brackets in strings and
    comments count too: they can only make a file look deeper, never shallower."""
    brackets = source.translate(None, _NOT_BRACKETS)
    if len(brackets) > _DEEP_BRACKETS and max(accumulate(map(_BRACKET_STEP.__getitem__, brackets))) > _DEEP_BRACKETS:
        return True
    lines = source.splitlines()
    if not lines:
        return False
    if max(map(len, lines)) > _LONG_LINE_BYTES:
        return True
    if len(lines) < _CONTINUED_LINES:
        return False
    run = 0
    for line in lines:
        stripped = line.strip()
        if stripped and (stripped[0] in _STARTS_MID_EXPRESSION or stripped[-1] in _ENDS_MID_EXPRESSION):
            run += 1
            if run >= _CONTINUED_LINES:
                return True
        else:
            run = 0
    return False


def python_parse_error(source: bytes) -> Exception | None:
    """What CPython's own parser raises on the file (SyntaxError, ValueError for NUL bytes before 3.11.4,
    RecursionError or MemoryError for depth), or None when it parses."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the code, not asynclint's business
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return error
    return None


def too_deep(source: bytes) -> str | None:
    """Why CPython's parser refuses the file for its depth, or None."""
    if not may_be_too_deep(source):
        return None
    error = python_parse_error(source)
    if isinstance(error, (RecursionError, MemoryError)):
        return "it is nested too deeply for Python's parser"
    if isinstance(error, SyntaxError) and any(words in (error.msg or "") for words in _TOO_DEEP):
        return f"{error.msg} (Python's parser stops there)"
    return None
