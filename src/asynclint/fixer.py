"""The one place fixes are applied.

Fixes are node replacements keyed by node identity. Per pass, fixes whose nodes overlap an already chosen fix
wait for the next pass; the imports they need are added once with LibCST's `AddImportsVisitor`. The result
must parse, or nothing is applied.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import functools
import itertools
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

import libcst as cst
import libcst.helpers
from libcst.metadata import CodeRange

from asynclint.analysis.syntax import is_docstring
from asynclint.diagnostics import Applicability, ImportRequest, NodeFix, TextEdit
from asynclint.walk import code_children, descendants


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
    lost = lost_uses(replacements)
    dropped: list[cst.CSTNode] = []
    if any(count > 0 for count in lost.values()):
        tidying = _ReplaceAndDropLoopVariables(replacements, lost)
        new_module = module.visit(tidying)
        dropped = tidying.dropped
    else:
        new_module = module.visit(_Replace(replacements)) if replacements else module
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
    # Last, so that an import just added to a line (`from unittest import IsolatedAsyncioTestCase, TestCase`)
    # keeps the line and its blank lines when the name it served goes.
    for statement in dropped:
        lost.update(name_counts(statement))
    orphans = orphaned_imports(module, replacements, lost, WordUses(module, module.code)) if lost else set()
    if orphans:
        new_module = _without_imports(new_module, orphans)
    return new_module


#: Line ends other than "\n" and "\r\n" (form feeds, "\r" alone...): lines are then counted differently by
#: LibCST's positions and by `str.splitlines`, which edits use.
_ODD_LINE_ENDS = re.compile("\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class FixRenderer:
    """The text edits of one fix at a time for one module, rendered where the fix changes the module: the
    top-level statements holding its replaced nodes, and the imports it needs (rendered once per set of
    imports). Rendering the whole module for each fix costs more than linting it; a file with a thousand
    fixable findings then took minutes to report as JSON.

    `edits` gives what `text_edits(text, apply_fixes(module, [fix]).code)` gives applied to the text, or None
    when the module cannot be cut so (no trailing newline, a statement whose rendering is not its text) or the
    fix changes imports itself; the caller then renders the whole module."""

    def __init__(self, module: cst.Module, text: str) -> None:
        self.module = module
        self.text = text
        self._imports: dict[tuple[ImportRequest, ...], tuple[TextEdit, ...] | None] = {}
        self._uses = WordUses(module, text)

    @functools.cached_property
    def _loop_lookups(self) -> bool:
        """Whether the module looks the loop up anywhere (`_ReplaceAndDropLoopVariables` has work only then)."""
        return _LOOKUP_TEXT.search(self.text) is not None

    @functools.cached_property
    def _odd_line_ends(self) -> bool:
        return _ODD_LINE_ENDS.search(self.text) is not None

    @functools.cached_property
    def _spans(self) -> list[tuple[int, int]] | None:
        """The text range of each top-level statement, leading comments and blank lines included, found from
        where `ast` says each starts (rendering every statement to measure it costs as much as linting the
        file). A range is trusted only once the statement's rendering is found there (`_text_of`)."""
        module = self.module
        if not module.has_trailing_newline or self._odd_line_ends:
            return None  # the last statement's newline is not in the text; lines counted differently
        try:
            tree = ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None  # syntax this Python does not know
        firsts: list[int] = []
        for node in tree.body:
            decorators = getattr(node, "decorator_list", [])
            line = min([node.lineno, *(decorator.lineno for decorator in decorators)])
            if not firsts or line != firsts[-1]:  # `a = 1; b = 2` is one statement line
                firsts.append(line)
        if len(firsts) != len(module.body):
            return None
        starts = self._line_starts
        lines = len(starts) - 1
        bounds = [first - len(statement.leading_lines) for first, statement in zip(firsts, module.body, strict=True)]
        bounds.append(lines + 1 - len(module.footer))
        if bounds[0] != len(module.header) + 1 or any(a >= b for a, b in itertools.pairwise(bounds)):
            return None
        return [(starts[a - 1], starts[b - 1]) for a, b in itertools.pairwise(bounds)]

    def _text_of(self, index: int) -> tuple[int, int] | None:
        """The range of top-level statement `index`, when its rendering is the text found there."""
        spans = self._spans
        if spans is None:
            return None
        start, end = spans[index]
        return (start, end) if self.text[start:end] == self.module.code_for_node(self.module.body[index]) else None

    @functools.cached_property
    def _owners(self) -> dict[cst.CSTNode, int]:
        """Every node that holds code (fixes replace no whitespace), to the index of the top-level statement
        holding it."""
        return {
            node: index
            for index, statement in enumerate(self.module.body)
            for node in descendants(statement, expand=code_children)
        }

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for line in self.text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        return starts

    def _line_of(self, offset: int) -> int:
        """The 1-based line that starts at `offset`, which must be a line start (statements begin and end there)."""
        return bisect.bisect_left(self._line_starts, offset) + 1

    def edits(self, fix: NodeFix, positions: Mapping[cst.CSTNode, CodeRange]) -> tuple[TextEdit, ...] | None:
        if self._orphans(fix):
            return None  # the imports it leaves unused go too: that is the whole render's to say
        return self._spliced(fix, positions) or self._rendered(fix)

    def _orphans(self, fix: NodeFix) -> bool:
        """Whether the fix leaves an import or a loop variable unused, which `apply_fixes` then removes too."""
        lost = lost_uses(fix.replacements)
        if not any(count > 0 for count in lost.values()):
            return False
        if self._loop_lookups:
            return True  # a loop variable it leaves unused may go too
        return bool(orphaned_imports(self.module, fix.replacements, lost, self._uses))

    def _spliced(self, fix: NodeFix, positions: Mapping[cst.CSTNode, CodeRange]) -> tuple[TextEdit, ...] | None:
        """A fix that replaces one expression written on one line by another on one line (an inserted `await`, a
        decorator's name), and adds imports or not: the new code goes where the old code is, on that line."""
        if fix.other_files or len(fix.replacements) != 1 or self._odd_line_ends:
            return None
        ((old, new),) = fix.replacements.items()
        if isinstance(old, cst.Decorator) and isinstance(new, cst.Decorator) and _only_expression_differs(old, new):
            old, new = old.decorator, new.decorator  # `@pytest.fixture` -> `@pytest_asyncio.fixture`
        if not isinstance(old, cst.BaseExpression) or not isinstance(new, cst.BaseExpression):
            return None
        where = positions.get(old)
        starts = self._line_starts
        if where is None or where.start.line != where.end.line or where.start.line >= len(starts):
            return None
        line = where.start.line
        offset, line_end = starts[line - 1], starts[line]
        start, end = offset + where.start.column, offset + where.end.column
        # The old code is the text where the module's own rendering places it: on one line.
        old_code = self.text[start:end]
        new_code = _awaited(new, old, old_code) or self.module.code_for_node(new)
        if any(end in code for code in (old_code, new_code) for end in "\r\n"):
            return None
        new_line = self.text[offset:start] + new_code + self.text[end:line_end]
        edit = TextEdit(new_line, line, 1, line + 1, 1)
        if not fix.imports:
            return (edit,)
        imported = self._import_edits(fix.imports)
        if imported is None:
            return None
        return _merged([(edit, 0), *((placed, 0) for placed in imported)])

    def _rendered(self, fix: NodeFix) -> tuple[TextEdit, ...] | None:
        spans = self._spans
        if spans is None:
            return None
        touched: set[int] = set()
        for node in fix.replacements:
            index = self._owners.get(node)
            if index is None:
                return None
            touched.add(index)
        edits: list[tuple[TextEdit, int]] = []
        for index in sorted(touched):
            statement = self.module.body[index]
            new = statement.visit(_Replace(fix.replacements))
            if isinstance(new, cst.FlattenSentinel):
                return None
            if _is_import(statement) or (isinstance(new, cst.BaseStatement) and _is_import(new)):
                return None  # where imports go depends on the imports there
            region = self._text_of(index)
            if region is None:
                return None
            new_code = "" if isinstance(new, cst.RemovalSentinel) else self.module.code_for_node(new)
            start, end = region
            first, after = self._line_of(start), self._line_of(end)
            for edit in self._region_edits(start, end, new_code):
                # An import placed where this statement starts goes above what the fix inserts there; one
                # placed where it ends, below.
                edits.append((edit, 1 if edit.line == first else -1 if edit.line == after else 0))
        if fix.imports:
            imported = self._import_edits(fix.imports)
            if imported is None:
                return None
            edits.extend((edit, 0) for edit in imported)
        return _merged(edits)

    def _region_edits(self, start: int, end: int, new_code: str) -> list[TextEdit]:
        """Edits turning the text from `start` to `end` (whole lines) into `new_code`."""
        shift = self._line_of(start) - 1
        return [
            replace(edit, line=edit.line + shift, end_line=edit.end_line + shift)
            for edit in text_edits(self.text[start:end], new_code)
        ]

    def _import_edits(self, imports: tuple[ImportRequest, ...]) -> tuple[TextEdit, ...] | None:
        """The edits that add `imports` to the module as `apply_fixes` adds them, once per set of imports: only the
        top-level statements that placing them changes are rendered."""
        key = tuple(sorted(set(imports), key=lambda r: (r.module, r.obj or "")))
        if key not in self._imports:
            self._imports[key] = self._placed(key)
        return self._imports[key]

    def _placed(self, imports: tuple[ImportRequest, ...]) -> tuple[TextEdit, ...] | None:
        spans = self._spans
        try:
            after = apply_fixes(self.module, [NodeFix("", Applicability.SAFE, {}, imports)])
        except Exception:  # rendered whole by the caller, which decides what a failure means
            return None
        old, new = self.module.body, after.body
        same_header = len(after.header) == len(self.module.header) and all(
            a is b for a, b in zip(after.header, self.module.header, strict=True)
        )
        if spans is None or not same_header or not after.has_trailing_newline:
            return text_edits(self.text, after.code)
        # Placing an import inserts statements and may move a neighbour's leading lines; every other statement
        # is the very same object: only the stretch between the common head and tail is rendered.
        head = 0
        while head < min(len(old), len(new)) and old[head] is new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] is new[-1 - tail]:
            tail += 1
        if any(self._text_of(index) is None for index in range(max(head - 1, 0), min(len(old) - tail + 1, len(old)))):
            return None  # the stretch, and the statements around it, must be where they are thought to be
        start = self._before(head)
        end = spans[len(old) - tail - 1][1] if len(old) - tail > head else start
        new_code = "".join(after.code_for_node(statement) for statement in new[head : len(new) - tail])
        return tuple(self._region_edits(start, end, new_code))

    def _before(self, index: int) -> int:
        """Where the top-level statement `index` starts (the end of the body for one past the last)."""
        spans = self._spans
        assert spans is not None
        if index < len(spans):
            return spans[index][0]
        return spans[-1][1] if spans else sum(len(self.module.code_for_node(line)) for line in self.module.header)


