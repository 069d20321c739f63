"""Fix safety, for every rule that has a fix (every rule with an example showing its `expected_fix`).

- Property test: the rule's fixable examples planted among generated code (module-level statements, functions,
  classes, comments, blank lines, unrelated imports), fixed at their tier through `check_paths`, with the rule
  alone or with every rule. The fixed files parse (LibCST and `compile`), a second run changes nothing, and
  every token (and every line, blank ones included) that changed lies inside an edit that a diagnostic's fix
  reported in a check run just before, or belongs to an import statement. An import a fix removes is one the
  code used before and uses no more, and an import a fix adds comes before the module-level code that needs it.
- Byte preservation: each fixable example written with CRLF line endings, with a UTF-8 BOM, as latin-1 with a
  coding cookie and a latin-1 comment, and with file mode 0o754 keeps all of them, and its content is the
  example's `expected_fix` written the same way.
- Config files: what fixes write into pytest.ini, setup.cfg, tox.ini, pyproject.toml or pytest.toml (config
  rules' line edits, AIO404's `FileWrite` migration) still parses, changes only the lines it should, keeps
  line endings and mode, and a second run writes nothing.

Bugs found are kept as minimal tests at the end, marked as strict xfails.
"""

from __future__ import annotations

import ast
import configparser
import difflib
import io
import re
import stat
import sys
import tempfile
import tokenize
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability, TextEdit
from asynclint.registry import all_rules
from asynclint.rule import Example, Rule
from tests.helpers import run, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: (rule, case id, example) of every example with an expected fix; ids as in test_rule_examples ("AIO101-0" is
#: the first INVALID example of AIO101).
Case = tuple[type[Rule], str, Example]
FIXABLE: list[Case] = [
    (rule, f"{rule.code}-{prefix}{index}", example)
    for rule in all_rules()
    for prefix, examples in (("", rule.invalid), ("valid-", rule.valid))
    for index, example in enumerate(examples)
    if example.expected_fix is not None
]
FIXABLE_RULES: list[type[Rule]] = sorted({rule for rule, _, _ in FIXABLE}, key=lambda rule: rule.code)
PYTHON_FIXABLE = [case for case in FIXABLE if case[2].filename.endswith(".py")]
CONFIG_FIXABLE = [case for case in FIXABLE if not case[2].filename.endswith(".py")]


def tiers_of(example: Example) -> list[Applicability]:
    """The fix runs an example gets: safe fixes, then unsafe ones on top when the example asks for them."""
    return [Applicability.SAFE, Applicability.UNSAFE] if example.unsafe_fixes else [Applicability.SAFE]


def allowed(tier: Applicability) -> set[Applicability]:
    return {Applicability.SAFE} if tier is Applicability.SAFE else set(Applicability)


# --------------------------------------------------------------------------------------------------------------
# Generated code to plant the examples among. Every name it binds starts with `_filler_` / `_Filler`, it uses no
# pytest, asyncio or mock API, and its comments are plain words (no `noqa`, no coding cookie).

WORDS = ("alpha", "beta", "gamma", "delta", "kappa", "omega", "lorem", "ipsum", "caveat", "todo")
COMMENT_TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
TRAILING = st.one_of(st.just(""), COMMENT_TEXT.map(lambda text: f"  # {text}"))
LEAVES = st.one_of(
    st.integers(-3, 999).map(str),
    st.sampled_from(
        [
            '"text"',
            "'quoted'",
            "None",
            "True",
            "3.25",
            "b'raw'",
            'f"{1 + 2}"',
            "...",
            "()",
            "[]",
            "{}",
            "0x1F",
            "1_000",
            "r'\\d+'",
            "len",
        ]
    ),
)


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: "(" + ", ".join(items) + ",)"),
        st.tuples(inner, inner).map(lambda pair: "{" + f"{pair[0]}: {pair[1]}" + "}"),
        st.tuples(inner, st.sampled_from(["+", "*", "or", "and", "==", "not in", "if True else"]), inner).map(
            lambda triple: f"({triple[0]} {triple[1]} {triple[2]})"
        ),
        inner.map(lambda value: f"str({value})"),
        inner.map(lambda value: f"(lambda _filler_arg=1: {value})"),
        inner.map(lambda value: f"[_filler_item for _filler_item in [{value}]]"),
        inner.map(lambda value: f"(not {value})"),
    )


EXPRESSIONS = st.recursive(LEAVES, _compound, max_leaves=5)
INDENTS = st.sampled_from(["    ", "  ", "\t", "        "])


