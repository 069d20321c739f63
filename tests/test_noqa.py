"""`# noqa` comments, as flake8 reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asynclint.noqa import ALL, apply_edits, directives, is_suppressed, noqa_lines, with_codes, without_codes


def test_forms() -> None:
    source = (
        "a = 1  # noqa\n"
        "b = 2  # noqa: AIO101\n"
        "c = 3  # NOQA:AIO101,AIO102 E501\n"
        "d = 4  # " + "noqa : AIO101\n"
        "e = '# noqa'\n"
        "f = 5  # type: ignore  # noqa: AIO1\n"
    )
    lines = noqa_lines(source)
    assert lines[1] is ALL
    assert lines[2] == {"AIO101"}
    assert lines[3] == {"AIO101", "AIO102", "E501"}
    assert lines[4] is ALL  # flake8 reads a noqa followed by " :" as a bare noqa
    assert 5 not in lines  # inside a string, not a comment
    assert is_suppressed("AIO105", 6, lines) and not is_suppressed("AIO201", 6, lines)
    assert is_suppressed("AIO999", 1, lines)
    assert not is_suppressed("AIO102", 2, lines)


def test_file_level_noqa() -> None:
    some = noqa_lines("# asynclint: noqa: AIO101, AIO2\nx = 1\n")
    assert is_suppressed("AIO101", 2, some) and is_suppressed("AIO205", 9, some)
    assert not is_suppressed("AIO102", 2, some)
    everything = noqa_lines("x = 1\n# asynclint: noqa\n")
    assert is_suppressed("AIO999", 1, everything)
    assert not noqa_lines("x = '# asynclint: noqa'\n")


@settings(derandomize=True, max_examples=300)
@given(st.text())
def test_never_crashes_on_any_text(text: str) -> None:
    lines = noqa_lines(text)
    for line in lines:
        assert is_suppressed("AIO101", line, lines) in (True, False)


def test_directives_know_where_their_codes_are() -> None:
    source = "x = 1  # type: ignore  # NOQA:AIO101,E501 why\n# asynclint: noqa: AIO2\ny = '# noqa: AIO1'\n"
    line, file_wide = directives(source)
    assert (line.line, line.file_wide, file_wide.line, file_wide.file_wide) == (1, False, 2, True)
    text = source.splitlines()[0]
    # "why" reads as a code, as flake8's pattern reads it: the directive ends after it.
    assert text[line.start : line.end] == "# NOQA:AIO101,E501 why"
    assert [text[code.start : code.end] for code in line.codes] == [code.text for code in line.codes]
    assert [code.text for code in line.codes] == ["AIO101", "E501", "why"]
    assert file_wide.suppresses == {"AIO2"}
    assert directives("x = 1  # noqa\n")[0].suppresses is ALL


def _line_after(line: str, removed: set[str]) -> str:
    (directive,) = directives(line)
    codes = {code for code in directive.codes if code.upper in removed}
    return apply_edits(line, [without_codes(line, directive, codes)])


@pytest.mark.parametrize(
    ("line", "removed", "expected"),
    [
        ("x = 1  # noqa: AIO101, E501  # why\n", {"AIO101"}, "x = 1  # noqa: E501  # why\n"),
        ("x = 1  # noqa:E501,AIO101,W291\n", {"AIO101"}, "x = 1  # noqa:E501,W291\n"),
        ("x = 1  # noqa: AIO101 AIO102\n", {"AIO102"}, "x = 1  # noqa: AIO101\n"),
        ("x = 1  # noqa: AIO101\n", {"AIO101"}, "x = 1\n"),
        ("x = 1  # noqa: AIO101, AIO999\r\n", {"AIO101", "AIO999"}, "x = 1\r\n"),
        ("x = 1  # noqa: AIO101  # why\n", {"AIO101"}, "x = 1  # why\n"),
        ("x = 1  # type: ignore  # noqa: AIO101\n", {"AIO101"}, "x = 1  # type: ignore\n"),
        ("x = 1  # a  # noqa: AIO101  # b\n", {"AIO101"}, "x = 1  # a  # b\n"),
        ("x = 1  # noqa: AIO101 -- flaky\n", {"AIO101"}, "x = 1  # -- flaky\n"),
        ("    # noqa: AIO101\n", {"AIO101"}, ""),
        ("# asynclint: noqa: AIO201, AIO1\n", {"AIO201"}, "# asynclint: noqa: AIO1\n"),
        ("# asynclint: noqa: AIO201", {"AIO201"}, ""),
    ],
)
def test_removing_codes(line: str, removed: set[str], expected: str) -> None:
    assert _line_after(line, removed) == expected


@pytest.mark.parametrize(
    ("line", "added", "expected"),
    [
        ("x = 1\n", ["AIO101"], "x = 1  # noqa: AIO101\n"),
        ("x = 1   \r\n", ["AIO101", "AIO201"], "x = 1  # noqa: AIO101, AIO201\r\n"),
        ("x = 1  # keep\n", ["AIO101"], "x = 1  # keep  # noqa: AIO101\n"),
        ("x = 1  # noqa: AIO101\n", ["AIO201"], "x = 1  # noqa: AIO101, AIO201\n"),
        ("x = 1  # noqa:E501  # why\n", ["AIO101"], "x = 1  # noqa:E501, AIO101  # why\n"),
        ("x = 1  # noqa: E501,W291\n", ["AIO101"], "x = 1  # noqa: E501,W291,AIO101\n"),
        ("x = 1", ["AIO101"], "x = 1  # noqa: AIO101"),
    ],
)
def test_adding_codes(line: str, added: list[str], expected: str) -> None:
    found = directives(line)
    assert apply_edits(line, [with_codes(1, line, found[0] if found else None, added)]) == expected


CODES = st.sampled_from(["AIO101", "AIO2", "AIO999", "E501", "W291", "RUF100", "aio102"])
SEPARATORS = st.sampled_from([", ", ",", " ", " ,  "])
TRAILING = st.sampled_from(["", "  # why", " -- flaky", "  # noqa: E501"])


@settings(derandomize=True, max_examples=300)
@given(
    st.sampled_from(["x = f(1)", "assert x", ""]),
    st.sampled_from(["", "# type: ignore  "]),
    st.lists(CODES, min_size=1, max_size=4),
    SEPARATORS,
    TRAILING,
    st.data(),
)
def test_removing_keeps_everything_else(
    code: str, before: str, codes: list[str], separator: str, trailing: str, data: st.DataObject
) -> None:
    """Whatever is removed, the rest of the directive and the line stay as they were, and still tokenize."""
    line = f"{code}  {before}# noqa: {separator.join(codes)}{trailing}\n"
    (directive, *_) = directives(line)
    removed = data.draw(st.sets(st.sampled_from(directive.codes)))
    after = apply_edits(line, [without_codes(line, directive, removed)])
    kept = [c.text for c in directive.codes if c not in removed]
    assert after.startswith(code.rstrip()) or not code.strip()
    found = directives(after)
    if kept:
        assert [c.text for c in found[0].codes] == kept
        assert after.endswith(trailing + "\n")
    else:
        assert not found or [c.text for c in found[0].codes] == ["E501"]  # only the trailing E501 directive is left
        assert trailing.strip(" #-") in after
    if before:
        assert "# type: ignore" in after
    assert noqa_lines(after).get(1, frozenset()) != ALL or not kept


@settings(derandomize=True, max_examples=200)
@given(
    st.sampled_from(["x = f(1)", "assert x"]),
    st.sampled_from(["", "  # keep", "  # noqa: E501", "  # noqa:AIO101,E501  # why"]),
    st.lists(st.sampled_from(["AIO101", "AIO201", "AIO303"]), min_size=1, max_size=3, unique=True),
)
def test_added_codes_suppress_and_keep_the_rest(code: str, comment: str, added: list[str]) -> None:
    line = f"{code}{comment}\n"
    found = directives(line)
    present = {c.upper for c in found[0].codes} if found else set()
    after = apply_edits(
        line, [with_codes(1, line, found[0] if found else None, [c for c in added if c not in present])]
    )
    suppressions = noqa_lines(after)
    assert all(is_suppressed(c, 1, suppressions) for c in added)
    assert after.startswith(line.rstrip("\n").split("  # noqa")[0].split("  # keep")[0])
    for kept in ("# keep", "E501", "# why"):
        assert (kept in after) == (kept in line)
