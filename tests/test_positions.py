"""asynclint's position pass gives every node the range LibCST's `PositionProvider` gives it."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from asynclint.positions import Positions

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus"
SOURCES = sorted(
    path
    for path in CORPUS.rglob("*.py")
    # The projects whose files do not parse on purpose: a syntax error, and Jinja templates.
    if not {"syntax_error", "cookiecutter_template"} & set(path.parts)
    and not any(part.startswith(".") for part in path.parts)
)
ODD = {
    "crlf and a lone carriage return": b"x = 1\r\ny = (1,\r\n     2)\rz = 3\r\n",
    "tabs, continuation, strings over lines": b'if x:\n\tfoo(1, \\\n\t    2)\n\ts = """a\nb"""\n',
    "decorators, comments, async with": (
        b"# c\n@d  # e\n\n@f(1)\nasync def g(a, *, b=2) -> None:\n    async with h() as i:  # j\n"
        b"        await i\n    return [k async for k in i]\n"
    ),
}


def same_positions(source: bytes) -> None:
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    # Statement by statement, as findings ask for them (in reverse, to start far into the module)...
    lazy = Positions(module, module.code)
    for node, code_range in reversed(list(expected.items())):
        assert lazy[node] == code_range, (type(node).__name__, code_range, lazy[node])
    # ... and the whole module at once.
    ours = Positions(module)
    assert set(ours) == set(expected)
    for node, code_range in expected.items():
        assert ours[node] == code_range, (type(node).__name__, code_range, ours[node])


def test_only_the_statements_asked_about_are_rendered() -> None:
    source = (
        "import pytest\n\n\nclass TestA:\n    def test_a(self):\n        x = 1\n\n"
        "    def test_b(self):\n        y = 2\n"
    )
    module = cst.parse_module(source)
    test_b = module.body[1].body.body[1]  # type: ignore[attr-defined]
    lazy = Positions(module, source)
    assert lazy[test_b.name].start.line == 8
    assert not lazy._complete and lazy._rendered == {test_b}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(CORPUS)))
def test_corpus_files(path: Path) -> None:
    same_positions(path.read_bytes())


@pytest.mark.parametrize("source", ODD.values(), ids=list(ODD))
def test_odd_layouts(source: bytes) -> None:
    same_positions(source)