@st.composite
def function_body(draw: st.DrawFn, ind: str) -> str:
    """Statements of a function body, each line indented by `ind` (one level) and its blocks by two."""
    deeper = ind * 2
    options = [
        f"{ind}_filler_local = {draw(EXPRESSIONS)}{draw(TRAILING)}\n",
        f"{ind}if _filler_p:\n{deeper}return {draw(EXPRESSIONS)}\n{ind}elif not args:\n{deeper}pass\n"
        f"{ind}else:\n{deeper}_filler_local = 0\n",
        f"{ind}for _filler_i in args:\n{deeper}continue\n",
        f"{ind}while False:\n{deeper}break\n",
        f"{ind}try:\n{deeper}pass\n{ind}except Exception as _filler_exc:\n"
        f"{deeper}raise ValueError() from _filler_exc\n",
        f"{ind}def _filler_inner():\n{deeper}return {draw(EXPRESSIONS)}\n",
        f"{ind}# {draw(COMMENT_TEXT)}\n",
        f"{ind}assert {draw(EXPRESSIONS)}, 'message'\n",
        f"{ind}yield {draw(EXPRESSIONS)}\n",
    ]
    chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3))
    return "".join(chosen) + f"{ind}return {draw(EXPRESSIONS)}\n"


@st.composite
def filler_statement(draw: st.DrawFn, n: int) -> str:
    """One generated top-level statement (maybe compound, maybe with comments), ending with a newline."""
    ind = draw(INDENTS)
    kind = draw(st.integers(0, 13))
    if kind == 0:
        return f"_filler_v{n} = {draw(EXPRESSIONS)}{draw(TRAILING)}\n"
    if kind == 1:
        return f"_filler_v{n}: object = {draw(EXPRESSIONS)}\n"
    if kind == 2:
        return f"_filler_a{n} = {draw(EXPRESSIONS)}; _filler_b{n} = {draw(EXPRESSIONS)}\n"
    if kind == 3:
        return (
            f"_filler_d{n} = dict(\n    first={draw(EXPRESSIONS)},\n"
            f"    second={draw(EXPRESSIONS)},  # {draw(COMMENT_TEXT)}\n)\n"
        )
    if kind == 4:
        return f"_filler_c{n} = {draw(EXPRESSIONS)} + \\\n    {draw(EXPRESSIONS)}\n"
    if kind == 5:
        return f'_filler_s{n} = """\n{draw(COMMENT_TEXT)}\n    {draw(COMMENT_TEXT)}\n"""\n'
    if kind == 6:
        decorated = draw(st.booleans())
        head = f"def _filler_deco{n}(function):\n{ind}return function\n\n\n@_filler_deco{n}\n" if decorated else ""
        returns = draw(st.sampled_from(["", " -> object"]))
        return (
            f"{head}def _filler_f{n}(_filler_p, *args, _filler_k={draw(EXPRESSIONS)}, **kwargs){returns}:"
            f"{draw(TRAILING)}\n{ind}'''{draw(COMMENT_TEXT)}'''\n{draw(function_body(ind))}"
        )
    if kind == 7:
        return (
            f"async def _filler_af{n}(_filler_p=None):\n{ind}async with _filler_p as _filler_cm:\n{ind * 2}pass\n"
            f"{ind}async for _filler_x in _filler_p:\n{ind * 2}break\n{ind}return {draw(EXPRESSIONS)}\n"
        )
    if kind == 8:
        members = draw(
            st.lists(
                st.sampled_from(
                    [
                        f"{ind}_filler_attr = {draw(EXPRESSIONS)}\n",
                        f"{ind}def __init__(self, value={draw(EXPRESSIONS)}):\n{ind * 2}self.value = value\n",
                        f"{ind}@property\n{ind}def _filler_prop(self):\n{ind * 2}return self.value\n",
                        f"{ind}@staticmethod\n{ind}def _filler_static(*args):\n{ind * 2}return args\n",
                        f"{ind}@classmethod\n{ind}async def _filler_make(cls):\n{ind * 2}return cls()\n",
                        f"{ind}class _FillerInner:\n{ind * 2}pass\n",
                        f"{ind}# {draw(COMMENT_TEXT)}\n",
                    ]
                ),
                max_size=4,
                unique=True,
            )
        )
        base = draw(st.sampled_from(["", "(object)", "(Exception)", "()"]))
        body = "\n".join([f'{ind}"""{draw(COMMENT_TEXT)}"""\n', *members])
        return f"class _FillerC{n}{base}:{draw(TRAILING)}\n{body}"
    if kind == 9:
        return f'if __name__ == "__main__":\n{ind}print({draw(EXPRESSIONS)})\n'
    if kind == 10:
        return (
            f"try:\n{ind}_filler_t{n} = {draw(EXPRESSIONS)}\nexcept (ValueError, TypeError):\n"
            f"{ind}_filler_t{n} = None\nelse:\n{ind}pass\nfinally:\n{ind}pass\n"
        )
    if kind == 11:
        return f"for _filler_i{n} in range(2):\n{ind}pass\nelse:\n{ind}_filler_i{n} = -1\n"
    if kind == 12:
        return f"match {draw(EXPRESSIONS)}:\n{ind}case 1 | 2:\n{ind * 2}pass\n{ind}case _:\n{ind * 2}pass\n"
    return f"(_filler_w{n} := {draw(EXPRESSIONS)})\n"


