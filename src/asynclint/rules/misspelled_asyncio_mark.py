"""AIO105: misspelled-asyncio-mark."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import rename_mark
from asynclint.model.facts import Mark
from asynclint.rule import Example, Rule

#: Marks pytest and the common async plugins define; never a misspelling of `asyncio`.
KNOWN_MARKS = frozenset(
    {
        "asyncio",
        "anyio",
        "trio",
        "skip",
        "skipif",
        "xfail",
        "parametrize",
        "usefixtures",
        "filterwarnings",
        "asyncio_cooperative",
        "timeout",
        "flaky",
        "django_db",
    }
)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): `asycnio` is one transposition away."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


class MisspelledAsyncioMark(Rule):
    """
    ## What it does
    Finds marks whose name is within two edits of `asyncio` (`asyncios`, `asycnio`, `async_io`...) and that
    are not registered marks of the project. Not where `-p no:asyncio` turns pytest-asyncio off: an `asyncio`
    mark would mean nothing there either.

    ## Why is this bad?
    pytest treats a misspelled mark as an unknown mark (a warning, or an error with `--strict-markers`) and
    pytest-asyncio never sees an `asyncio` mark: in strict mode the test does not run (see AIO101).

    ## Example
    ```python
    @pytest.mark.asyncios
    async def test_fetch():
        ...
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_fetch():
        ...
    ```

    ## Fix safety
    Safe: the rename is what the mark was meant to be, and a mark name that the project registers itself is
    never reported.
    """

    code = "AIO105"
    name = "misspelled-asyncio-mark"
    finds = "`pytest.mark.asyncios`, `asycnio`... (within two edits of `asyncio`, not a registered mark)"
    fix_summary = "safe"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("mark",)

    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example(
            "import pytest\n\n@pytest.mark.asyncios\nasync def test_fetch():\n    pass\n",
            files={"pytest.ini": "[pytest]\nmarkers =\n    asyncios: our own mark\n"},
        ),
    )
    invalid = (
        Example(
            "import pytest\n\n@pytest.mark.asyncios\nasync def test_fetch():\n    pass\n",
            expected_fix="import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        ),
        Example(
            "import pytest\n\npytestmark = [pytest.mark.asycnio(loop_scope='module')]\n",
            expected_fix="import pytest\n\npytestmark = [pytest.mark.asyncio(loop_scope='module')]\n",
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        if self.model.settings.asyncio_plugin_disabled:
            return
        summary = self.model.summary
        marks: list[Mark] = [*summary.module_marks.marks]
        for info in summary.classes:
            marks.extend(info.marks.marks)
        for function in summary.functions:
            marks.extend(function.marks.marks)
        registered = self.model.registered_markers
        for mark in marks:
            if mark.name in KNOWN_MARKS or mark.name in registered:
                continue
            if edit_distance(mark.name.lower(), "asyncio") > 2 and edit_distance(mark.name, "asyncio") > 2:
                continue
            self._report(mark)

    def _report(self, mark: Mark) -> None:
        target = self.ctx.node(mark.key)
        expression = target.decorator if isinstance(target, cst.Decorator) else target
        if not isinstance(expression, cst.BaseExpression):
            return
        message = (
            f"`pytest.mark.{mark.name}` looks like a misspelled `asyncio` mark: pytest sees an unknown mark and "
            "pytest-asyncio does not run the test it is meant for"
        )
        renamed = rename_mark(expression, mark.name, "asyncio")
        fix = None
        if renamed is not None:
            fix = NodeFix(
                title="Rename the mark to `asyncio`",
                applicability=Applicability.SAFE,
                replacements={expression: renamed},
            )
        self.report(target, message, fix=fix)
