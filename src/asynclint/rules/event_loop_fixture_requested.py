"""AIO405: event-loop-fixture-requested."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.syntax import all_names, is_docstring
from asynclint.diagnostics import Applicability, FixAvailability, ImportRequest, NodeFix
from asynclint.model.facts import Function
from asynclint.model.loops import Era, asyncio_version
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\n\n\n"
#: Plugins named in `pytest_plugins` that are known not to define `event_loop`.
_KNOWN_PLUGINS = frozenset({"pytester", "pytest_asyncio", "pytest_asyncio.plugin", "anyio", "pytest_mock"})


class EventLoopFixtureRequested(Rule):
    """
    ## What it does
    Finds tests and fixtures that request the `event_loop` fixture (as a parameter or through `usefixtures`)
    when the project defines none of its own, in a project that uses pytest-asyncio. Where pytest-asyncio is
    not known to be in use (`-p no:asyncio`, no sign of it), or another plugin the project depends on provides
    `event_loop` (aiomisc-pytest's), requesting it is fine.

    ## Why is this bad?
    pytest-asyncio 1.0 removed `event_loop`: the test errors in setup with "fixture 'event_loop' not found".
    pytest-asyncio 0.23 to 0.26 warn when an async test or fixture requests it. Inside `async def`, the running
    loop is `asyncio.get_running_loop()`.

    ## Example
    ```python
    @pytest.mark.asyncio
    async def test_call_later(event_loop):
        event_loop.call_later(0.1, done)
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_call_later():
        event_loop = asyncio.get_running_loop()
        event_loop.call_later(0.1, done)
    ```

    ## Fix safety
    Safe in an `async def` test or fixture: removes the parameter and, where the body uses the name, binds it
    to `asyncio.get_running_loop()` on the first line (adding `import asyncio` when needed). A sync test or
    fixture has no running loop: it must become async, so it gets no fix.
    """

    code = "AIO405"
    name = "event-loop-fixture-requested"
    finds = "a test or fixture requesting `event_loop` when the project defines none (a setup error from 1.0)"
    fix_summary = "safe in `async def`"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("event_loop",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}@pytest.mark.asyncio\nasync def test_loop():\n    asyncio.get_running_loop()\n"),
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_loop(event_loop):\n    pass\n",
            files={"requirements-dev.txt": "pytest==7.4.4\npytest-asyncio==0.21.2\n"},
        ),
        Example(
            f"{_HEAD}@pytest.fixture\ndef event_loop():\n    yield asyncio.new_event_loop()\n\n\n"
            "def test_loop(event_loop):\n    pass\n"
        ),
        Example(
            "async def test_loop(event_loop):\n    await event_loop.create_future()\n",
            files={"requirements-dev.txt": "pytest==9.0.2\npytest-asyncio==1.3.0\naiomisc-pytest==2.0.0\n"},
        ),
        Example(
            "def test_loop(event_loop):\n    event_loop.run_until_complete(None)\n",
            files={"pytest.ini": "[pytest]\naddopts = -p no:asyncio\n"},
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest.mark.asyncio\nasync def test_loop(event_loop, tmp_path):\n"
            '    """Docs."""\n    event_loop.call_soon(print)\n',
            expected_fix=(
                f"{_HEAD}@pytest.mark.asyncio\nasync def test_loop(tmp_path):\n"
                '    """Docs."""\n    event_loop = asyncio.get_running_loop()\n    event_loop.call_soon(print)\n'
            ),
        ),
        Example(
            "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_loop(tmp_path, event_loop):\n    pass\n",
            expected_fix="import pytest\n\n\n@pytest.mark.asyncio\nasync def test_loop(tmp_path):\n    pass\n",
        ),
        Example("import pytest\n\n\ndef test_loop(event_loop):\n    event_loop.run_until_complete(None)\n"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or (function.fixture is None and self.ctx.test(node) is None):
            return
        as_parameter = "event_loop" in function.argnames
        through_mark = any(mark.name == "usefixtures" and "event_loop" in mark.args for mark in function.marks.marks)
        if not as_parameter and not through_mark:
            return
        if function.fixture is not None and function.fixture.name == "event_loop":
            return  # an override requesting the original: AIO404's
        if not self._provided_by_pytest_asyncio(function):
            return
        version = asyncio_version(self.model.versions)
        if version.era is Era.EVENT_LOOP:
            return
        kind = "fixture" if function.fixture is not None else "test"
        how = "requests" if as_parameter else "uses (through `usefixtures`)"
        if version.at_least("1.0") is False:
            if not function.is_async:
                return  # sync consumers get the loop without a warning before 1.0
            outcome = f"{version.described} warns that this is deprecated; from 1.0 it is a setup error"
        else:
            assumed = "" if version.known else f" ({version.described})"
            outcome = f"pytest-asyncio 1.0 removed it: setup fails with \"fixture 'event_loop' not found\"{assumed}"
        advice = (
            "use `asyncio.get_running_loop()`"
            if function.is_async
            else f"make the {kind} `async def` and use `asyncio.get_running_loop()`"
        )
        message = f"{kind} `{function.name}` {how} the `event_loop` fixture: {outcome}; {advice}"
        fix = self._fix(node) if as_parameter and function.is_async else None
        self.report_function(node, message, fix=fix)

    def _provided_by_pytest_asyncio(self, function: Function) -> bool:
        """pytest-asyncio is in use, and no `event_loop` of the project's own or of another plugin is visible
        (and none can hide in a plugin asynclint cannot read)."""
        if self.model.asyncio_evidence is None or self.model.directory.environment.event_loop_plugin is not None:
            return False
        fixtures = self.model.fixtures
        if fixtures.unreadable is not None:
            return False
        if any(name not in _KNOWN_PLUGINS for name in self.model.directory.unread_plugins):
            return False
        class_fixtures = self.model.class_fixtures(function.class_qualname)
        return not fixtures.definitions("event_loop", class_fixtures)

    def _fix(self, node: cst.FunctionDef) -> NodeFix | None:
        params = list(node.params.params)
        kept = [p for p in params if p.name.value != "event_loop"]
        if len(kept) == len(params):
            return None  # keyword-only or positional-only: left alone
        if kept and kept[-1] is not params[-1]:
            kept[-1] = kept[-1].with_changes(comma=params[-1].comma)
        new = node.with_changes(params=node.params.with_changes(params=kept))
        imports: tuple[ImportRequest, ...] = ()
        if "event_loop" in set(all_names(node.body)):
            bindings = self.model.summary.imports.bindings
            if "asyncio" in bindings and bindings["asyncio"] != "asyncio":
                return None
            if "asyncio" not in bindings:
                imports = (ImportRequest("asyncio"),)
            body = node.body
            if not isinstance(body, cst.IndentedBlock):
                return None
            statements = list(body.body)
            position = 1 if statements and is_docstring(statements[0]) else 0
            statements.insert(position, cst.parse_statement("event_loop = asyncio.get_running_loop()\n"))
            new = new.with_changes(body=body.with_changes(body=statements))
        return NodeFix(
            "Use `asyncio.get_running_loop()` instead of the `event_loop` fixture",
            Applicability.SAFE,
            {node: new},
            imports,
        )
