"""AIO002: unused-noqa."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

from asynclint.diagnostics import FixAvailability
from asynclint.noqa import Code, CommentEdit, Directive, directives, is_suppressed, noqa_lines, without_codes
from asynclint.rule import Example, Rule

#: asynclint's own codes and code prefixes (`AIO101`, `AIO2`); other linters' codes are never judged.
OWN_CODE = re.compile(r"^AIO\d*$")

_STRICT_TEST = "import pytest\n\n\nasync def test_fetch():  # noqa: AIO101\n    pass\n"


class UnusedNoqa(Rule):
    """
    ## What it does
    Finds a `# noqa: AIO...` code that suppresses nothing, and codes no asynclint rule has (off by default:
    enable it with `--extend-select AIO002`, or `extend-select = ["AIO002"]` in `[tool.asynclint]`).

    A code is judged only when every rule it names ran (`AIO2` names all the AIO2xx rules; with
    `--select AIO101`, a `# noqa: AIO201` is left alone), against what the file finally reports (after
    `--fix`). Other linters' codes (`# noqa: E501`), a bare `# noqa` and a bare `# asynclint: noqa` are
    never reported; a file-wide `# asynclint: noqa: AIO201` is judged against the whole file; a comment that
    names AIO002 itself (`# noqa: AIO101, AIO002`) keeps all its codes.

    Where asynclint's rules stay silent because they cannot know, a `noqa` may be needed all the same, so it
    is not judged: the mark, fixture and loop codes (AIO1xx, AIO3xx, AIO4xx) while the file's asyncio mode or
    who runs its tests is unknown, and the await codes (AIO2xx) while the file calls into a package asynclint
    cannot read without the project's environment. A rule that is silent about one test it cannot judge (an
    unknown decorator) is not seen: a `noqa` kept for such a test is reported, and `# noqa: AIO101, AIO002`
    keeps it.

    ## Why is this bad?
    A `noqa` that outlived its finding (the test was fixed, the rule changed) silences the next real mistake
    on that line without anyone noticing; a misspelled code (`AIO110` for `AIO101`) silences nothing.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_fetch():  # noqa: AIO101, E501
        ...
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():  # noqa: E501
        ...
    ```

    ## Fix safety
    Safe: it removes only the unused and unknown codes, which suppress nothing, keeping the other codes and
    any other comment on the line; the whole directive goes when no code is left.
    """

    code = "AIO002"
    name = "unused-noqa"
    finds = "a `# noqa: AIO...` that suppresses nothing, or names no rule"
    fix_summary = "safe"
    fix_availability = FixAvailability.ALWAYS
    default_enabled = False
    reported_by_engine: ClassVar[bool] = True
    file_kinds: ClassVar[frozenset[str]] = frozenset()

    valid = (
        Example(_STRICT_TEST),
        Example("import pytest\n\n\nasync def test_fetch():  # noqa\n    pass\n"),
        Example("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():  # noqa: E501\n    pass\n"),
        Example("# asynclint: noqa: AIO101\nimport pytest\n\n\nasync def test_fetch():\n    pass\n"),
    )
    invalid = (
        Example("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():  # noqa: AIO101, E501\n    pass\n"),
        Example(
            "import pytest\n\n\nasync def test_fetch():  # noqa: AIO101, AIO110  # issue 12\n    pass\n",
            expected_fix="import pytest\n\n\nasync def test_fetch():  # noqa: AIO101  # issue 12\n    pass\n",
        ),
    )


@dataclass(frozen=True)
class UnusedDirective:
    """A directive with codes that suppress nothing (`unused`) or name no rule (`unknown`)."""

    directive: Directive
    unused: tuple[Code, ...]
    unknown: tuple[Code, ...]

    @property
    def message(self) -> str:
        kind = "`# asynclint: noqa`" if self.directive.file_wide else "`# noqa`"
        parts = []
        if self.unused:
            verb = "suppresses" if len(_distinct(self.unused)) == 1 else "suppress"
            where = "in this file" if self.directive.file_wide else "on this line"
            parts.append(f"{_listed(self.unused)} {verb} nothing {where}")
        if self.unknown:
            what = "is not an asynclint code" if len(_distinct(self.unknown)) == 1 else "are not asynclint codes"
            parts.append(f"{_listed(self.unknown)} {what}")
        return f"unused {kind} directive: {'; '.join(parts)}"

    @property
    def fix_title(self) -> str:
        removed = {*self.unused, *self.unknown}
        if all(code in removed for code in self.directive.codes):
            return "Remove the `noqa` directive"
        return f"Remove {_listed((*self.unused, *self.unknown))} from the `noqa` directive"

    def edit(self, lines: Sequence[str]) -> CommentEdit:
        """The fix, given the file's lines (line endings included)."""
        return without_codes(lines[self.directive.line - 1], self.directive, {*self.unused, *self.unknown})


def _distinct(codes: Sequence[Code]) -> list[str]:
    return list(dict.fromkeys(code.upper for code in codes))


def _listed(codes: Sequence[Code]) -> str:
    return ", ".join(f"`{code}`" for code in _distinct(codes))


def find_unused(text: str, reported: Collection[tuple[int, str]], ran: Collection[str]) -> list[UnusedDirective]:
    """The file's directives with unused or unknown asynclint codes.

    This rule depends on what the other rules report, so it is no visitor: the engine calls this once a
    file's findings are final (after the other fixes), and applies its fix when no other fix is left. The
    rule class above is where the code, its documentation and its examples live.

    `reported` holds (line, code) for every finding of this file, `# noqa` or not (a suppressed finding is what
    makes a code used); `ran` the codes of the rules that checked it. A code naming a rule that did not run
    could be in use: it is not judged.
    """
    from asynclint.registry import all_rules

    found = directives(text)
    if not found:
        return []
    every = [rule.code for rule in all_rules()]
    suppressions = noqa_lines(text)
    by_line: dict[int, set[str]] = {}
    for line, reported_code in reported:
        by_line.setdefault(line, set()).add(reported_code)
    anywhere = {code for codes in by_line.values() for code in codes}
    unused_directives = []
    for directive in found:
        if not directive.codes or is_suppressed(UnusedNoqa.code, directive.line, suppressions):
            continue
        here = anywhere if directive.file_wide else by_line.get(directive.line, set())
        unused: list[Code] = []
        unknown: list[Code] = []
        for code in directive.codes:
            prefix = code.upper
            if not OWN_CODE.match(prefix):
                continue
            named = [rule for rule in every if rule.startswith(prefix)]
            if not named:
                unknown.append(code)
            elif (
                UnusedNoqa.code not in named
                and all(rule in ran for rule in named)
                and not any(reported_code.startswith(prefix) for reported_code in here)
            ):
                unused.append(code)
        if unused or unknown:
            unused_directives.append(UnusedDirective(directive, tuple(unused), tuple(unknown)))
    return unused_directives
