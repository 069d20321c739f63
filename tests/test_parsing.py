"""The parse that skips LibCST's node validation builds the very tree LibCST builds, and leaves validation on
for every node built outside it (the nodes fixes make). A big module parsed in pieces is the module a whole
parse gives, node for node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesmith import from_grammar

from asynclint.parsing import PIECEWISE_ABOVE, PieceMemo, parse_in_pieces, parse_module, remember_pieces

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus"
SOURCES = sorted(
    path
    for path in CORPUS.rglob("*.py")
    # The projects whose files do not parse on purpose: a syntax error, and Jinja templates.
    if not {"syntax_error", "cookiecutter_template"} & set(path.parts)
    and not any(part.startswith(".") for part in path.parts)
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(CORPUS)))
def test_same_tree_as_libcst(path: Path) -> None:
    source = path.read_bytes()
    ours, theirs = parse_module(source), cst.parse_module(source)
    assert ours.deep_equals(theirs)
    assert ours.bytes == source


def test_nodes_built_afterwards_are_still_validated() -> None:
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_syntax_errors_still_raise() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def broken(:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("still validated after a failed parse")


# -- big modules, in pieces ---------------------------------------------------------------------------------

#: Each is cut wherever a cut is allowed (pieces of one byte): every boundary below is exercised.
PIECEWISE = {
    "decorators and clauses": (
        "import os\n\n\n@first\n@second(1)\ndef f():\n    pass\n\n\nif os:\n    a = 1\nelif b:\n    pass\n"
        "else:\n    pass\ntry:\n    pass\nexcept OSError:\n    pass\nelse:\n    pass\nfinally:\n    pass\n"
        "for x in y:\n    pass\nelse:\n    pass\nwhile z:\n    pass\nelse:\n    pass\n"
    ),
    "comments and blank lines between statements": (
        "# header\n\n# more header\nimport a\n# right above\nimport b\n\n\n# after blank\n\nx = 1\n"
    ),
    "comments after blocks": (
        "def f():\n    pass\n    # in the block\n\n# at the margin\n\nclass C:\n    x = 1\n        # deeper\n"
        "# margin\ny = 2\nz = 3\n"
    ),
    "indented comments after a simple statement": (
        "X = False     # a\n              # b\n              # c\nif X:\n    pass\nY = 1\n    \nZ = 2\n"
    ),
    "strings and continuations": (
        'x = """\ndef not_a_function():\n    pass\n"""\ny = (1,\n2)\nz = 1 + \\\n    2\na = 1; b = 2\n'
        "c = '''\n@not_a_decorator\n'''\n"
    ),
    "first indented block late, with tabs": "import a\nimport b\nx = 1\nif x:\n\tpass\ny = 2\nif y:\n\tz = 3\n",
    "mixed indentation widths": "def f():\n  pass\ndef g():\n    pass\nclass C:\n        x = 1\n",
    "no trailing newline": "a = 1\nb = 2\nc = 3",
    "coding cookie": "# -*- coding: utf-8 -*-\nimport a\nx = 'h\u00e9'\ny = 1\n",
    "async and match": (
        "async def f():\n    await g()\nmatch x:\n    case 1:\n        pass\n    case _:\n        pass\n"
        "async def h():\n    async with a:\n        pass\n"
    ),
    "match cases indented unlike the file": "if x:\n\tpass\nmatch y:\n    case 1:\n        pass\nz = 1\n",
    "trailing comments at the end": "a = 1\nb = 2\n\n# the end\n\n",
}


@pytest.mark.parametrize("source", PIECEWISE.values(), ids=PIECEWISE.keys())
def test_pieces_join_into_the_whole_module(source: str) -> None:
    data = source.encode("utf-8")
    whole = cst.parse_module(data)
    pieced = parse_in_pieces(data, 1)
    assert pieced is not None
    assert pieced.deep_equals(whole)
    assert pieced.bytes == whole.bytes == data
    assert (pieced.encoding, pieced.default_indent, pieced.default_newline, pieced.has_trailing_newline) == (
        whole.encoding,
        whole.default_indent,
        whole.default_newline,
        whole.has_trailing_newline,
    )


@pytest.mark.parametrize(
    "source",
    [b"x = 1\r\ny = 2\r\n", b"\xef\xbb\xbfx = 1\ny = 2\n", b"x = (\ny = 2\n", b"# only a comment\n", b"x = 1\n"],
    ids=["carriage returns", "bom", "unreadable", "no statement", "one statement"],
)
def test_sources_that_do_not_lend_themselves_are_parsed_whole(source: bytes) -> None:
    assert parse_in_pieces(source, 1) is None


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated programs call literals and the like
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(from_grammar())
def test_generated_programs_in_pieces(source: str) -> None:
    data = source.encode("utf-8")
    try:
        whole = cst.parse_module(data)
    except Exception:
        return  # the whole parse refuses it: the pieces are never used then
    pieced = parse_in_pieces(data, 1)
    if pieced is not None:
        assert pieced.deep_equals(whole)
        assert pieced.bytes == whole.bytes


def test_a_big_module_is_parsed_in_pieces_with_the_same_result() -> None:
    unit = "\n".join(PIECEWISE.values()) + "\n"
    source = (unit * (PIECEWISE_ABOVE // len(unit) + 2)).encode("utf-8")
    assert len(source) > PIECEWISE_ABOVE
    assert parse_in_pieces(source, 4096) is not None
    assert parse_module(source).deep_equals(cst.parse_module(source))


def test_a_string_full_of_code_lines_is_parsed_whole() -> None:
    """Each line of code at the margin inside the string is a cut that fails; past a few, the whole parse."""
    source = ("x = '''\n" + "".join(f"line_{n} = {n}\n" for n in range(20)) + "'''\ny = 1\n").encode()
    assert parse_in_pieces(source, 1) is None
    assert parse_module(source).deep_equals(cst.parse_module(source))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(SOURCES),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["x = 1\n", "\n", "# note\n", "    y = 2\n", ""])), max_size=4
    ),
)
def test_edits_parsed_through_the_memo_give_the_whole_module(path: Path, edits: list[tuple[float, str]]) -> None:
    """As the language server parses: each version of an edited file, its unchanged statements from the memo."""
    memo = PieceMemo(limit=64)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    versions = [b"".join(line.encode() for line in lines)]
    for where, inserted in edits:
        at = round(where * len(lines))
        lines = (
            [*lines[:at], inserted, *lines[at + 1 :]]
            if inserted == "" and at < len(lines)
            else [*lines[:at], inserted, *lines[at:]]
        )
        versions.append("".join(lines).encode())
    for source in versions:
        try:
            whole = cst.parse_module(source)
        except Exception:
            continue  # an edit that breaks the file: the whole parse reports it
        pieced = parse_in_pieces(source, 0, memo)
        if pieced is not None:
            assert pieced.deep_equals(whole)
            assert pieced.bytes == source


def test_with_the_memo_on_every_module_is_parsed_through_it() -> None:
    source = "\n".join(PIECEWISE.values()).encode() + b"\n"
    memo = PieceMemo()
    remember_pieces(memo)
    try:
        first = parse_module(source)
        pieces = len(memo)
        again = parse_module(source + b"z = 4\n")
    finally:
        remember_pieces(None)
    assert pieces > 2
    assert first.deep_equals(cst.parse_module(source))
    assert again.deep_equals(cst.parse_module(source + b"z = 4\n"))
    # Only the last piece changed: it is the one piece the second parse parsed.
    assert len(memo) == pieces + 1
