"""A coroutine kept in a local that is then only checked by builtins that look at the object itself
(`isinstance`, `callable`, `hasattr`) or that iterate it (`sum`, `any`, `next`) never runs, and the check sees
the coroutine object. `isinstance(value, Coroutine)` asks for a coroutine on purpose."""

from collections.abc import Coroutine

import pytest


class Tool:
    def run(self) -> str:
        return "ok"


class Registry:
    async def get_tool(self, name: str) -> Tool:
        return Tool()

    async def sizes(self) -> list[int]:
        return [1, 2]


@pytest.mark.asyncio
async def test_the_tool_is_found() -> None:
    registry = Registry()
    tool = registry.get_tool("echo")  # expect: AIO202
    assert tool is not None
    assert isinstance(tool, Tool)
    assert callable(tool.run)


@pytest.mark.asyncio
async def test_sizes_add_up() -> None:
    assert sum(Registry().sizes()) == 3  # expect: AIO202


@pytest.mark.asyncio
async def test_a_coroutine_on_purpose() -> None:
    pending = Registry().get_tool("echo")
    assert isinstance(pending, Coroutine)
    assert (await pending).run() == "ok"
