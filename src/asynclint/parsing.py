"""Parsing with LibCST, without re-validating what the parser just built.

Every LibCST node checks its own fields when it is constructed (`CSTNode.__post_init__` calls `_validate`).
For nodes the parser makes from valid source the checks cannot fail, yet they cost about a fifth of the parse
(LibCST's own comment on `__post_init__` suggests moving them out of parsing). While `parse_module` runs, that
hook is a no-op; nodes built anywhere else (by fixes) are validated as always. If LibCST's hook ever does more
than validate, it is left alone.
"""

from __future__ import annotations

import ast
import re
import threading
import warnings
from collections import OrderedDict
from itertools import accumulate

import libcst as cst
from libcst._nodes.base import CSTNode

from asynclint.walk import children

_VALIDATING_HOOK = CSTNode.__post_init__
#: Only a hook that does nothing but `self._validate()` is skipped.
_SKIPPABLE = _VALIDATING_HOOK.__code__.co_names == ("_validate",)


def _no_validation(self: CSTNode) -> None:
    return None


#: LibCST's native parser needs 500 to 1,300 bytes of memory per byte of source while it runs (the Python tree
#: it leaves is a tenth of that): 160 MB for CPython's 120 KB `test_ast.py`, 500 MB for a 1 MB generated
#: module. Modules above this size are parsed in pieces of about `PIECE_BYTES`, then joined into one module.
PIECEWISE_ABOVE = 48 * 1024
PIECE_BYTES = 16 * 1024
#: Cuts that turn out not to be statement boundaries (a line of code inside a string) before giving up.
_MISSED_CUTS = 8


class PieceMemo:
    """Parsed pieces by their bytes (and the encoding they were read with), the least recently used dropped
    beyond `limit`: a process that parses the same files again after small edits (the language server) parses
    only the top-level statements an edit touched."""

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._pieces: OrderedDict[tuple[str | None, bytes], cst.Module] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pieces)

    def get(self, key: tuple[str | None, bytes]) -> cst.Module | None:
        with self._lock:
            found = self._pieces.get(key)
            if found is not None:
                self._pieces.move_to_end(key)
            return found

    def put(self, key: tuple[str | None, bytes], piece: cst.Module) -> None:
        with self._lock:
            self._pieces[key] = piece
            while len(self._pieces) > self._limit:
                self._pieces.popitem(last=False)


#: Set by `remember_pieces`: then every module is parsed statement by statement, through this memo.
_memo: PieceMemo | None = None


def remember_pieces(memo: PieceMemo | None) -> None:
    """Parse every module of this process in top-level statements kept in `memo` (None: as a whole again)."""
    global _memo
    _memo = memo


def parse_module(source: bytes | str) -> cst.Module:
    """`libcst.parse_module`, minus the validation of the nodes it builds; a big module in pieces."""
    memo = _memo
    if memo is not None and isinstance(source, bytes):
        module = parse_in_pieces(source, 0, memo)
        if module is not None:
            return module
    elif isinstance(source, bytes) and len(source) > PIECEWISE_ABOVE:
        module = parse_in_pieces(source, PIECE_BYTES)
        if module is not None:
            return module
    return _parse(source)


def _parse(source: bytes | str, config: cst.PartialParserConfig | None = None) -> cst.Module:
    config = config or cst.PartialParserConfig()
    if not _SKIPPABLE:
        return cst.parse_module(source, config)
    CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source, config)
    finally:
        CSTNode.__post_init__ = _VALIDATING_HOOK  # type: ignore[method-assign]


