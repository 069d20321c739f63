"""AIO109: asyncio-mark-on-non-test."""

from __future__ import annotations

import libcst as cst

from asynclint.model.uncollected import uncollected_class, uncollected_function
from asynclint.rule import DEFAULT_EXAMPLE_FILES, Example, Rule

_HEAD = "import pytest\n\n\n"


class AsyncioMarkOnNonTest(Rule):
    """
    ## What it does
    Finds the `asyncio` mark on a function or class of a test module that pytest does not collect as a test:
    a helper whose name does not match `python_functions`, a class whose name does not match
    `python_classes` (or that has an `__init__`), a method of such a class, a non-`test*` method of a
    `unittest.TestCase`.

    ## Why is this bad?
    pytest reads marks only on what it collects, and says nothing about the rest: the mark does nothing.
    Usually it was meant for a test: a helper marked instead of the test that awaits it (which then stays
    unmarked, and in strict mode never runs), or a test whose name pytest does not recognise (`check_login`),
    or a class pytest does not collect (`class UserTests:`), whose tests then never run at all.

    asynclint stays silent where it cannot know what pytest collects: a conftest hook that collects tests
    (`pytest_pycollect_makeitem`...), a plugin that collects its own way (pytest-describe, pytest-cases,
    pytest-bdd), `python_functions` or `python_classes` overridden in `addopts`, an unknown decorator, and a
    name used elsewhere: `test_x = helper` collects the helper under the alias, and a class that other test
    classes derive from passes its marks and tests on to them. The `python_functions` and `python_classes`
    patterns of the project's config are read.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def login(client):
        await client.post("/login")


    async def test_profile(client):
        await login(client)
    ```

    Use instead:
    ```python
    async def login(client):
        await client.post("/login")


    @pytest.mark.asyncio
    async def test_profile(client):
        await login(client)
    ```

    ## Fix safety
    No fix: whether to rename the function or class, or to move the mark to the tests, is for its author to
    say.
    """

    code = "AIO109"
    name = "asyncio-mark-on-non-test"
    finds = (
        "an `asyncio` mark on a function or class pytest does not collect as a test (a helper, a class whose name "
        "does not match `python_classes`): pytest ignores it, and the intended test stays unmarked"
    )
    triggers = ("asyncio",)
    file_kinds = frozenset({"test"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n"),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def aliased():\n    pass\n\n\ntest_alias = aliased\n",
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nclass BaseSuite:\n    async def test_fetch(self):\n        pass\n\n\n"
            "class TestMemory(BaseSuite):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def check_fetch():\n    pass\n",
            files={"pytest.ini": "[pytest]\npython_functions = check_*\n"},
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def check_fetch():\n    pass\n",
            files={
                "conftest.py": "def pytest_pycollect_makeitem(collector, name, obj):\n    return None\n",
                **DEFAULT_EXAMPLE_FILES,
            },
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def login(client):\n    pass\n\n\n"
            "async def test_profile():\n    await login(None)\n"
        ),
        Example(f"{_HEAD}@pytest.mark.asyncio\nclass UserTests:\n    async def test_create(self):\n        pass\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or self.model.asyncio_evidence is None:
            return
        marks = function.marks.named("asyncio")
        if not marks:
            return
        reason = uncollected_function(self.model, function, self.ctx.text)
        if reason is None:
            return
        for mark in marks:
            message = (
                f"the asyncio mark on `{function.name}` does nothing: pytest does not collect it as a test "
                f"({reason}) and reads marks only on tests; if it is a test, rename it; if it is a helper, mark the "
                "tests that use it instead"
            )
            self.report(self.ctx.node(mark.key), message)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        info = self.ctx.class_info(node)
        if info is None or self.model.asyncio_evidence is None:
            return
        marks = info.marks.named("asyncio")
        if not marks:
            return
        reason = uncollected_class(self.model, info, self.ctx.text)
        if reason is None:
            return
        for mark in marks:
            message = (
                f"the asyncio mark on class `{info.name}` does nothing: pytest does not collect the class "
                f"({reason}), so none of its tests run"
            )
            self.report(self.ctx.node(mark.key), message)