def _awaited(new: cst.BaseExpression, old: cst.BaseExpression, old_code: str) -> str | None:
    """The code of `await <old>` as `edits.awaited` builds it (plain, or in bare parentheses), without rendering;
    None for anything else."""
    if not isinstance(new, cst.Await) or new.expression is not old:
        return None
    space = new.whitespace_after_await
    if not isinstance(space, cst.SimpleWhitespace) or len(new.lpar) != len(new.rpar):
        return None
    if any(not isinstance(p.whitespace_after, cst.SimpleWhitespace) or p.whitespace_after.value for p in new.lpar):
        return None
    if any(not isinstance(p.whitespace_before, cst.SimpleWhitespace) or p.whitespace_before.value for p in new.rpar):
        return None
    return "(" * len(new.lpar) + "await" + space.value + old_code + ")" * len(new.rpar)


def _only_expression_differs(old: cst.Decorator, new: cst.Decorator) -> bool:
    """The new decorator keeps the old one's lines and whitespace (made with `with_changes(decorator=...)`)."""
    return (
        new.leading_lines is old.leading_lines
        and new.whitespace_after_at is old.whitespace_after_at
        and new.trailing_whitespace is old.trailing_whitespace
    )


def _merged(edits: list[tuple[TextEdit, int]]) -> tuple[TextEdit, ...] | None:
    """Line edits in order (by line, then by the rank each comes with), those that meet (an import inserted just
    above a rewritten statement) made one; None when two overlap."""
    ordered = [edit for edit, _ in sorted(edits, key=lambda pair: (pair[0].line, pair[1], pair[0].end_line))]
    merged: list[TextEdit] = []
    for edit in ordered:
        if merged and edit.line < merged[-1].end_line:
            return None
        if merged and edit.line == merged[-1].end_line:
            last = merged.pop()
            edit = TextEdit(last.content + edit.content, last.line, 1, edit.end_line, 1)
        merged.append(edit)
    return tuple(merged)