#: Unrelated imports: none binds a name the examples use (pytest, asyncio, time, unittest, app...).
FILLER_IMPORTS = (
    "import json\n",
    "import os.path\n",
    "import textwrap as _filler_textwrap\n",
    "from collections import OrderedDict\n",
    "from decimal import Decimal as _filler_Decimal, localcontext\n",
    "from typing import (\n    Any,\n    Optional,\n)\n",
    "import string, fractions\n",
    "import requests\n",
    "from yaml import safe_load\n",
    "import numpy as _filler_np\n",
    "try:\n    import simplejson as _filler_json\nexcept ImportError:\n    _filler_json = None\n",
)


@st.composite
def filler(draw: st.DrawFn, start: int, *, imports: bool, most: int) -> str:
    """Up to `most` generated statements, comments and blank lines (names numbered from `start`)."""
    parts = []
    if imports:
        parts.extend(draw(st.lists(st.sampled_from(FILLER_IMPORTS), max_size=3, unique=True)))
    for n in range(start, start + draw(st.integers(0, most))):
        parts.append("\n" * draw(st.integers(0, 2)))
        if draw(st.booleans()):
            parts.append(f"# {draw(COMMENT_TEXT)}\n")
        parts.append(draw(filler_statement(n)))
    if parts:
        parts.append("\n" * draw(st.integers(0, 2)))
    return "".join(parts)


def insertion_points(code: str) -> tuple[int, list[int]]:
    """Where generated code may go: the line after the module's docstring and `__future__` imports, and the
    starting line (its decorators included) of each later top-level statement (0-based)."""
    tree = ast.parse(code)
    header_end = 0
    points: list[int] = []
    for index, statement in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        is_future = isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
        if (is_docstring or is_future) and not points and statement.end_lineno is not None:
            header_end = statement.end_lineno
            continue
        decorators = getattr(statement, "decorator_list", [])
        points.append(min([statement.lineno] + [d.lineno for d in decorators]) - 1)
    return header_end, [point for point in points if point > header_end]


@st.composite
def planted(draw: st.DrawFn, code: str) -> str:
    """`code` with generated code before it (unrelated imports included), between its top-level statements
    and after it. Imports only go before it: an import below a module's first use is reported separately
    (`test_added_import_is_placed_before_its_first_use`)."""
    if not code.endswith("\n"):
        code += "\n"
    lines = code.splitlines(keepends=True)
    header_end, points = insertion_points(code)
    counter = 0

    def chunk(*, imports: bool, most: int) -> str:
        nonlocal counter
        text = draw(filler(counter * 10, imports=imports, most=most))
        counter += 1
        return text

    out = ["".join(lines[:header_end]), chunk(imports=True, most=3)]
    position = header_end
    for point in points:
        out.append("".join(lines[position:point]))
        if draw(st.booleans()):
            out.append(chunk(imports=False, most=2))
        position = point
    out.append("".join(lines[position:]))
    out.append(chunk(imports=False, most=3))
    return "".join(out)


@st.composite
def planted_config(draw: st.DrawFn, text: str) -> str:
    """An INI pytest config with comments, blank lines and unrelated sections added around its own lines."""
    lines = text.splitlines(keepends=True)
    comment = st.sampled_from(["#", ";"]).flatmap(lambda mark: COMMENT_TEXT.map(lambda words: f"{mark} {words}\n"))
    blank_or_comment = st.one_of(st.just("\n"), comment)

    def sections(numbers: range) -> st.SearchStrategy[str]:  # each section once: pytest rejects duplicates
        return st.sampled_from(numbers).map(lambda n: f"[_filler_section{n}]\n_filler_key = value {n}\n\n")

    out = [*draw(st.lists(st.one_of(sections(range(50)), blank_or_comment), max_size=3, unique=True))]
    for index, line in enumerate(lines):
        out.append(line)
        if index < len(lines) - 1:
            out.extend(draw(st.lists(blank_or_comment, max_size=2)))
    out.append("\n")
    out.extend(draw(st.lists(st.one_of(sections(range(50, 100)), blank_or_comment), max_size=3, unique=True)))
    return "".join(out)


# --------------------------------------------------------------------------------------------------------------
# What a fix may change.


@dataclass(frozen=True)
class Token:
    kind: int
    text: str
    #: First and last line of the token (1-based).
    start: int
    end: int


STRUCTURE = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})
#: A changed region of a diff: old items [i1, i2) became new items [j1, j2).
Region = tuple[int, int, int, int]


def tokens(source: bytes) -> list[Token]:
    """The module's tokens, comments included; blank lines, the line ending style and DEDENT positions do not
    count (a DEDENT belongs to the line of the code token before it, not to the comments between)."""
    found: list[Token] = []
    last = 1
    for token in tokenize.tokenize(io.BytesIO(source).readline):
        if token.type in (tokenize.ENCODING, tokenize.NL, tokenize.ENDMARKER):
            continue
        if token.type == tokenize.DEDENT:
            found.append(Token(token.type, "", last, last))
            continue
        text = "" if token.type == tokenize.NEWLINE else token.string.rstrip("\r\n")
        found.append(Token(token.type, text, token.start[0], token.end[0]))
        if token.type != tokenize.COMMENT:
            last = token.end[0]
    return found


