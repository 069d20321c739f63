"""The one place fixes are applied.

Fixes are node replacements keyed by node identity. Per pass, fixes whose nodes overlap an already chosen fix
wait for the next pass; the imports they need are added once with LibCST's `AddImportsVisitor`. The result
must parse, or nothing is applied.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Collection, Mapping, Sequence

import libcst as cst
import libcst.helpers
from libcst.metadata import CodeRange

from asynclint.analysis.syntax import is_docstring
from asynclint.diagnostics import ImportRequest, NodeFix, TextEdit
from asynclint.walk import descendants


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: Mapping[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node not in self.replacements

    def on_leave(  # type: ignore[override]  # replacements may change a node's type
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel:
        replacement = self.replacements.get(original_node)
        return updated_node if replacement is None else replacement


def rewrite(node: cst.CSTNode, replacements: Mapping[cst.CSTNode, cst.CSTNode]) -> cst.CSTNode:
    """`node` with some of its descendants replaced (to build a fix that rewrites a whole function)."""
    new = node.visit(_Replace(dict(replacements)))
    assert isinstance(new, cst.CSTNode)
    return new


def _covered(fix: NodeFix) -> set[cst.CSTNode]:
    """Every node a fix rewrites: its replaced nodes and everything inside them."""
    return {node for replaced in fix.replacements for node in descendants(replaced)}


def choose_fixes(fixes: Sequence[NodeFix], written: Collection[str] = ()) -> list[NodeFix]:
    """Fixes that can be applied together: duplicates merged; a fix that touches nodes another chosen fix
    rewrites (or contains them) waits for the next pass. A fix rewriting another file that an earlier fix
    already rewrites (`written`, or a fix chosen now) is dropped: it was computed from the file's old content."""
    files = set(written)
    chosen: list[NodeFix] = []
    covered: set[cst.CSTNode] = set()
    roots: set[cst.CSTNode] = set()
    signatures: set[tuple[object, ...]] = set()
    for fix in fixes:
        signature = fix.signature()
        if signature in signatures:
            continue
        mine = _covered(fix)
        if any(node in covered for node in fix.replacements) or roots & mine:
            continue
        if any(write.path in files for write in fix.other_files):
            continue
        files.update(write.path for write in fix.other_files)
        signatures.add(signature)
        chosen.append(fix)
        covered |= mine
        roots.update(fix.replacements)
    return chosen


def apply_fixes(module: cst.Module, fixes: Sequence[NodeFix]) -> cst.Module:
    """The module with the given (non-overlapping) fixes applied and their imports added."""
    replacements: dict[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel] = {}
    for fix in fixes:
        replacements.update(fix.replacements)
    new_module = module.visit(_Replace(replacements))
    assert isinstance(new_module, cst.Module)
    imports = {request for fix in fixes for request in fix.imports}
    remaining = []
    for request in sorted(imports, key=lambda r: (r.module, r.obj or "")):
        placed = _next_to_sibling(new_module, request)
        if placed is None:
            remaining.append(request)
        else:
            new_module = placed
    if remaining:
        # Imported here: libcst.codemod pulls in libcst.matchers, the slowest import of a run by far.
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import AddImportsVisitor

        context = CodemodContext()
        for request in remaining:
            AddImportsVisitor.add_needed_import(context, request.module, request.obj)
        new_module = AddImportsVisitor(context).transform_module(new_module)
    return new_module


def spliced(module: cst.Module, text: str, fix: NodeFix, positions: Mapping[cst.CSTNode, CodeRange]) -> str | None:
    """The module's text with `fix` made, without rendering the whole module again (what `apply_fixes` does,
    which costs more than linting the file): for a fix that replaces one expression written on one line by
    another on one line (an inserted `await`), the new code goes where the old code is. None for any other
    fix, or when the old code is not found where its position says."""
    if fix.imports or fix.other_files or len(fix.replacements) != 1:
        return None
    ((old, new),) = fix.replacements.items()
    if not isinstance(old, cst.BaseExpression) or not isinstance(new, cst.BaseExpression):
        return None
    old_code = module.code_for_node(old)
    new_code = module.code_for_node(new)
    if any(end in code for code in (old_code, new_code) for end in "\r\n"):
        return None
    where = positions.get(old)
    if where is None or where.start.line != where.end.line:
        return None
    offset = 0
    for _ in range(where.start.line - 1):  # lines as LibCST counts them: ended by "\n" (or "\r\n")
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    start, end = offset + where.start.column, offset + where.end.column
    if text[start:end] != old_code or "\r" in text[offset:start]:
        return None
    return text[:start] + new_code + text[end:]


