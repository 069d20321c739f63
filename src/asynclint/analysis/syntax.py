"""Small reads of a module's tree and text that the await analysis needs: bound names, loads, statement
levels, module flags and the names a module patches."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import libcst as cst

from asynclint.model.names import dotted_name, literal_value
from asynclint.model.values import MOCK_MAKERS
from asynclint.walk import children, code_children, descendants

#: Nodes that open a scope of their own: a function's body does not include what is inside them.
PRUNED = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def target_names(target: cst.BaseExpression) -> Iterator[cst.Name]:
    """The names an assignment target binds (`a`, `a, (b, *c)`)."""
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)


PRUNED_TYPES = frozenset(PRUNED)
#: Nodes that bind names in a function's scope (see `FileResolver._note_binding`).
BINDING_TYPES = frozenset(
    {
        cst.Assign,
        cst.AnnAssign,
        cst.AugAssign,
        cst.For,
        cst.NamedExpr,
        cst.WithItem,
        cst.ExceptHandler,
        cst.Global,
        cst.Nonlocal,
        cst.Del,
        cst.Import,
        cst.ImportFrom,
        cst.MatchAs,
    }
)

_NOT_LOADS = (
    cst.AssignTarget,
    cst.Param,
    cst.FunctionDef,
    cst.ClassDef,
    cst.ImportAlias,
    cst.AsName,
    cst.Global,
    cst.Nonlocal,
    cst.Del,
    cst.AugAssign,
    cst.NamedExpr,
    cst.For,
    cst.ExceptHandler,
)


def is_load(parents: Mapping[cst.CSTNode, cst.CSTNode], node: cst.Name) -> bool:
    """Whether this Name reads the variable (not an attribute name, a keyword, or an assignment target)."""
    parent = parents.get(node)
    if parent is None:
        return False
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return False
    if isinstance(parent, (cst.AnnAssign,)) and parent.target is node:
        return False
    if isinstance(parent, _NOT_LOADS):
        return isinstance(parent, (cst.AugAssign, cst.NamedExpr, cst.For)) and parent.target is not node
    if isinstance(parent, cst.WithItem) and parent.asname is not None:
        return parent.item is node
    return True


_PATCH_CALL = re.compile(r"\b(?:patch(?:\.object|\.multiple|\.dict)?|setattr|setitem)\s*\(")
_STRING = re.compile(r"""(?:[rbfuRBFU]{0,2})(["'])(.*?)(?<!\\)\1""")
_KEYWORD = re.compile(r"\b(\w+)\s*=(?!=)")
_ATTRIBUTE_ASSIGNMENT = re.compile(r"\.(\w+)\s*(?::[^=\n]*)?=(?!=)")
_HEAD = re.compile(r"(?<![\w.])(\w+)$")
_MOCK_MADE = re.compile(rf"(?:[\w.]+\.)?(?:{'|'.join(sorted(MOCK_MAKERS))})\(")


class AssignedAttributes(NamedTuple):
    """Attributes the module's text assigns (`api.fetch = fake`), with how many times; and the names whose
    attributes are not counted, as they are only ever bound to a new mock (`dev.request = AsyncMock()`
    configures that mock and replaces nothing)."""

    counts: dict[str, int]
    mock_names: frozenset[str]


def assigned_attributes(text: str) -> AssignedAttributes:
    """With the names of `patch_call_names`, what a module may replace (`AssignedAttributes`). Read from the
    text, so decorators, fixtures and helpers all count; it errs towards more names, which only makes asynclint
    say less."""
    assigned: list[tuple[str | None, str]] = []
    for match in _ATTRIBUTE_ASSIGNMENT.finditer(text):
        written = _HEAD.search(text, max(0, match.start() - 80), match.start())
        assigned.append((written.group(1) if written is not None else None, match.group(1)))
    heads = {head for head, _ in assigned if head is not None}
    mock_names = frozenset(head for head in heads if _only_bound_to_mocks(text, head))
    counts: dict[str, int] = {}
    for head, attribute in assigned:
        if head not in mock_names:
            counts[attribute] = counts.get(attribute, 0) + 1
    return AssignedAttributes(counts, mock_names)


def _only_bound_to_mocks(text: str, name: str) -> bool:
    """Every `name = ...` line of the text binds a new mock (`name = MagicMock()`), and there is one."""
    bindings = re.findall(rf"^[ \t]*{re.escape(name)}[ \t]*=(?!=)[ \t]*(.*)$", text, re.MULTILINE)
    return bool(bindings) and all(_MOCK_MADE.match(binding) is not None for binding in bindings)


def patch_call_names(text: str) -> set[str]:
    """Strings and keywords in `patch(...)`/`setattr(...)` calls: the names they replace."""
    found: set[str] = set()
    for match in _PATCH_CALL.finditer(text):
        window = text[match.end() : match.end() + 400]
        for string in _STRING.finditer(window):
            tail = string.group(2).rpartition(".")[2].strip("{}")
            if tail:
                found.add(tail)
        if "multiple" in match.group(0):
            found.update(keyword.group(1) for keyword in _KEYWORD.finditer(window))
    return found


def module_constants(module: cst.Module) -> dict[str, bool]:
    """Module-level names assigned `True` or `False` once and never otherwise bound (`_IS_SYNC = True`)."""
    found: dict[str, list[bool | None]] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            for name in _bound_in_compound(statement):
                found.setdefault(name, []).append(None)
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                value = literal_value(small.value)
                for target in small.targets:
                    for target_name in target_names(target.target):
                        plain = target_name is target.target and len(small.targets) == 1
                        flag = value if plain and isinstance(value, bool) else None
                        found.setdefault(target_name.value, []).append(flag)
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                for target_name in target_names(small.target):
                    found.setdefault(target_name.value, []).append(None)
            elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    written = dotted_name(bound) if isinstance(bound, cst.BaseExpression) else None
                    if written:
                        found.setdefault(written.partition(".")[0], []).append(None)
    return {key: values[0] for key, values in found.items() if len(values) == 1 and isinstance(values[0], bool)}


def _bound_in_compound(statement: cst.CSTNode) -> Iterator[str]:
    """Names a compound statement binds anywhere inside (conservatively: every assigned Name)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        yield statement.name.value
        return
    for node in descendants(statement, expand=code_children):
        if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.WithItem)):
            target = (
                node.asname.name if isinstance(node, cst.WithItem) and node.asname else getattr(node, "target", None)
            )
            if isinstance(target, cst.BaseExpression):
                yield from (name.value for name in target_names(target))


def statements(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A statement, or the statements inside an `if`/`try`/`with` block at the same level."""
    if isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While)):
        for child in children(statement):
            if isinstance(
                child, (cst.BaseSuite, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.If)
            ):
                for inner in _suite_statements(child):
                    yield from statements(inner)
    else:
        yield statement


def _suite_statements(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    if isinstance(node, cst.IndentedBlock):
        yield from node.body
    elif isinstance(node, cst.If):
        yield node
    elif isinstance(node, cst.SimpleStatementSuite):
        return
    else:
        for child in children(node):
            yield from _suite_statements(child)


def body_statements(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else ()


def all_names(node: cst.CSTNode) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current.value
        stack.extend(children(current))


def is_docstring(statement: cst.CSTNode) -> bool:
    """A statement that is only a string: the docstring, when it opens a module, class or function."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