def _import_bindings(module: cst.Module) -> dict[str, cst.SimpleStatementLine]:
    """Names bound by the module's top-level imports that a fix may take away once nothing uses them: every
    name of a plain `import` (`import asyncio`, `import a.b` binds `a`), and names imported from a standard-
    library module (`from asyncio import get_event_loop`). Not names imported from elsewhere, which may be
    fixtures pytest finds by name; not an import line with a comment, which says why it is there."""
    found: dict[str, cst.SimpleStatementLine] = {}
    for index, statement in enumerate(module.body):
        if not _is_import(statement) or not isinstance(statement, cst.SimpleStatementLine):
            continue
        if statement.trailing_whitespace.comment is not None or any(line.comment for line in statement.leading_lines):
            continue
        if index == 0 and module.header and _explains(module.header[-1].comment):
            continue  # the module's opening comment ends right above it: it may be about this line
        for small in statement.body:
            if isinstance(small, cst.Import) or (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and not small.relative
                and not isinstance(small.names, cst.ImportStar)
                and _section(cst.helpers.get_full_name_for_node_or_raise(small.module)) == "<stdlib>"
            ):
                assert not isinstance(small.names, cst.ImportStar)
            else:
                continue
            for alias in small.names:
                bound = alias.evaluated_alias or alias.evaluated_name.partition(".")[0]
                found[bound] = statement
    return found