def import_lines(source: bytes) -> set[int]:
    """The lines of the module's top-level import statements."""
    lines: set[int] = set()
    for statement in ast.parse(source).body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) and statement.end_lineno is not None:
            lines.update(range(statement.lineno, statement.end_lineno + 1))
    return lines


def import_bindings(source: bytes) -> dict[str, int]:
    """Names bound by top-level imports -> index of the (first) statement binding them."""
    bound: dict[str, int] = {}
    for index, statement in enumerate(ast.parse(source).body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                bound.setdefault(alias.asname or alias.name.partition(".")[0], index)
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                bound.setdefault(alias.asname or alias.name, index)
    return bound


def imported_targets(source: bytes) -> set[tuple[str, str, str | None]]:
    """(module, name, alias) of every top-level import: what a fix must never take away."""
    found: set[tuple[str, str, str | None]] = set()
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Import):
            found.update(("", alias.name, alias.asname) for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            found.update((module, alias.name, alias.asname) for alias in statement.names)
    return found


def bound_name(target: tuple[str, str, str | None]) -> str:
    """The name an import binds: its alias, else the imported name (`a` for `import a.b`)."""
    module, name, alias = target
    return alias or (name.partition(".")[0] if not module else name)


def used_names(source: bytes) -> set[str]:
    """Every name the module's code reads, outside its import statements, and every word of its strings."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value))
    return found


def import_time_names(node: ast.AST) -> set[str]:
    """Names a top-level statement reads while the module is imported (not those inside function bodies)."""
    names: set[str] = set()

    def visit(current: ast.AST) -> None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for part in [*current.decorator_list, *current.args.defaults, *current.args.kw_defaults]:
                if part is not None:
                    visit(part)
            return
        if isinstance(current, ast.Lambda):
            for part in [*current.args.defaults, *current.args.kw_defaults]:
                if part is not None:
                    visit(part)
            return
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Load):
            names.add(current.id)
        for child in ast.iter_child_nodes(current):
            visit(child)

    visit(node)
    return names


def check_import_order(before: bytes, after: bytes) -> None:
    """Imports the fix added come before the first module-level code that reads the names they bind."""
    old = import_bindings(before)
    body = ast.parse(after).body
    for name, index in import_bindings(after).items():
        if name in old:
            continue
        users = [i for i, statement in enumerate(body[:index]) if name in import_time_names(statement)]
        assert not users, (
            f"the fix added an import of `{name}` at statement {index + 1} of the module, after module-level "
            f"code that uses it (statement {users[0] + 1}): importing the module raises NameError"
        )


def _covers(edits: Sequence[TextEdit], first: int, last: int, *, insertion: bool) -> bool:
    """Whether original lines `first`..`last` all lie inside the lines the reported edits replace; for an
    insertion between a token on line `first` and one on line `last`, whether that gap touches an edit (the
    lines it replaces, or for an edit that only inserts before line L, lines L-1 and L)."""
    if insertion:
        return any(
            first <= max(edit.end_line - 1, edit.line) and min(edit.line, edit.end_line - 1) <= last for edit in edits
        )
    changed = {line for edit in edits for line in range(edit.line, edit.end_line)}
    return all(line in changed for line in range(first, last + 1))


def _lines(region: Sequence[Token]) -> tuple[int, int] | None:
    core = [token for token in region if token.kind not in STRUCTURE] or list(region)
    if not core:
        return None
    return min(token.start for token in core), max(token.end for token in core)


def _slides(a: Sequence[object], b: Sequence[object], i1: int, i2: int, j1: int, j2: int) -> Iterator[Region]:
    """The same insertion or deletion at every place it could equally be (a diff may put an inserted
    `@mark NEWLINE` as `NEWLINE @mark` one token earlier): slid left and right over equal items."""
    yield i1, i2, j1, j2
    if i1 != i2 and j1 != j2:
        return
    moved = (i1, i2, j1, j2)
    while moved[0] > 0 and moved[2] > 0:  # slide left: the item before equals the region's last one
        k1, k2, l1, l2 = moved
        if a[k1 - 1] != (a[k2 - 1] if k1 != k2 else b[l2 - 1]):
            break
        moved = (k1 - 1, k2 - 1, l1 - 1, l2 - 1)
        yield moved
    moved = (i1, i2, j1, j2)
    while moved[1] < len(a) and moved[3] < len(b):  # slide right: the item after equals the region's first
        k1, k2, l1, l2 = moved
        if a[k2] != (a[k1] if k1 != k2 else b[l1]):
            break
        moved = (k1 + 1, k2 + 1, l1 + 1, l2 + 1)
        yield moved


def _region_ok(
    old: Sequence[Token],
    new: Sequence[Token],
    region: Region,
    edits: Sequence[TextEdit],
    imports: tuple[set[int], set[int]],
) -> bool:
    i1, i2, j1, j2 = region
    removed, added = _lines(old[i1:i2]), _lines(new[j1:j2])
    old_imports, new_imports = imports
    if (removed is None or set(range(removed[0], removed[1] + 1)) <= old_imports) and (
        added is None or set(range(added[0], added[1] + 1)) <= new_imports
    ):
        return True
    if removed is not None:
        if _covers(edits, *removed, insertion=False):
            return True
        # An import a fix leaves unused goes with it: each line holding a removed token is an import line or
        # one a reported edit replaces.
        changed = {line for edit in edits for line in range(edit.line, edit.end_line)}
        # Comments are left to the line check (`unreported_line_changes`): the token alignment may move one
        # across a deleted import line without any change of the text around it.
        held = {
            line
            for token in old[i1:i2]
            if token.kind not in STRUCTURE | {tokenize.COMMENT, tokenize.NL}
            for line in range(token.start, token.end + 1)
        }
        return held <= changed | old_imports
    if all(token.kind in STRUCTURE | {tokenize.COMMENT, tokenize.NL} for token in new[j1:j2]):
        # Comments only: the other half of such a move (see above), which the line check judges.
        return True
    first = old[i1 - 1].end if i1 > 0 else 1
    last = old[i1].start if i1 < len(old) else (old[-1].end + 1 if old else 1)
    return _covers(edits, first, last, insertion=True)


def unreported_changes(before: bytes, after: bytes, edits: Sequence[TextEdit]) -> list[str]:
    """Token regions that changed outside every reported edit and outside every import statement."""
    old, new = tokens(before), tokens(after)
    imports = import_lines(before), import_lines(after)
    a, b = [(t.kind, t.text) for t in old], [(t.kind, t.text) for t in new]
    problems = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if any(_region_ok(old, new, region, edits, imports) for region in _slides(a, b, i1, i2, j1, j2)):
            continue
        removed = _lines(old[i1:i2])
        was = " ".join(t.text or tokenize.tok_name[t.kind] for t in old[i1:i2])
        now = " ".join(t.text or tokenize.tok_name[t.kind] for t in new[j1:j2])
        where = f"lines {removed[0]}-{removed[1]}" if removed else f"line {old[i1 - 1].end if i1 else 1}"
        problems.append(f"{tag} at {where}: {was!r} -> {now!r}")
    return problems


def unreported_line_changes(
    before: str, after: str, edits: Sequence[TextEdit], imports: tuple[set[int], set[int]] = (set(), set())
) -> list[str]:
    """Lines that changed outside every reported edit (blank lines included). `imports`: lines of import
    statements before and after, which may change, and blank lines with them."""
    old, new = before.splitlines(), after.splitlines()

    def ok(region: Region) -> bool:
        i1, i2, j1, j2 = region
        only_imports = all(not old[i].strip() or i + 1 in imports[0] for i in range(i1, i2)) and all(
            not new[j].strip() or j + 1 in imports[1] for j in range(j1, j2)
        )
        near_imports = any(i + 1 in imports[0] for i in range(i1 - 1, i2 + 1)) or any(
            j + 1 in imports[1] for j in range(j1 - 1, j2 + 1)
        )
        if only_imports and near_imports:
            return True  # imports added, and the blank lines around them
        # Old lines i1+1..i2 (1-based) replaced, or new lines inserted between old lines i1 and i1+1.
        replaced = i1 < i2
        return _covers(edits, i1 + 1 if replaced else i1, i2 if replaced else i1 + 1, insertion=not replaced)

    problems = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal" and not any(ok(region) for region in _slides(old, new, i1, i2, j1, j2)):
            problems.append(f"{tag} of lines {i1 + 1}-{i2}: {old[i1:i2]!r} -> {new[j1:j2]!r}")
    return problems


def text_of(source: bytes) -> str:
    """A module's text, decoded as Python would (BOM, coding cookie)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return source.decode(encoding)


def parse_config(path: Path, content: bytes) -> None:
    """A config file pytest reads must still parse as what it is."""
    text = content.decode("utf-8-sig")
    if path.suffix == ".toml":
        tomllib.loads(text)
    else:
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text, source=str(path))


