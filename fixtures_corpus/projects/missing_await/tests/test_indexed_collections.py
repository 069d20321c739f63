"""An element of a collection is known wherever the collection is: indexed (`plugs[0]`, `plugs[i]`), held in an
attribute the class declares as a collection of one class (`plugs: list[Plug]`), or written out as a tuple, or
as a list or set right where a loop goes over it. A list a name holds may be appended to, so a loop over it is
not judged; nor is a tuple of different classes. A mapping to one class (`dict[str, Plug]`) gives one when
indexed or through `values()`; iterating it gives its keys."""

from collections.abc import Mapping
from typing import List

import pytest


class Plug:
    async def turn_off(self) -> None:
        pass


class Lamp:
    def turn_off(self) -> None:
        pass


class Strip:
    plugs: list[Plug]

    def __init__(self) -> None:
        self.plugs = [Plug(), Plug()]
        self.spares: List[Plug] = []
        self.by_room: dict[str, Plug] = {"hall": Plug()}


def make_plugs() -> list[Plug]:
    return [Plug()]


def plugs_by_room() -> Mapping[str, Plug]:
    return {"hall": Plug()}


@pytest.fixture
def strip() -> Strip:
    return Strip()


@pytest.mark.asyncio
async def test_the_first_plug_turns_off() -> None:
    plugs = make_plugs()
    plugs[0].turn_off()  # expect: AIO201
    plugs[-1].turn_off()  # expect: AIO201


@pytest.mark.asyncio
async def test_a_plug_by_index(strip) -> None:
    for index in range(2):
        strip.plugs[index].turn_off()  # expect: AIO201


@pytest.mark.asyncio
async def test_the_strip_turns_every_plug_off(strip) -> None:
    for plug in strip.plugs:
        plug.turn_off()  # expect: AIO201
    for spare in strip.spares:
        spare.turn_off()  # expect: AIO201


def test_a_sync_test_turns_a_plug_off(strip) -> None:
    strip.plugs[0].turn_off()  # expect: AIO203


@pytest.mark.asyncio
async def test_plugs_written_out() -> None:
    first, second = Plug(), Plug()
    for plug in (first, second):
        plug.turn_off()  # expect: AIO201
    for plug in [Plug(), Plug()]:
        plug.turn_off()  # expect: AIO201
    pair = (first, Lamp())
    pair[0].turn_off()  # expect: AIO201
    pair[1].turn_off()  # a lamp turns off at once


@pytest.mark.asyncio
async def test_collections_not_judged() -> None:
    for device in (Plug(), Lamp()):
        device.turn_off()  # a plug or a lamp: not known
    plugs = [Plug()]
    plugs.append(Lamp())  # type: ignore[arg-type]
    for plug in plugs:
        plug.turn_off()  # a list a name holds may have been changed
    for rest in make_plugs()[1:]:
        rest.turn_off()  # a slice is a list: its element is not looked at


@pytest.mark.asyncio
async def test_plugs_by_room(strip) -> None:
    strip.by_room["hall"].turn_off()  # expect: AIO201
    for plug in strip.by_room.values():
        plug.turn_off()  # expect: AIO201
    for plug in plugs_by_room().values():
        plug.turn_off()  # expect: AIO201
    for room in plugs_by_room():
        room.turn_off()  # a key, not a plug
