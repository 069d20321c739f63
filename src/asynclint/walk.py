"""Read-only traversal of LibCST trees, without rebuilding nodes.

LibCST's own `visit` reconstructs every node it passes (its visitors and transformers share one code path),
which makes a read-only pass cost about as much as parsing. Reading the dataclass fields directly is several
times faster. Rules keep LibCST's visitor API (`visit_FunctionDef`, `leave_FunctionDef`); `run_visitors`
dispatches to them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence

import libcst as cst

_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's direct children, in source order."""
    kind = type(node)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def descendants(node: cst.CSTNode, *, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
    """`node` and everything below it, depth first; `prune(n)` true skips what is below `n`."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if prune is not None and current is not node and prune(current):
            continue
        stack.extend(reversed(list(children(current))))


def run_visitors(root: cst.CSTNode, visitors: Sequence[cst.BatchableCSTVisitor]) -> None:
    """Call every visitor's `visit_<Node>` before and `leave_<Node>` after each node's children."""
    visit: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
    leave: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            if name.startswith("visit_") and name.count("_") == 1:
                visit.setdefault(name[6:], []).append(method)
            elif name.startswith("leave_") and name.count("_") == 1:
                leave.setdefault(name[6:], []).append(method)
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
        stack.extend((child, False) for child in reversed(list(children(node))))
