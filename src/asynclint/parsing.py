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


def too_deep(source: bytes) -> str | None:
    """Why CPython's parser refuses the file for its depth, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (RecursionError, MemoryError):
        return "it is nested too deeply for Python's parser"
    except SyntaxError as error:
        if any(words in (error.msg or "") for words in _TOO_DEEP):
            return f"{error.msg} (Python's parser stops there)"
    except ValueError:
        pass
    return None