# --------------------------------------------------------------------------------------------------------------
# Running fixes on a project folder.


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".asynclint" not in path.name
    }


def reported_edits(result: RunResult, tier: Applicability) -> dict[str, list[TextEdit]]:
    """The edits each file's fixable diagnostics (of the tier) announce, by displayed path."""
    edits: dict[str, list[TextEdit]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.fix is not None and diagnostic.fix.applicability in allowed(tier):
            edits.setdefault(Path(diagnostic.path).as_posix(), []).extend(diagnostic.fix.edits)
    return edits


def check_fixed_python(name: str, before: bytes, after: bytes, edits: Sequence[TextEdit]) -> None:
    cst.parse_module(after)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        compile(after, name, "exec")
    problems = unreported_changes(before, after, edits)
    assert not problems, f"{name}: the fix changed tokens outside its reported edits: {problems}\n{after.decode()}"
    imports = import_lines(before), import_lines(after)
    problems = unreported_line_changes(text_of(before), text_of(after), edits, imports)
    assert not problems, f"{name}: the fix changed lines outside its reported edits: {problems}\n{after.decode()}"
    lost = imported_targets(before) - imported_targets(after)
    used = used_names(after)
    needed = {target for target in lost if bound_name(target) in used or bound_name(target) not in used_names(before)}
    assert not needed, f"{name}: the fix removed imports still in use, or never unused {sorted(needed, key=str)}"
    check_import_order(before, after)


def fix_and_verify(root: Path, tier: Applicability, select: list[str] | None) -> dict[str, bytes]:
    """One fix run at `tier`, checked against what a check run reported just before; returns the new files."""
    before = snapshot(root)
    report = run([root], cwd=root, select=select)
    assert not report.internal_errors, report.internal_errors
    edits = reported_edits(report, tier)
    result = run([root], cwd=root, fix=tier, select=select)
    assert not result.internal_errors, result.internal_errors
    after = snapshot(root)
    assert set(after) == set(before), "a fix run created or deleted files"
    for name, content in after.items():
        if content == before[name]:
            continue
        if name.endswith(".py"):
            check_fixed_python(name, before[name], content, edits.get(name, []))
        else:
            parse_config(root / name, content)
            problems = unreported_line_changes(before[name].decode(), content.decode(), edits.get(name, []))
            assert not problems, f"{name}: lines changed outside the reported edits: {problems}"
    again = run([root], cwd=root, fix=tier, select=select)
    assert not again.internal_errors, again.internal_errors
    assert again.fixed == 0, "a second fix run fixed something again"
    assert snapshot(root) == after, "a second fix run changed the files again"
    return after


# --------------------------------------------------------------------------------------------------------------
# The tests.


def test_some_rules_have_fixes() -> None:
    assert FIXABLE_RULES, "no rule has an example with an expected fix"
    assert PYTHON_FIXABLE and CONFIG_FIXABLE


@pytest.mark.parametrize("rule", FIXABLE_RULES, ids=[rule.code for rule in FIXABLE_RULES])
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fix_changes_only_reported_spans(rule: type[Rule], data: st.DataObject) -> None:
    """The rule's fixable examples, planted among generated code, fixed with this rule alone or with all."""
    example = data.draw(st.sampled_from([e for r, _, e in FIXABLE if r is rule]), label="example")
    select = data.draw(st.sampled_from([[rule.code], None]), label="select")
    files = example.project_files()
    if example.filename.endswith(".py"):
        files[example.filename] = data.draw(planted(example.code), label="module")
    else:
        files[example.filename] = data.draw(planted_config(example.code), label="config")
        for name in [name for name in files if name.endswith(".py")]:
            files[name] = data.draw(planted(files[name]), label=name)
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), files)
        original = snapshot(root)
        for tier in tiers_of(example):
            fix_and_verify(root, tier, select)
        assert snapshot(root) != original, f"{rule.code}: nothing was fixed in the planted example"


