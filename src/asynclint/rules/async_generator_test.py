"""AIO103: async-generator-test."""

from __future__ import annotations

import libcst as cst

from asynclint import runtime
from asynclint.model.collection import Owner
from asynclint.rule import Example, Rule


class AsyncGeneratorTest(Rule):
    """
    ## What it does
    Finds `async def` tests whose own body contains `yield`, which makes them async generators.

    ## Why is this bad?
    pytest-asyncio cannot run an async generator as a test. pytest-asyncio 0.23 and later report it as xfail
    "[NOTRUN] Tests based on asynchronous generators are not supported"; 0.21 reports it as passed without
    running it. Without a mark it never runs at all. The `yield` usually belongs in a fixture.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_stream():
        conn = await connect()
        yield conn
        assert conn.closed
    ```

    Use instead:
    ```python
    @pytest_asyncio.fixture
    async def conn():
        conn = await connect()
        yield conn

    @pytest.mark.asyncio
    async def test_stream(conn):
        ...
    ```

    ## Fix safety
    There is no automatic fix: what the `yield` was meant to do cannot be known.
    """

    code = "AIO103"
    name = "async-generator-test"
    finds = 'an `async def` test containing `yield` (xfail "[NOTRUN]" on pytest-asyncio >= 0.23, a silent pass on 0.21)'
    triggers = ("yield",)

    valid = (
        Example(
            "import pytest\n\n@pytest.mark.asyncio\nasync def test_stream():\n"
            "    async def gen():\n        yield 1\n    assert [x async for x in gen()] == [1]\n"
        ),
        Example("import pytest_asyncio\n\n@pytest_asyncio.fixture\nasync def conn():\n    yield 1\n"),
    )
    invalid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_stream():\n    yield 1\n"),
        Example("import pytest\n\nasync def test_stream():\n    yield 1\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or not test.function.is_generator:
            return
        if test.owner is not Owner.PYTEST_ASYNCIO:
            return  # other runners: their behaviour with async generators is not asynclint's to state
        marked = bool(test.asyncio_marks) or self.model.settings.asyncio_mode == "auto"
        outcome = runtime.async_generator_test(self.model.versions, marked)
        message = (
            f"async test `{test.function.name}` contains `yield`, which makes it an async generator that "
            f"pytest-asyncio cannot run: {outcome}; move the `yield` into a fixture"
        )
        self.report_function(node, message)
