"""AIO205: orphan-task."""

from __future__ import annotations

import libcst as cst

from asynclint.rule import Example, Rule

_HEAD = "import asyncio\nimport pytest\n\n\nasync def worker():\n    pass\n\n\n@pytest.mark.asyncio\n"


class OrphanTask(Rule):
    """
    ## What it does
    Finds `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and `loop.create_task(...)` used as a bare
    statement in a test or fixture: the task is never referenced again. Off by default (ruff's RUF006 covers
    the general case); select it with `--extend-select AIO205`.

    ## Why is this bad?
    Nothing waits for the task, so its failures are never seen. When the test ends, pytest-asyncio 1.1 and
    later cancel it silently at loop teardown; earlier versions close the loop under it and print "Task was
    destroyed but it is pending!". Either way, the work it stood for may not have happened.

    ## Example
    ```python
    async def test_worker():
        asyncio.create_task(worker())
    ```

    Use instead:
    ```python
    async def test_worker():
        task = asyncio.create_task(worker())
        await task
    ```

    ## Fix safety
    No fix: whether to await the task, cancel it, or keep a reference depends on the test.
    """

    code = "AIO205"
    name = "orphan-task"
    finds = "`asyncio.create_task(...)` as a bare statement in a test or fixture"
    default_enabled = False
    triggers = ("create_task", "ensure_future")
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}async def test_worker():\n    task = asyncio.create_task(worker())\n    await task\n"),
        Example(
            f"{_HEAD}async def test_worker():\n    async with asyncio.TaskGroup() as group:\n"
            "        group.create_task(worker())\n"
        ),
    )
    invalid = (Example(f"{_HEAD}async def test_worker():\n    asyncio.create_task(worker())\n"),)

    def visit_Module(self, node: cst.Module) -> None:
        for item in self.ctx.awaits().orphan_tasks:
            message = (
                f"the task from `{item.spawner}(...)` is never referenced: nothing awaits it or sees its errors, "
                "and it is cancelled (or destroyed while pending) when the test's loop closes"
            )
            self.report(item.call, message)