BOM = b"\xef\xbb\xbf"
COOKIE = "# -*- coding: latin-1 -*-\n"
LATIN_COMMENT = "# caf\xe9 cr\xe8me br\xfbl\xe9e\n"

#: How each variant writes a module's text (the example's code, and its expected fix the same way).
VARIANTS: dict[str, Callable[[str], bytes]] = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "bom": lambda text: BOM + text.encode("utf-8"),
    "latin-1": lambda text: (COOKIE + text + LATIN_COMMENT).encode("latin-1"),
    "mode": lambda text: text.encode("utf-8"),
}
#: Config files have no coding cookie (they are UTF-8, maybe with a BOM).
CONFIG_VARIANTS = ("crlf", "bom", "mode")
MODE = 0o754


def _variant_cases() -> Iterable[object]:
    for case in FIXABLE:
        _, name, example = case
        for variant in VARIANTS:
            if not example.filename.endswith(".py") and variant not in CONFIG_VARIANTS:
                continue
            yield pytest.param(case, variant, id=f"{name}-{variant}")


@pytest.mark.parametrize(("case", "variant"), list(_variant_cases()))
def test_fix_preserves_bytes(case: Case, variant: str, tmp_path: Path) -> None:
    """CRLF line endings, a BOM, a latin-1 coding cookie (and a latin-1 comment), the file mode: all kept, and
    the content is the expected fix written the same way."""
    rule, _, example = case
    assert example.expected_fix is not None
    encode = VARIANTS[variant]
    files = example.project_files()
    del files[example.filename]
    root = write_project(tmp_path, files)
    target = root / example.filename
    target.write_bytes(encode(example.code))
    mode = MODE if variant == "mode" else 0o644
    target.chmod(mode)
    tier = Applicability.UNSAFE if example.unsafe_fixes else Applicability.SAFE
    result = run([root], cwd=root, fix=tier, select=[rule.code])
    assert not result.internal_errors, result.internal_errors
    fixed = target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == mode
    if variant == "crlf":
        assert b"\n" not in fixed.replace(b"\r\n", b""), "a fix wrote a bare LF into a CRLF file"
    if variant == "bom":
        assert fixed.startswith(BOM) and not fixed[3:].startswith(BOM)
    if variant == "latin-1":
        assert fixed.startswith(COOKIE.encode()) and LATIN_COMMENT.encode("latin-1") in fixed
        assert fixed.decode("latin-1").endswith(LATIN_COMMENT)
    if example.filename.endswith(".py"):
        cst.parse_module(fixed)
    else:
        parse_config(target, fixed)
    assert fixed == encode(example.expected_fix)
    again = run([root], cwd=root, fix=tier, select=[rule.code])
    assert again.fixed == 0
    assert target.read_bytes() == fixed
    assert stat.S_IMODE(target.stat().st_mode) == mode


