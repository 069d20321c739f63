"""The fixture index of a test module: every fixture a test there can request, in pytest's override order.

Nearest definition first: the test's class (and its bases), the module (with the fixtures it imports), the
conftest.py files from the module's folder up to the rootdir, then modules loaded through `pytest_plugins`.
Fixtures from pytest itself or installed plugins are not known: requesting one ends the walk there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asynclint.model.facts import FixtureDef


@dataclass(frozen=True, slots=True)
class FixtureClosure:
    """What a test requests, directly and through the fixtures it requests, as pytest will resolve it."""

    names: frozenset[str]
    #: The definitions the names resolve to (only those asynclint can read).
    definitions: tuple[FixtureDef, ...]
    #: Why the closure may hold more than `names` (`request.getfixturevalue`, an unreadable conftest).
    unknown: str | None


@dataclass(frozen=True, slots=True)
class FixtureIndex:
    module: tuple[FixtureDef, ...]
    #: Fixtures of the conftests (nearest first) and of `pytest_plugins` modules.
    outer: tuple[FixtureDef, ...]
    unreadable: str | None
    #: Fixtures the module imports from other modules (`model.fixture_imports`): the module's, for pytest.
    imported: tuple[FixtureDef, ...] = ()

    def visible(self, class_fixtures: Sequence[FixtureDef] = ()) -> list[FixtureDef]:
        """Every definition a test sees, nearest first; several may share a name (overrides)."""
        return [*class_fixtures, *self.module, *self.imported, *self.outer]

    def definitions(self, name: str, class_fixtures: Sequence[FixtureDef] = ()) -> list[FixtureDef]:
        return [definition for definition in self.visible(class_fixtures) if definition.name == name]

    def closure(
        self,
        requested: Sequence[str],
        class_fixtures: Sequence[FixtureDef] = (),
        *,
        dynamic: str | None = None,
    ) -> FixtureClosure:
        """The fixture closure of a test requesting `requested` (autouse fixtures included)."""
        levels = self.visible(class_fixtures)
        by_name: dict[str, list[FixtureDef]] = {}
        for definition in levels:
            by_name.setdefault(definition.name, []).append(definition)
        names = [*requested, *(d.name for d in levels if d.autouse is True)]
        found: set[str] = set()
        used: list[FixtureDef] = []
        unknown = dynamic or self.unreadable
        seen: set[tuple[str, int]] = set()
        pending: list[tuple[str, int]] = [(name, 0) for name in names]
        while pending:
            name, start = pending.pop()
            if (name, start) in seen:
                continue
            seen.add((name, start))
            found.add(name)
            candidates = by_name.get(name, [])
            if start >= len(candidates):
                continue  # provided by pytest or a plugin: a leaf as far as asynclint can see
            definition = candidates[start]
            used.append(definition)
            if definition.dynamic_requests:
                unknown = unknown or f"the fixture `{name}` calls `request.getfixturevalue`"
            if definition.requests_unknown is not None:
                unknown = unknown or f"what the fixture `{name}` requests is not known: {definition.requests_unknown}"
            for requested_name in definition.requests:
                # A fixture that requests its own name gets the next definition out (an override chain).
                pending.append((requested_name, start + 1 if requested_name == name else 0))
        return FixtureClosure(frozenset(found), tuple(used), unknown)
