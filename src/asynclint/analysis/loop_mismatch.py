"""What goes wrong when a test and a fixture it uses run in different event loops: the shared reasoning of
AIO402 (which reports it) and AIO401 (whose fix must not bring it about)."""

from __future__ import annotations

from asynclint import runtime
from asynclint.model.facts import FixtureDef
from asynclint.model.loops import AsyncioVersion, Era, Loop, caching_scope, wider


def loop_mismatch(test_scope: str, fixture: FixtureDef, theirs: Loop, version: AsyncioVersion) -> str | None:
    """What happens when a test running in the `test_scope` loop uses `fixture`, set up in the loop `theirs`,
    in the words of a finding; None when nothing is known to go wrong (the same loop; a fixture that cannot
    even be set up, AIO401's; a value that crosses loops unharmed)."""
    fixture_scope = caching_scope(fixture)
    if fixture_scope is None or theirs.scope == test_scope:
        return None
    if wider(fixture_scope, theirs.scope):
        return None  # the fixture cannot even be set up: AIO401
    if (
        wider(test_scope, theirs.scope)
        and theirs.scope == "function"
        and (version.era is Era.CACHING_SCOPE or version.at_least("1.0") is False)
        and version.known
    ):
        return f"{version.described} fails collection with MultipleEventLoopsRequestedError"
    if fixture.loop_binding is not None:
        return runtime.loop_bound(*fixture.loop_binding)
    return None  # nothing the fixture's body shows is tied to its loop