def _invalid_examples() -> Iterable[object]:
    for rule in all_rules():
        for index, example in enumerate(rule.invalid):
            yield pytest.param(example, id=f"{rule.code}-{index}")


@pytest.mark.parametrize("example", list(_invalid_examples()))
def test_config_files_written_by_fixes_parse(example: Example, tmp_path: Path) -> None:
    """Every invalid example, fixed with every rule at the unsafe tier: config files a fix writes still parse,
    and a second run changes nothing."""
    root = write_project(tmp_path, example.project_files())
    before = snapshot(root)
    result = run([root], cwd=root, fix=Applicability.UNSAFE)
    assert not result.internal_errors, result.internal_errors
    after = snapshot(root)
    for name, content in after.items():
        if content != before[name] and not name.endswith(".py"):
            parse_config(root / name, content)
    again = run([root], cwd=root, fix=Applicability.UNSAFE)
    assert not again.internal_errors, again.internal_errors
    assert again.fixed == 0, "a second fix run fixed something again"
    assert snapshot(root) == after


#: An `event_loop` override covering the whole suite: its unsafe fix moves the loop scope into the config.
CONFTEST = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.fixture(scope='session')\n"
    "def event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
)
TEST_MODULE = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
PINS = "pytest==9.2.0\npytest-asyncio==1.5.0\n"
CONFIGS = {
    "pytest.ini": "# top\n[pytest]\naddopts = -ra\n; keep\nasyncio_mode = strict\n\n[other]\nx = 1\n",
    "setup.cfg": "[metadata]\nname = demo\n\n[tool:pytest]\naddopts = -ra\n\n[flake8]\nmax = 1\n",
    "tox.ini": "[tox]\nenvlist = py\n\n[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "pyproject.toml": (
        '[project]\nname = "demo"\n\n[tool.pytest.ini_options]\naddopts = "-ra"  # keep\n\n[tool.other]\nx = 1\n'
    ),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_event_loop_migration_edits_config_in_place(name: str, newline: str, tmp_path: Path) -> None:
    """AIO404's unsafe migration writes both loop-scope keys into the config pytest reads (a `FileWrite` of
    another file): it parses, only loop-scope lines change, line endings and mode are kept, and a second run
    writes nothing."""
    text = CONFIGS[name]
    config = tmp_path / name
    root = write_project(tmp_path, {"requirements-dev.txt": PINS, "tests/test_a.py": TEST_MODULE})
    config.write_bytes(text.replace("\n", newline).encode())
    config.chmod(0o640)
    (root / "tests" / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    result = run([root], cwd=root, fix=Applicability.UNSAFE, select=["AIO404"])
    assert not result.internal_errors, result.internal_errors
    written = config.read_bytes()
    assert "event_loop" not in (root / "tests" / "conftest.py").read_text(encoding="utf-8")
    parse_config(config, written)
    if newline == "\r\n":
        assert b"\n" not in written.replace(b"\r\n", b""), "the migration wrote a bare LF into a CRLF file"
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    changed = [line for line in difflib.ndiff(text.splitlines(), written.decode().splitlines()) if line[:1] in "+-"]
    assert changed, "the migration wrote nothing into the config"
    assert all("_loop_scope = " in line for line in changed), changed
    again = run([root], cwd=root, fix=Applicability.UNSAFE, select=["AIO404"])
    assert again.fixed == 0
    assert config.read_bytes() == written


#: Configs in every format pytest reads, none of which sets the default fixture loop scope (AIO602 fixes that).
UNSET_SCOPE = {
    "pytest.ini": "# top\n[pytest]\naddopts = -ra\n; keep\n\n[other]\nx = 1\n",
    "setup.cfg": "[metadata]\nname = demo\n\n[tool:pytest]\naddopts = -ra\n\n[flake8]\nmax = 1\n",
    "tox.ini": "[tox]\nenvlist = py\n\n[pytest]\naddopts = -ra\n",
    "pyproject.toml": '[project]\nname = "demo"\n\n[tool.pytest.ini_options]\naddopts = "-ra"  # keep\n',
    "pytest.toml": '[pytest]\naddopts = ["-ra"]\n',
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", list(UNSET_SCOPE))
def test_config_rule_fix_in_every_config_format(name: str, newline: str, tmp_path: Path) -> None:
    """A config rule's line edit (AIO602) in each format: one line added, the file still parses, its line
    endings and mode are kept, and a second run writes nothing."""
    text = UNSET_SCOPE[name]
    config = tmp_path / name
    root = write_project(tmp_path, {"requirements-dev.txt": PINS, "tests/test_a.py": TEST_MODULE})
    config.write_bytes(text.replace("\n", newline).encode())
    config.chmod(0o600)
    report = run([root], cwd=root)
    edits = reported_edits(report, Applicability.SAFE).get(name, [])
    assert edits, f"AIO602 offered no fix for {name}: {report.diagnostics}"
    result = run([root], cwd=root, fix=Applicability.SAFE)
    assert not result.internal_errors, result.internal_errors
    written = config.read_bytes()
    parse_config(config, written)
    if newline == "\r\n":
        assert b"\n" not in written.replace(b"\r\n", b""), "the fix wrote a bare LF into a CRLF file"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert not unreported_line_changes(text, written.decode(), edits)
    changed = [line for line in difflib.ndiff(text.splitlines(), written.decode().splitlines()) if line[:1] in "+-"]
    assert len(changed) == 1 and changed[0].startswith("+ asyncio_default_fixture_loop_scope = "), changed
    again = run([root], cwd=root, fix=Applicability.SAFE)
    assert again.fixed == 0
    assert config.read_bytes() == written


# --------------------------------------------------------------------------------------------------------------
# Regressions: each of these once failed.


def test_added_import_is_placed_before_its_first_use(tmp_path: Path) -> None:
    """AIO101 on a module whose only import comes after the test: `import pytest` goes to the top, above the
    decorator that needs it, not next to the late `import json` (importing the module would raise NameError)."""
    before = "async def test_fetch():\n    pass\n\n\nimport json\n"
    root = write_project(tmp_path, {"pytest.ini": "[pytest]\n", "requirements-dev.txt": PINS, "test_a.py": before})
    run([root], cwd=root, fix=Applicability.SAFE, select=["AIO101"])
    after = (root / "test_a.py").read_text(encoding="utf-8")
    assert "@pytest.mark.asyncio" in after
    check_import_order(before.encode(), after.encode())


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(BOM + b"%s", id="bom"),
        pytest.param(COOKIE.encode() + b"%s\ncaf\xe9 = 1\n", id="latin-1-identifier"),
    ],
)
def test_coroutine_analysis_reads_non_utf8_modules(encoded: bytes, tmp_path: Path) -> None:
    """A module calling its own coroutine without `await` gets AIO201 when the file starts with a BOM, or is
    latin-1 with a non-ASCII identifier: its own definitions are read from the text as Python decodes it."""
    code = (
        b"import pytest\n\nasync def fetch_data():\n    return 1\n\n"
        b"@pytest.mark.asyncio\nasync def test_fetch():\n    fetch_data()\n"
    )
    root = write_project(tmp_path, {"pytest.ini": "[pytest]\n", "requirements-dev.txt": PINS})
    (root / "test_a.py").write_bytes(encoded % code)
    found = [d.code for d in run([root], cwd=root, select=["AIO201"]).diagnostics]
    assert found == ["AIO201"]