def parse_in_pieces(source: bytes, piece_bytes: int, memo: PieceMemo | None = None) -> cst.Module | None:
    """The module `libcst.parse_module(source)` gives, built from pieces parsed one at a time; None when the
    source does not lend itself to that (then parse it whole).

    A piece ends before a line of code at the margin (not `else:`, `except:`..., not after a decorator) that
    follows code, perhaps through empty lines and comments at the margin. Such a line starts a top-level
    statement unless it sits inside a string or brackets opened above it, and then the piece above it does not
    parse (it ends inside them): the cut is dropped and the piece runs on to the next one. So every piece
    that parses ends at a statement boundary of the whole file, and holds the very statements a whole parse
    holds there. A piece's header and footer (the empty lines and comments around its statements) are the
    leading lines of the next statement in the whole module, so they move there: the module renders as the
    source itself. The encoding and the default indentation are the whole file's, so every block records its
    indentation as a whole parse records it. A piece found in `memo` is not parsed again (pieces are never
    changed: the module is built of new nodes wherever it differs from them).
    """
    if b"\r" in source or source.startswith(b"\xef\xbb\xbf"):
        return None  # line ends and a BOM as LibCST records them for a whole file only
    cuts = _cuts(source, piece_bytes)
    if len(cuts) < 3:
        return None
    modules: list[cst.Module] = []
    config = cst.PartialParserConfig()
    start, end, missed = 0, 1, 0
    while start < len(cuts) - 1:
        text = source[cuts[start] : cuts[end]]
        key = (modules[0].encoding if modules else None, text)
        known = memo.get(key) if memo is not None else None
        try:
            modules.append(known if known is not None else _parse(text, config))
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            missed += 1
            if end == len(cuts) - 1 or missed > _MISSED_CUTS:
                return None  # a syntax error, or code in a long string: the whole parse tells
            end += 1
            continue
        if memo is not None and known is None:
            memo.put(key, modules[-1])
        if len(modules) == 1:  # a coding cookie sits in the first piece; the others are read as it says
            config = cst.PartialParserConfig(encoding=modules[0].encoding)
        start, end = end, end + 1
    if len(modules) < 2 or not all(piece.body for piece in modules):
        return None
    # A piece takes its first indented block's indentation as its default (and records only blocks that
    # differ from it): the whole file's default is that of the first piece holding an indented block.
    indent = next((piece.default_indent for piece in modules if _indents(piece)), modules[0].default_indent)
    modules = [
        piece if piece.default_indent == indent else piece.visit(_Reindented(piece.default_indent, indent))
        for piece in modules
    ]
    body: list[cst.SimpleStatementLine | cst.BaseCompoundStatement] = []
    carried: list[cst.EmptyLine] = []
    for number, piece in enumerate(modules):
        statements = list(piece.body)
        moved = [*carried, *(piece.header if number else ())]
        if moved:
            statements[0] = statements[0].with_changes(leading_lines=[*moved, *statements[0].leading_lines])
        body.extend(statements)
        carried = list(piece.footer)
    first, last = modules[0], modules[-1]
    return cst.Module(
        body=body,
        header=first.header,
        footer=carried,
        encoding=first.encoding,
        default_indent=indent,
        default_newline=first.default_newline,
        has_trailing_newline=last.has_trailing_newline,
    )


#: Clauses that continue the statement above them.
_CONTINUING = re.compile(rb"(?:else|elif|except|finally)\b")


def _cuts(source: bytes, piece_bytes: int) -> list[int]:
    """Offsets where pieces may start, about `piece_bytes` apart: 0, candidate lines, the end."""
    cuts = [0]
    code_above = False  # the last line that is neither empty nor a comment at the margin was code
    decorated = False  # ... and it was a decorator
    offset = 0
    for line in source.split(b"\n"):
        first = line[:1]
        if not line or first == b"#":
            pass  # empty lines and comments at the margin may sit between two pieces
        elif first in b" \t\f":
            # An indented line: code ends a gap (a block above the cut), a comment or spaces do not (LibCST
            # can lose indented comments at the end of a piece).
            code_above = not line.lstrip().startswith(b"#") and bool(line.strip())
            decorated = False
        else:
            continuing = _CONTINUING.match(line) is not None
            if code_above and not decorated and not continuing and offset - cuts[-1] >= piece_bytes:
                cuts.append(offset)
            code_above = True
            decorated = first == b"@"
        offset += len(line) + 1
    cuts.append(len(source))
    return cuts


def _indents(module: cst.Module) -> bool:
    """Whether the module holds an indented block (then its default indentation was read from one)."""
    return any(
        isinstance(statement, cst.BaseCompoundStatement) and _holds_block(statement) for statement in module.body
    )


def _holds_block(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.IndentedBlock, cst.Match)):
        return True
    return any(_holds_block(child) for child in children(node) if not isinstance(child, cst.BaseExpression))


class _Reindented(cst.CSTTransformer):
    """A piece's blocks as a parse with another default indentation records them (None: the default). Blocks
    and `match` statements (for the indentation of their cases) are the nodes that record one."""

    def __init__(self, detected: str, default: str) -> None:
        super().__init__()
        self.detected = detected
        self.default = default

    def _indent(self, indent: str | None) -> str | None:
        indent = indent if indent is not None else self.detected
        return None if indent == self.default else indent

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(indent=self._indent(updated_node.indent))

    def leave_Match(self, original_node: cst.Match, updated_node: cst.Match) -> cst.Match:
        return updated_node.with_changes(indent=self._indent(updated_node.indent))


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
