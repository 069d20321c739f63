"""AIO303: mark-on-fixture."""

from __future__ import annotations

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import FixAvailability
from asynclint.edits import remove_mark_fix
from asynclint.rule import Example, Rule

_PA = "import pytest\nimport pytest_asyncio\n\n\n"


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
    Safe: removes the mark, which never had an effect. Unsafe when a comment sits on the mark's line (the fix
    would drop it).
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
            expected_fix=f"{_PA}@pytest_asyncio.fixture\nasync def client():\n    return 1\n",
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
            self.report(decorator, message, fix=remove_mark_fix(node, decorator))
