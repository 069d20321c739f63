"""`# noqa` comments, as flake8 reads them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asynclint.noqa import ALL, is_suppressed, noqa_lines


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
