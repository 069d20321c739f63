"""The line edits machine-readable reports carry: applied to the old text, they give exactly the new one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asynclint.diagnostics import TextEdit
from asynclint.fixer import text_edits

#: Few distinct lines, so that lines repeat the way blank lines and `pass` do in real modules.
LINES = st.lists(st.sampled_from(["\n", "    pass\n", "import pytest\n", "x = 1\n", "@pytest.mark.asyncio\n", "y"]))


def apply(before: str, edits: tuple[TextEdit, ...]) -> str:
    lines = before.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.line, reverse=True):
        assert edit.column == edit.end_column == 1  # whole lines
        lines[edit.line - 1 : edit.end_line - 1] = [edit.content]
    return "".join(lines)


@settings(max_examples=300, derandomize=True)
@given(LINES, LINES)
def test_edits_turn_the_old_text_into_the_new(before: list[str], after: list[str]) -> None:
    old, new = "".join(before), "".join(after)
    assert apply(old, text_edits(old, new)) == new


def test_a_fix_at_both_ends_of_a_long_module_is_two_small_edits() -> None:
    """On a 50,000-line module (diffed whole, it would take minutes): an import at the top, a decorator at
    the end, nothing else."""
    body = "".join(f"def helper_{index}(value):\n    return value\n\n\n" for index in range(12_500))
    old = body + "async def test_x():\n    pass\n"
    new = "import pytest\n" + body + "@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
    edits = text_edits(old, new)
    assert edits == (
        TextEdit("import pytest\n", 1, 1, 1, 1),
        TextEdit("@pytest.mark.asyncio\n", 50_001, 1, 50_001, 1),
    )
    assert apply(old, edits) == new