def _explains(comment: cst.Comment | None) -> bool:
    """A comment that may say why the line below it is there: not a shebang or a coding cookie."""
    return comment is not None and not comment.value.startswith("#!") and _CODING.match(comment.value) is None


#: PEP 263's coding declaration.
_CODING = re.compile(r"^#.*?coding[:=]")


def name_counts(node: cst.CSTNode) -> Counter[str]:
    """How often the code names each name (not attributes), words of its strings (`__all__`, string
    annotations) and type comments included."""
    counts: Counter[str] = Counter()
    for child in descendants(node):
        if isinstance(child, cst.Name):
            counts[child.value] += 1
        elif isinstance(child, cst.Attribute):
            counts[child.attr.value] -= 1  # `asyncio.sleep` reads `asyncio`, not a name `sleep`
        elif isinstance(child, cst.SimpleString) or (isinstance(child, cst.Comment) and "type:" in child.value):
            counts.update(_WORD.findall(child.value))
    return counts


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class WordUses:
    """How often a module's text names a word outside its top-level imports: as a name, or a word of a string
    or a comment, never as an attribute after a dot. That is at least as often as its code uses the name
    (`name_counts`), so an import is never taken for unused while the code needs it."""

    def __init__(self, module: cst.Module, text: str) -> None:
        self.module = module
        self.text = text
        self._counts: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        if name not in self._counts:
            pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
            total = len(pattern.findall(self.text))
            for statement in self.module.body:
                if _is_import(statement):
                    total -= len(pattern.findall(self.module.code_for_node(statement)))
            self._counts[name] = total
        return self._counts[name]


def orphaned_imports(
    module: cst.Module,
    replacements: Mapping[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel],
    lost: Counter[str],
    uses: Callable[[str], int],
) -> set[str]:
    """Names of imports (see `_import_bindings`) that code the replacements take away used (`lost`, from
    `lost_uses`, with any statement dropped along) and that nothing in the module uses once they are made
    (`uses`: a `WordUses` of the module): `import asyncio` once the `event_loop` fixture it served is deleted."""
    candidates = [name for name, count in lost.items() if count > 0]
    if not candidates or any(isinstance(old, cst.BaseStatement) and _is_import(old) for old in replacements):
        return set()
    bindings = _import_bindings(module)
    return {name for name in candidates if name in bindings and uses(name) - lost[name] <= 0}


def lost_uses(replacements: Mapping[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel]) -> Counter[str]:
    """Per name, the uses the replacements take away: those of the code they replace, less those of the new."""
    lost: Counter[str] = Counter()
    for old, new in replacements.items():
        if isinstance(new, cst.Await) and new.expression is old:
            continue  # an inserted `await`: the same names
        lost.update(name_counts(old))
        if not isinstance(new, cst.RemovalSentinel):
            lost.subtract(name_counts(new))
    return lost


#: Calls that only look up the event loop: a variable holding what one returns can go once nothing reads it.
_LOOP_LOOKUPS = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop"})
_LOOKUP_TEXT = re.compile(r"\bget_(?:running|event)_loop\(\)")