def test_config_fixes_converge_in_one_run(tmp_path: Path) -> None:
    """`asyncio_mode = Auto` in a pytest-asyncio project: one `--fix` lowercases it (AIO601) and also sets the
    loop scope AIO602 only asks for once the mode is valid; a second `--fix` has nothing left to do."""
    root = write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_mode = Auto\n",
            "requirements-dev.txt": PINS,
            "test_a.py": "def test_a():\n    pass\n",
        },
    )
    first = run([root], cwd=root, fix=Applicability.SAFE)
    assert first.fixed
    fixed = (root / "pytest.ini").read_bytes()
    again = run([root], cwd=root, fix=Applicability.SAFE)
    assert (again.fixed, (root / "pytest.ini").read_bytes()) == (0, fixed)


def test_migration_and_config_fixes_in_one_run(tmp_path: Path) -> None:
    """`--fix --unsafe-fixes` with every rule, on a conftest whose session `event_loop` covers the suite and a
    pytest.ini that does not set the loop scope: AIO602's fix writes pytest.ini, and AIO404's migration, which
    also rewrites pytest.ini, is redone from the new content in the same run instead of being refused."""
    root = write_project(
        tmp_path,
        {"pytest.ini": "[pytest]\n", "requirements-dev.txt": PINS, "conftest.py": CONFTEST, "test_a.py": TEST_MODULE},
    )
    result = run([root], cwd=root, fix=Applicability.UNSAFE)
    assert not result.internal_errors, result.internal_errors
    assert "event_loop" not in (root / "conftest.py").read_text(encoding="utf-8")
