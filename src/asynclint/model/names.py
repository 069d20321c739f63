"""Small, exact helpers for reading names and literals out of LibCST expressions."""

from __future__ import annotations

import libcst as cst

from asynclint.model.facts import UNKNOWN, Literal


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`pytest.mark.asyncio` for a Name/Attribute chain; None for anything else (calls, subscripts...)."""
    parts: list[str] = []
    node: cst.BaseExpression = expr
    # Exact type tests (both classes are final): isinstance against LibCST's abstract bases is slow when false.
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def import_module_name(node: cst.ImportFrom) -> str:
    """The module of a `from ... import`, relative dots included (`..pkg.mod`)."""
    module = dotted_name(node.module) if node.module is not None else ""
    return "." * len(node.relative) + (module or "")


def literal_value(expr: cst.BaseExpression) -> Literal:
    """The value of a plain literal (string, number, bool, None, tuple/list of those), else UNKNOWN."""
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except Exception:  # malformed escapes: not a value we can reason about
            return UNKNOWN
        return value if isinstance(value, str) else UNKNOWN
    if isinstance(expr, cst.ConcatenatedString):
        left = literal_value(expr.left)
        right = literal_value(expr.right)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN
    if isinstance(expr, cst.Integer):
        try:
            return int(expr.value.replace("_", ""), 0)
        except ValueError:
            return UNKNOWN
    if isinstance(expr, cst.Name):
        return {"True": True, "False": False, "None": None}.get(expr.value, UNKNOWN)
    if isinstance(expr, (cst.List, cst.Tuple)):
        items: list[Literal] = []
        for element in expr.elements:
            if isinstance(element, cst.StarredElement):
                return UNKNOWN
            items.append(literal_value(element.value))
        return tuple(items)
    return UNKNOWN


def string_items(expr: cst.BaseExpression) -> tuple[str, ...] | None:
    """`"a"` -> ("a",); `["a", "b"]` -> ("a", "b"); None when any part is not a string literal."""
    value = literal_value(expr)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
        return tuple(item for item in value if isinstance(item, str))
    return None
