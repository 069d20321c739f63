"""Building blocks for fixes: small, formatting-preserving LibCST edits that rules attach to findings."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import Applicability, ImportRequest, NodeFix
from asynclint.model.facts import ImportTable
from asynclint.walk import descendants

DecoratedNode = cst.FunctionDef | cst.ClassDef


def pytest_mark_prefix(imports: ImportTable) -> tuple[str, ImportRequest | None] | None:
    """How this module spells `pytest.mark`, and the import to add when it has none.

    Uses an existing `import pytest [as pt]` or `from pytest import mark`; adds `import pytest` only when the
    name `pytest` is free. None when no spelling is safe.
    """
    modules = imports.names_bound_to("pytest")
    if modules:
        return ("pytest.mark" if "pytest" in modules else f"{modules[0]}.mark"), None
    marks = imports.names_bound_to("pytest.mark")
    if marks:
        return ("mark" if "mark" in marks else marks[0]), None
    if "pytest" in imports.bindings or imports.star_imports:
        return None
    return "pytest.mark", ImportRequest("pytest")


def add_decorator(node: DecoratedNode, expression: str, config: cst.PartialParserConfig | None = None) -> DecoratedNode:
    """`node` with `@expression` as its first (outermost) decorator."""
    parsed = cst.parse_expression(expression, config=config) if config else cst.parse_expression(expression)
    return node.with_changes(decorators=[cst.Decorator(decorator=parsed), *node.decorators])


def remove_decorator(node: DecoratedNode, decorator: cst.Decorator) -> DecoratedNode:
    """`node` without `decorator`, keeping the comment lines written above it."""
    decorators = list(node.decorators)
    index = decorators.index(decorator)
    kept_lines = list(decorator.leading_lines)
    del decorators[index]
    if kept_lines:
        if index < len(decorators):
            following = decorators[index]
            decorators[index] = following.with_changes(leading_lines=[*kept_lines, *following.leading_lines])
        else:
            return node.with_changes(
                decorators=decorators,
                lines_after_decorators=[*kept_lines, *node.lines_after_decorators],
            )
    return node.with_changes(decorators=decorators)


def rename_mark(expression: cst.BaseExpression, old: str, new: str) -> cst.BaseExpression | None:
    """`pytest.mark.<old>[(...)]` with the mark name replaced; None when the shape is not a plain mark."""
    target = expression.func if isinstance(expression, cst.Call) else expression
    if not isinstance(target, cst.Attribute) or target.attr.value != old:
        return None
    renamed = target.with_changes(attr=cst.Name(new))
    if isinstance(expression, cst.Call):
        return expression.with_changes(func=renamed)
    return renamed


def has_comment(node: cst.CSTNode) -> bool:
    """Whether removing or rewriting this node could drop a comment (fixes then become unsafe)."""
    return any(isinstance(child, cst.Comment) for child in descendants(node))


def trailing_comment(decorator: cst.Decorator) -> str | None:
    comment = decorator.trailing_whitespace.comment
    return comment.value if comment is not None else None


def remove_mark_fix(owner: DecoratedNode, decorator: cst.Decorator, *, safe: bool = True) -> NodeFix:
    """A fix that removes a mark decorator; unsafe when it would drop a comment written on the mark's line."""
    keeps_comments = trailing_comment(decorator) is None
    return NodeFix(
        title="Remove the asyncio mark",
        applicability=Applicability.SAFE if safe and keeps_comments else Applicability.UNSAFE,
        replacements={owner: remove_decorator(owner, decorator)},
    )


def awaited(call: cst.BaseExpression, parent: cst.CSTNode | None) -> cst.Await:
    """`await call`, parenthesised where the parent would otherwise bind tighter (`(await f())["k"]`)."""
    tight = (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is call) or (
        isinstance(parent, cst.Call) and parent.func is call
    )
    if tight:
        return cst.Await(expression=call, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.Await(expression=call)


def spelling_of(imports: ImportTable, module: str, name: str) -> tuple[str, ImportRequest | None] | None:
    """How this module spells `module.name`: through its `import module [as m]`, its `from module import name`,
    or with a new `import module` when that name is free. None when no spelling is safe."""
    modules = imports.names_bound_to(module)
    if modules:
        return f"{module if module in modules else modules[0]}.{name}", None
    direct = imports.names_bound_to(f"{module}.{name}")
    if direct:
        return direct[0], None
    if module in imports.bindings or imports.star_imports:
        return None
    return f"{module}.{name}", ImportRequest(module)


def pytest_asyncio_fixture(decorator: cst.Decorator, imports: ImportTable) -> NodeFix | None:
    """`@pytest.fixture(...)` rewritten as `@pytest_asyncio.fixture(...)`, every keyword argument kept.

    Spelled with the module's existing `import pytest_asyncio [as x]` or `from pytest_asyncio import fixture`;
    otherwise `import pytest_asyncio` is added. None when the decorator passes positional arguments (which
    `pytest_asyncio.fixture` would take for the function) or no spelling is free.
    """
    expression = decorator.decorator
    if isinstance(expression, cst.Call) and any(arg.keyword is None for arg in expression.args):
        return None
    spelled = spelling_of(imports, "pytest_asyncio", "fixture")
    if spelled is None:
        return None
    spelling, request = spelled
    target = cst.parse_expression(spelling)
    if isinstance(expression, cst.Call):
        new_expression: cst.BaseExpression = expression.with_changes(func=target)
    else:
        new_expression = target
    return NodeFix(
        title="Use `@pytest_asyncio.fixture`",
        applicability=Applicability.SAFE,
        replacements={decorator: decorator.with_changes(decorator=new_expression)},
        imports=(request,) if request else (),
    )
