"""Read-only traversal of LibCST trees, without rebuilding nodes.

LibCST's own `visit` reconstructs every node it passes (its visitors and transformers share one code path),
which makes a read-only pass cost about as much as parsing. Reading the dataclass fields directly is several
times faster. Rules keep LibCST's visitor API (`visit_FunctionDef`, `leave_FunctionDef`); `run_visitors`
dispatches to them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Sequence

import libcst as cst

_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
#: type -> is it a CSTNode subclass. `isinstance` against LibCST's abstract base is slow; types are few.
_IS_NODE: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return known


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's direct children, in source order."""
    kind = type(node)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return _nodes_in(node, names)


def _nodes_in(node: cst.CSTNode, names: tuple[str, ...]) -> list[cst.CSTNode]:
    """The nodes held by these fields of `node` (single nodes and sequences of them), in order."""
    found: list[cst.CSTNode] = []
    known = _IS_NODE  # the hottest loop of a run: plain dict lookups, no calls
    for name in names:
        value = getattr(node, name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            for item in value:
                is_node = known.get(type(item))
                if is_node is None:
                    is_node = _is_node(type(item))
                if is_node:
                    found.append(item)
        else:
            is_node = known.get(value_type)
            if is_node is None:
                is_node = _is_node(value_type)
            if is_node:
                found.append(value)
    return found


#: Fields that only carry layout or punctuation (besides every `whitespace*` field).
_TRIVIA_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "leading_lines",
        "trailing_whitespace",
        "lines_after_decorators",
        "header",
        "footer",
        "comma",
        "semicolon",
        "colon",
        "equal",
        "dot",
        "operator",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "asynchronous",
        "newline",
        "at",
        "arrow",
    }
)
_CODE_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def code_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children that hold code: no whitespace, comments or punctuation (a much smaller walk)."""
    kind = type(node)
    names = _CODE_FIELDS.get(kind)
    if names is None:
        names = _CODE_FIELDS[kind] = tuple(
            field.name
            for field in dataclasses.fields(kind)
            if not field.name.startswith("whitespace") and field.name not in _TRIVIA_FIELDS
        )
    return _nodes_in(node, names)


def descendants(
    node: cst.CSTNode,
    *,
    prune: Callable[[cst.CSTNode], bool] | None = None,
    expand: Callable[[cst.CSTNode], list[cst.CSTNode]] = children,
) -> Iterator[cst.CSTNode]:
    """`node` and everything below it, depth first; `prune(n)` true skips what is below `n`.

    `expand=code_children` leaves out whitespace, comments and punctuation: a walk several times shorter.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if prune is not None and current is not node and prune(current):
            continue
        stack.extend(reversed(expand(current)))


#: Nodes that hold statements without being statements themselves.
_STATEMENT_CONTAINERS = (
    cst.BaseSuite,
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.MatchCase,
)


def _statement_level(name: str) -> bool:
    kind = getattr(cst, name, None)
    return isinstance(kind, type) and issubclass(kind, (cst.BaseStatement, cst.Module))


_HOLDS_STATEMENTS: dict[type, bool] = {}


def _statement_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Children that are statements or hold statements (function and class bodies, branches, handlers)."""
    found = []
    for child in children(node):
        kind = type(child)
        holds = _HOLDS_STATEMENTS.get(kind)
        if holds is None:  # isinstance against LibCST's abstract bases is slow: once per type
            holds = _HOLDS_STATEMENTS[kind] = issubclass(kind, (cst.BaseStatement, *_STATEMENT_CONTAINERS))
        if holds:
            found.append(child)
    return found


def run_visitors(root: cst.CSTNode, visitors: Sequence[cst.BatchableCSTVisitor]) -> None:
    """Call every visitor's `visit_<Node>` before and `leave_<Node>` after each node's children.

    When every handler is for a statement (`FunctionDef`, `ClassDef`...), expressions are not walked at all:
    statements never sit inside expressions.
    """
    visit: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
    leave: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
    for visitor in visitors:
        for name in _handler_names(type(visitor)):
            table = visit if name.startswith("visit_") else leave
            table.setdefault(name[6:], []).append(getattr(visitor, name))
    statements_only = all(_statement_level(name) for name in (*visit, *leave))
    expand = _statement_children if statements_only else children
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        kind = type(node).__name__
        if leaving:
            for method in leave.get(kind, ()):
                method(node)
            continue
        for method in visit.get(kind, ()):
            method(node)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(expand(node)))


@functools.cache
def _handler_names(kind: type) -> tuple[str, ...]:
    """`visit_<Node>` / `leave_<Node>` methods a visitor class defines (not LibCST's attribute visitors)."""
    # LibCST's visitor base classes define a no-op for every node type: only what the rule's own classes
    # define is a handler. Reading their namespaces, not `dir()` over LibCST's ~1,000 methods, keeps this cheap.
    names: dict[str, None] = {}
    for klass in kind.__mro__:
        if klass.__module__.split(".", 1)[0] == "libcst" or klass is object:
            continue
        for name, value in vars(klass).items():
            if name.startswith(("visit_", "leave_")) and name.count("_") == 1 and callable(value):
                names[name] = None
    return tuple(names)
