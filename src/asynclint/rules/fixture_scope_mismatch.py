"""AIO403: fixture-scope-mismatch."""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst

from asynclint import runtime
from asynclint.diagnostics import FixAvailability
from asynclint.model.facts import FixtureDef
from asynclint.model.loops import Era, asyncio_version, caching_scope, wider
from asynclint.rule import Example, Rule

_HEAD = "import pytest\n\n\n"

#: Function-scoped fixtures that pytest itself provides (a project may still override them).
PYTEST_FUNCTION_FIXTURES = frozenset(
    {
        "tmp_path",
        "tmpdir",
        "monkeypatch",
        "capsys",
        "capsysbinary",
        "capfd",
        "capfdbinary",
        "caplog",
        "recwarn",
        "record_property",
        "record_xml_attribute",
        "pytester",
        "testdir",
        "subtests",
    }
)


class FixtureScopeMismatch(Rule):
    """
    ## What it does
    Finds fixtures that request a fixture with a narrower scope: a `session` or `module` fixture requesting a
    function-scoped one (its own, a conftest's, or pytest's `tmp_path`, `monkeypatch`, `caplog`...). On
    pytest-asyncio 0.21 and 0.23 this includes requesting the function-scoped `event_loop`.

    ## Why is this bad?
    A fixture cached for the whole session cannot depend on something rebuilt for every test. pytest refuses:
    every test using it errors with `ScopeMismatch: You tried to access the function scoped fixture tmp_path
    with a session scoped request object`.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def data_dir(tmp_path):
        return tmp_path / "data"
    ```

    Use instead:
    ```python
    @pytest.fixture(scope="session")
    def data_dir(tmp_path_factory):
        return tmp_path_factory.mktemp("data")
    ```

    ## Fix safety
    No automatic fix: either scope may be the one to change.
    """

    code = "AIO403"
    name = "fixture-scope-mismatch"
    finds = (
        "a fixture requesting a narrower-scoped one (its own, a conftest's, or pytest's `tmp_path`, "
        "`monkeypatch`...): `ScopeMismatch`"
    )
    fix_availability = FixAvailability.NONE
    triggers = ("scope",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.fixture(scope='session')\ndef data(tmp_path_factory):\n    pass\n"),
        Example(f"{_HEAD}@pytest.fixture\ndef one():\n    pass\n\n\n@pytest.fixture\ndef two(one):\n    pass\n"),
        Example(
            f"{_HEAD}@pytest.fixture(scope='session')\ndef tmp_path():\n    pass\n\n\n"
            "@pytest.fixture(scope='session')\ndef data(tmp_path):\n    pass\n"
        ),
    )
    invalid = (
        Example(f"{_HEAD}@pytest.fixture(scope='session')\ndef data(tmp_path):\n    pass\n"),
        Example(
            f"{_HEAD}@pytest.fixture\ndef one():\n    pass\n\n\n@pytest.fixture(scope='module')\ndef two(one):\n"
            "    pass\n"
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if fixture is None:
            return
        scope = caching_scope(fixture)
        if scope is None or scope == "function":
            return
        for requested in fixture.requests:
            found = self._requested_scope(fixture, requested)
            if found is None:
                continue
            their_scope, where = found
            if wider(scope, their_scope):
                message = (
                    f"fixture `{fixture.name}` is {scope}-scoped but requests `{requested}`{where}, which is "
                    f"{their_scope}-scoped: {runtime.scope_mismatch(requested, their_scope, scope)}"
                )
                self.report_function(node, message)
                return

    def _requested_scope(self, fixture: FixtureDef, name: str) -> tuple[str, str] | None:
        """The scope of the definition pytest picks for `name` as requested by `fixture`, and where it is."""
        class_fixtures = self.model.class_fixtures(fixture.class_qualname)
        candidates = self.model.fixtures.definitions(name, class_fixtures)
        if name == fixture.name:
            # Requesting its own name reaches the next definition out (an override).
            candidates = [c for c in candidates if _identity(c) != _identity(fixture)]
        if candidates:
            scope = caching_scope(candidates[0])
            if scope is None:
                return None
            here = Path(self.ctx.path).resolve()
            there = Path(candidates[0].path).resolve()
            where = "" if there == here else f" (from {os.path.relpath(there, here.parent)})"
            return scope, where
        if self.model.fixtures.unreadable is not None or self.model.directory.unread_plugins:
            return None  # a plugin asynclint cannot read may define it
        if name in PYTEST_FUNCTION_FIXTURES:
            return "function", " (pytest's own)"
        if name == "event_loop":
            version = asyncio_version(self.model.versions)
            if version.known and version.era in (Era.EVENT_LOOP, Era.CACHING_SCOPE):
                return "function", " (pytest-asyncio's own)"
        return None


def _identity(fixture: FixtureDef) -> tuple[str, str, str | None]:
    return (str(Path(fixture.path).resolve()), fixture.function, fixture.class_qualname)
