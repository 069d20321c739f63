"""AIO303: mark-on-fixture."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.edits import remove_decorator, remove_mark_fix, trailing_comment
from asynclint.rule import Example, Rule

_PA = "import pytest\nimport pytest_asyncio\n\n\n"
SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE


class MarkOnFixture(Rule):
    """
    ## What it does
    Finds `pytest.mark.*` decorators on fixture functions (`@pytest.fixture` or `@pytest_asyncio.fixture`, in
    either order), such as `@pytest.mark.asyncio` stacked on an async fixture.

    ## Why is this bad?
    Marks apply to tests, never to fixtures: the mark does nothing. pytest 8 warns "Marks applied to fixtures
    have no effect", pytest 9.0 turns that warning into a collection error, and pytest 9.1 and later fail
    collection with "Marks cannot be applied to fixtures". An `asyncio` mark on an async fixture does not make
    pytest-asyncio run it: use `@pytest_asyncio.fixture` for that.

    ## Example
    ```python
    @pytest.mark.asyncio
    @pytest_asyncio.fixture
    async def client():
        return Client()
    ```

    Use instead:
    ```python
    @pytest_asyncio.fixture
    async def client():
        return Client()
    ```

    ## Fix safety
    Safe: removes the mark, which never had an effect. A `usefixtures` mark is replaced by what it meant: the
    fixture requests the named fixtures as parameters, so they are set up first. Unsafe when a comment sits on
    the mark's line (the fix would drop it), and for a `usefixtures` mark whose names are computed or that
    cannot become parameters (after `*args`): removing it drops a dependency the author wanted.
    """

    code = "AIO303"
    name = "mark-on-fixture"
    finds = "a `pytest.mark.*` decorator on a fixture: no effect, a warning on pytest 8, a collection error on pytest 9"
    fix_summary = "safe"
    fix_availability = FixAvailability.ALWAYS
    triggers = ("mark",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_PA}@pytest_asyncio.fixture\nasync def client():\n    return 1\n"),
        Example(f"{_PA}@pytest.mark.asyncio\nasync def test_client():\n    pass\n"),
    )
    invalid = (
        Example(
            f"{_PA}@pytest.mark.asyncio\n@pytest_asyncio.fixture\nasync def client():\n    return 1\n",
            expected_fix="import pytest_asyncio\n\n\n@pytest_asyncio.fixture\nasync def client():\n    return 1\n",
        ),
        Example(
            f"{_PA}@pytest.fixture\n@pytest.mark.usefixtures('tmp_path', 'db')\ndef data(request, limit=3):\n"
            "    return 1\n",
            expected_fix=f"{_PA}@pytest.fixture\ndef data(request, tmp_path, db, limit=3):\n    return 1\n",
            files={"conftest.py": "import pytest\n\n\n@pytest.fixture\ndef db():\n    return {}\n"},
        ),
        Example(
            f"{_PA}@pytest.fixture\n@pytest.mark.slow\ndef data():\n    return 1\n",
            expected_fix=f"{_PA}@pytest.fixture\ndef data():\n    return 1\n",
            files={"pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n"},
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or function.fixture is None:
            return
        for mark in function.marks.marks:
            if mark.via != "decorator":
                continue
            decorator = self.ctx.node(mark.key)
            if not isinstance(decorator, cst.Decorator):
                continue
            message = (
                f"fixture `{function.name}` has the `{mark.name}` mark, but marks apply only to tests: "
                f"{runtime.mark_on_fixture(self.model.versions)}"
            )
            fix = remove_mark_fix(node, decorator)
            if mark.name == "usefixtures":
                fix = _requesting_instead(node, decorator, mark.args) or replace(fix, applicability=UNSAFE)
            self.report(decorator, message, fix=fix)


def _requesting_instead(node: cst.FunctionDef, decorator: cst.Decorator, names: tuple[object, ...]) -> NodeFix | None:
    """`@pytest.mark.usefixtures("db")` on a fixture, replaced by the fixture requesting `db` as a parameter:
    what the mark meant (a fixture requests the fixtures it needs by its parameters). None when a name is
    computed, or no parameter can be added before the defaulted or variadic ones."""
    if not names or not all(isinstance(name, str) and name.isidentifier() for name in names):
        return None
    params = node.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT and not isinstance(params.star_arg, cst.ParamStar):
        return None  # `*args`: a parameter after it would be keyword-only, and pytest would not fill it
    present = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    added = [cst.Param(cst.Name(name)) for name in dict.fromkeys(str(name) for name in names) if name not in present]
    plain = list(params.params)
    # Before the first defaulted parameter (pytest does not fill those, and Python wants them last).
    at = next((index for index, param in enumerate(plain) if param.default is not None), len(plain))
    plain[at:at] = added
    requesting = remove_decorator(node, decorator).with_changes(params=params.with_changes(params=plain))
    return NodeFix(
        title="Request the fixtures as parameters instead of the `usefixtures` mark",
        applicability=SAFE if trailing_comment(decorator) is None else UNSAFE,
        replacements={node: requesting},
    )