class _ReplaceAndDropLoopVariables(_Replace):
    """Makes the replacements, and drops from each function holding one a `loop = asyncio.get_running_loop()`
    (or `get_event_loop()`) statement whose variable the function reads no more, when the replacements took
    uses of it away (`lost`). One with a comment stays, and so does one that is all that is left of its body;
    functions the replacements leave alone are left as they are."""

    def __init__(
        self, replacements: Mapping[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel], lost: Counter[str]
    ) -> None:
        super().__init__(replacements)
        self.lost = lost
        self.dropped: list[cst.CSTNode] = []
        #: Per enclosing function, innermost last: whether a replacement lies inside it.
        self._touched: list[bool] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.replacements:
            return False
        if isinstance(node, cst.FunctionDef):
            self._touched.append(False)
        return True

    def on_leave(  # type: ignore[override]  # replacements may change a node's type
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel:
        if original_node in self.replacements:
            self._touched = [True] * len(self._touched)
        elif isinstance(original_node, cst.FunctionDef) and isinstance(updated_node, cst.FunctionDef):
            touched = self._touched.pop()
            if touched:
                updated_node = self._without_loop_variables(updated_node)
        return super().on_leave(original_node, updated_node)

    def _without_loop_variables(self, function: cst.FunctionDef) -> cst.FunctionDef:
        body = function.body
        if not isinstance(body, cst.IndentedBlock):
            return function
        counts: Counter[str] | None = None
        kept: list[cst.BaseStatement] = []
        dropped: list[cst.CSTNode] = []
        for statement in body.body:
            name = self._loop_variable(statement)
            if name is not None:
                if counts is None:
                    counts = name_counts(function)
                if counts[name] == 1:  # the assignment's own target: nothing else reads or binds it
                    dropped.append(statement)
                    continue
            kept.append(statement)
        if not dropped or not kept:
            return function
        self.dropped.extend(dropped)
        return function.with_changes(body=body.with_changes(body=kept))

    def _loop_variable(self, statement: cst.BaseStatement) -> str | None:
        """`name` for `name = asyncio.get_running_loop()` on a line of its own, without comments, when the fixes
        took uses of `name` away."""
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        if statement.trailing_whitespace.comment is not None or any(line.comment for line in statement.leading_lines):
            return None
        assign = statement.body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        target, value = assign.targets[0].target, assign.value
        if not isinstance(target, cst.Name) or self.lost[target.value] <= 0:
            return None
        if not isinstance(value, cst.Call) or value.args:
            return None
        return target.value if cst.helpers.get_full_name_for_node(value.func) in _LOOP_LOOKUPS else None


def _without_imports(module: cst.Module, names: set[str]) -> cst.Module:
    """The module without the import aliases binding `names` (a statement left with none is deleted; the blank
    lines that set it apart go to the statement after it when that one has none of its own)."""
    body: list[cst.BaseStatement] = []
    pending: Sequence[cst.EmptyLine] = ()
    for statement in module.body:
        kept = _without_aliases(statement, names)
        if kept is None:
            assert isinstance(statement, cst.SimpleStatementLine)
            pending = pending or statement.leading_lines
            continue
        if pending and isinstance(kept, cst.SimpleStatementLine | cst.BaseCompoundStatement) and not kept.leading_lines:
            kept = kept.with_changes(leading_lines=pending)
        pending = ()
        body.append(kept)
    if body and module.body and body[0] is not module.body[0]:
        # What now opens the module keeps its comments, not the blank lines that set it apart from the imports.
        first = body[0]
        if isinstance(first, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            lines = list(first.leading_lines)
            while lines and lines[0].comment is None:
                lines.pop(0)
            body[0] = first.with_changes(leading_lines=lines)
    return module.with_changes(body=body)


def _without_aliases(statement: cst.BaseStatement, names: set[str]) -> cst.BaseStatement | None:
    """An import line without the aliases binding `names`; None when none is left; any other line as it is."""
    if not (_is_import(statement) and isinstance(statement, cst.SimpleStatementLine)):
        return statement
    smalls: list[cst.BaseSmallStatement] = []
    for small in statement.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
            kept = [
                alias
                for alias in small.names
                if (alias.evaluated_alias or alias.evaluated_name.partition(".")[0]) not in names
            ]
            if not kept:
                continue
            if len(kept) != len(small.names):
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                small = small.with_changes(names=kept)
        smalls.append(small)
    if not smalls:
        return None
    if len(smalls) == len(statement.body) and all(a is b for a, b in zip(smalls, statement.body, strict=True)):
        return statement
    smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(body=smalls)


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


def applied_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """`text` with the (non-overlapping) line edits made, lines counted as `text_edits` counts them."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return (starts[line - 1] if line <= len(starts) else len(text)) + column - 1

    for edit in sorted(edits, key=lambda e: (e.line, e.column, e.end_line), reverse=True):
        text = text[: offset(edit.line, edit.column)] + edit.content + text[offset(edit.end_line, edit.end_column) :]
    return text
