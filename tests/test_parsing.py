"""The parse that skips LibCST's node validation builds the very tree LibCST builds, and leaves validation on
for every node built outside it (the nodes fixes make)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from asynclint.parsing import parse_module

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus"
SOURCES = sorted(
    path
    for path in CORPUS.rglob("*.py")
    if "syntax_error" not in path.parts and not any(part.startswith(".") for part in path.parts)
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
