"""A loop over a collection annotated with its element's class (`list[Plug]`, `Sequence[Plug]`) binds an
instance of that class each round, whether the collection is a parameter, a fixture's value or what a helper
returns, also numbered by `enumerate`; unpacking it does too."""

from collections.abc import Sequence

import pytest


class Plug:
    async def turn_off(self) -> None:
        pass

    def label(self) -> str:
        return "plug"


def make_plugs() -> list[Plug]:
    return [Plug(), Plug()]


@pytest.fixture
def plugs() -> Sequence[Plug]:
    return make_plugs()


@pytest.mark.asyncio
async def test_every_plug_turns_off(plugs) -> None:
    for plug in plugs:
        plug.turn_off()  # expect: AIO201
    for plug in make_plugs():
        assert plug.label() == "plug"
        await plug.turn_off()


@pytest.mark.asyncio
async def test_the_first_plug(plugs) -> None:
    first, _ = plugs
    first.turn_off()  # expect: AIO201


def test_plugs_in_a_sync_test(plugs: list[Plug]) -> None:
    for plug in plugs:
        plug.turn_off()  # expect: AIO203


@pytest.mark.asyncio
async def test_numbered_plugs(plugs) -> None:
    for index, plug in enumerate(plugs):
        plug.turn_off()  # expect: AIO201


@pytest.mark.asyncio
async def test_unknown_collections(plugs) -> None:
    for plug in [*plugs]:
        plug.turn_off()  # not followed through a literal
    for left, right in zip(plugs, plugs):
        left.turn_off()  # nor through `zip`