def _imported_module(statement: cst.BaseStatement) -> tuple[str, bool] | None:
    """(module, is a plain `import`) for a top-level import statement line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return cst.helpers.get_full_name_for_node_or_raise(small.names[0].name), True
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        return cst.helpers.get_full_name_for_node_or_raise(small.module), False
    return None


def _is_import(statement: cst.BaseStatement) -> bool:
    """Any import line (relative, several names...), which `_imported_module` may not describe."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _family(module: str) -> str:
    """Imports isort keeps together: the standard library, or modules sharing a first word (`pytest_*`)."""
    section = _section(module)
    return section if section != "<other>" else module.split(".")[0].split("_")[0]


def _section(module: str) -> str:
    """isort's sections as far as asynclint can tell them: `__future__`, the standard library, the rest."""
    top = module.split(".")[0]
    if top == "__future__":
        return "<future>"
    return "<stdlib>" if top in sys.stdlib_module_names else "<other>"


def _next_to_sibling(module: cst.Module, request: ImportRequest) -> cst.Module | None:
    """`import pytest_asyncio` placed where isort/ruff would put it among the module's top-level imports.

    Within its family (the standard library, or modules sharing the name's first word: `pytest`,
    `pytest_mock`...), else within its section (the standard library, or everything else), a plain import
    goes in name order among the plain imports, or before the first `from` import when there is none. With
    no import of its section, it opens a new block: a third-party one after the standard-library imports, a
    standard-library one before the others. None when the module has no top-level import to go by (LibCST's
    `AddImportsVisitor` then places it) or already imports it.
    """
    if request.obj is not None:
        return None
    body = list(module.body)
    # Only the imports at the head of the module: one placed after code would not be bound when that code
    # runs (a decorator needing `pytest` above a late `import json`).
    found = []
    for index, statement in enumerate(body):
        entry = _imported_module(statement)
        if entry is not None:
            found.append((index, *entry))
        elif not (index == 0 and is_docstring(statement)) and not _is_import(statement):
            break
    if any(name == request.module and is_plain for _, name, is_plain in found):
        return None
    line = cst.parse_statement(f"import {request.module}\n", config=module.config_for_parsing)
    for group in (_family, _section):
        siblings = [(index, name, is_plain) for index, name, is_plain in found if group(name) == group(request.module)]
        if siblings:
            return _insert_among(module.with_changes(body=body), line, request.module, siblings)
    section = _section(request.module)
    if section == "<other>":
        stdlib = [index for index, name, _ in found if _section(name) == "<stdlib>"]
        if not stdlib:
            return None
        body.insert(stdlib[-1] + 1, line.with_changes(leading_lines=(cst.EmptyLine(),)))
        return module.with_changes(body=body)
    others = [index for index, name, _ in found if _section(name) == "<other>"]
    if section != "<stdlib>" or not others:
        return None
    first = body[others[0]]
    body[others[0]] = first.with_changes(leading_lines=(cst.EmptyLine(),))
    body.insert(others[0], line.with_changes(leading_lines=first.leading_lines))
    return module.with_changes(body=body)


def _insert_among(
    module: cst.Module,
    line: cst.SimpleStatementLine | cst.BaseCompoundStatement,
    name: str,
    siblings: list[tuple[int, str, bool]],
) -> cst.Module:
    body = list(module.body)
    plain = [(index, sibling) for index, sibling, is_plain in siblings if is_plain]
    before = [index for index, sibling in plain if sibling.lower() < name.lower()]
    if before:
        body.insert(before[-1] + 1, line)
        return module.with_changes(body=body)
    position = plain[0][0] if plain else siblings[0][0]
    # Inserted before the first sibling: the new line takes over its leading blank lines and comments.
    sibling_line = body[position]
    body[position] = sibling_line.with_changes(leading_lines=())
    body.insert(position, line.with_changes(leading_lines=sibling_line.leading_lines))
    return module.with_changes(body=body)


def text_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """Line-level edits that turn `before` into `after` (for machine-readable output)."""
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    # Only what lies between the common head and tail is diffed: a fix touches a few lines, and diffing a
    # 50,000-line module whole takes minutes (its blank lines all look alike).
    head = 0
    limit = min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_middle = old_lines[head : len(old_lines) - tail]
    new_middle = new_lines[head : len(new_lines) - tail]
    # Exact matching where it is affordable; on a long stretch (an import at the top, a decorator at the end),
    # lines that repeat everywhere stop anchoring matches. The edits are exact either way, only coarser.
    exact = len(old_middle) * len(new_middle) <= 4_000_000
    matcher = difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=not exact)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(TextEdit("".join(new_middle[j1:j2]), head + i1 + 1, 1, head + i2 + 1, 1))
    return tuple(edits)


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
