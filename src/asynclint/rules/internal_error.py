"""AIO000: internal-error."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rule import Example, Rule

#: Where bugs in asynclint are reported.
ISSUES = "https://github.com/asynclint/asynclint/issues"


class InternalError_(Rule):
    """
    ## What it does
    Reports a file asynclint failed on, because of a bug in asynclint itself: the file was not checked.

    The failure may be an exception in a rule or in the model, or the worker process linting the file
    crashing. The finding sits at line 1 of the file, in every output format (text, JSON, SARIF, JUnit,
    GitLab, GitHub annotations), the same error is printed on standard error, and the run exits with status
    2. The other files are linted as usual.

    ## Why is this bad?
    The file was not checked: whatever asynclint would have found in it is missing from the report, so a
    clean result for that file means nothing. Like AIO001, this finding cannot be turned off: `--ignore`,
    `per-file-ignores` and `# noqa` do not silence it, and a run that has it is never answered from the
    results cache.

    ## Example
    What a run shows (one line, wrapped here):
    ```text
    tests/test_api.py:1:1: AIO000 asynclint failed on this file (RecursionError: maximum recursion depth
    exceeded), so it was not checked: please report a bug with the file at
    https://github.com/asynclint/asynclint/issues
    ```

    What to do: report a bug at https://github.com/asynclint/asynclint/issues with the file (or the smallest
    part of it that still fails), the error printed on standard error and `asynclint --version`. Until it is
    fixed, exclude the file (`extend-exclude` in `[tool.asynclint]`) if the rest of the run must pass.

    ## Fix safety
    There is no automatic fix: the bug is in asynclint, not in the file.
    """

    code = "AIO000"
    name = "internal-error"
    finds = "a file asynclint failed on (a bug in asynclint: the file was not checked; exit status 2)"
    reported_by_engine: ClassVar[bool] = True
    file_kinds: ClassVar[frozenset[str]] = frozenset()
    #: No source makes asynclint fail on purpose (each one that did was a bug, and is fixed): there is no invalid
    #: example, and no corpus case.
    invalid = ()
    valid = (Example("async def helper():\n    pass\n"),)


def internal_error_message(detail: str) -> str:
    """The finding's message for an internal error (`detail`: the exception, or that the worker crashed)."""
    return (
        f"asynclint failed on this file ({detail}), so it was not checked: please report a bug with the file at "
        f"{ISSUES}"
    )
