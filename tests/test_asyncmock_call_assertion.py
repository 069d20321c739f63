"""AIO204 stays silent where the project's warning filters make a never-awaited coroutine fail the test."""

from __future__ import annotations

import pytest

from asynclint.rules.asyncmock_call_assertion import _never_awaited_is_an_error


@pytest.mark.parametrize(
    ("filters", "fails"),
    [
        ((), False),
        (("error",), True),
        (("error::RuntimeWarning",), True),
        (("error", "ignore::DeprecationWarning"), True),
        (("error", "ignore::RuntimeWarning"), False),  # the later filter wins for RuntimeWarning
        (("ignore::RuntimeWarning", "error"), True),
        (("error::DeprecationWarning",), False),
        (("error:unclosed.*:RuntimeWarning",), False),  # only the RuntimeWarnings whose message matches
        (("default",), False),
    ],
)
def test_never_awaited_is_an_error_as_pytest_applies_the_filters(filters: tuple[str, ...], fails: bool) -> None:
    assert _never_awaited_is_an_error(filters) is fails
