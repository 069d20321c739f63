"""AIO402: test-and-fixture-in-different-loops."""

from __future__ import annotations

import libcst as cst

from asynclint.analysis.async_fixtures import runs_fixture
from asynclint.analysis.loop_mismatch import loop_mismatch
from asynclint.diagnostics import FixAvailability
from asynclint.model.collection import Owner
from asynclint.model.loops import Era, asyncio_version, fixture_loop, loop_of_test
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"
_POOL = "class Pool:\n    async def fetch(self):\n        pass\n\n\n"


class TestAndFixtureInDifferentLoops(Rule):
    """
    ## What it does
    Finds asyncio tests that use (directly or through other fixtures) an async fixture running in a different
    event loop than the test: a session-scoped fixture without `loop_scope` used by function-loop tests, a
    `loop_scope="session"` test using a function-loop fixture, and so on. The message says how each loop scope
    was decided (mark, fixture argument, config default). Reported only when the mismatch is certain to fail:
    the fixture's body ties it to its loop (it hands out the loop itself, a future or a task of it, or streams
    opened in it, or it leaves a task or a server running in it), or pytest-asyncio 0.23 to 0.26 refuse the
    combination outright. Anything else is not reported: a plain value or an object with coroutine methods
    crosses loops unharmed, and an asyncio queue, lock or event binds to the loop of its first wait (only a
    later test in another loop that waits on the same one fails). Before pytest-asyncio 1.0, a test runs in
    the loop an `event_loop` override hands out: an override that makes no loop of its own (`return
    asyncio.get_event_loop()`) may hand out the very loop the scoped fixtures run in, so nothing is reported
    where one is visible.

    ## Why is this bad?
    Both run, but in different loops, and only one loop runs at a time: the fixture's loop is idle while the
    test runs. Awaiting a future or task of the fixture's loop, or reading its streams, fails with "got Future
    attached to a different loop"; a task or server it started makes no progress during the test.
    pytest-asyncio 0.23 to 0.26 also fail collection with `MultipleEventLoopsRequestedError` when a test with a
    wider loop requests a function-loop fixture.

    ## Example
    ```python
    @pytest_asyncio.fixture(scope="session")
    async def server():              # runs in the session loop (its caching scope)
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        yield server.sockets[0].getsockname()[1]
        server.close()

    @pytest.mark.asyncio             # runs in a function loop (the default)
    async def test_ping(server):
        reader, writer = await asyncio.open_connection("127.0.0.1", server)
        ...
    ```

    Use instead: run both in the same loop, e.g. `@pytest.mark.asyncio(loop_scope="session")` on the tests, or
    `asyncio_default_test_loop_scope = session` in the config.

    ## Fix safety
    No automatic fix: which loop is right depends on how isolated the tests must be.
    """

    __test__ = False  # a rule, not a test class pytest should collect

    code = "AIO402"
    name = "test-and-fixture-in-different-loops"
    finds = (
        "an asyncio test using an async fixture that runs in another loop and whose body ties it to that loop "
        "(it hands out the loop, a future, task or streams of it, or leaves a task or server running in it): "
        '"attached to a different loop", with how each loop scope was decided'
    )
    fix_availability = FixAvailability.NONE
    triggers = ("async",)

    valid = (
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session')\nasync def name():\n    return 'db'\n\n\n"
            "@pytest.mark.asyncio\nasync def test_query(name):\n    pass\n"
        ),
        Example(
            f"{_HEAD}{_POOL}@pytest_asyncio.fixture(scope='session')\nasync def pool():\n    return Pool()\n\n\n"
            "@pytest.mark.asyncio\nasync def test_query(pool):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session')\nasync def queue():\n    return asyncio.Queue()\n\n\n"
            "@pytest.mark.asyncio\nasync def test_queue(queue):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session', loop_scope='session')\nasync def loop():\n"
            "    return asyncio.get_running_loop()\n\n\n"
            "@pytest.mark.asyncio(loop_scope='session')\nasync def test_loop(loop):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture\nasync def job():\n    task = asyncio.create_task(asyncio.sleep(0))\n"
            "    await task\n    return task.result()\n\n\n"
            "@pytest.mark.asyncio(loop_scope='module')\nasync def test_job(job):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session')\nasync def loop():\n"
            "    return asyncio.get_running_loop()\n\n\n"
            "@pytest.mark.asyncio\nasync def test_loop(loop):\n    pass\n",
            files={"requirements-dev.txt": "pytest==7.4.4\npytest-asyncio==0.21.2\n"},
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}@pytest_asyncio.fixture(scope='session')\nasync def loop():\n"
            "    return asyncio.get_running_loop()\n\n\n"
            "@pytest.mark.asyncio\nasync def test_loop(loop):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture\nasync def ready():\n"
            "    future = asyncio.get_running_loop().create_future()\n    yield future\n\n\n"
            "@pytest.mark.asyncio(loop_scope='module')\nasync def test_ready(ready):\n    pass\n"
        ),
        Example(
            f"{_HEAD}async def tick():\n    pass\n\n\n@pytest_asyncio.fixture(scope='module')\nasync def ticker():\n"
            "    task = asyncio.create_task(tick())\n    yield\n    task.cancel()\n\n\n"
            "@pytest.mark.asyncio\nasync def test_ticks(ticker):\n    pass\n"
        ),
        Example(
            f"{_HEAD}@pytest_asyncio.fixture\nasync def name():\n    return 'db'\n\n\n"
            "@pytest.mark.asyncio(loop_scope='module')\nasync def test_query(name):\n    pass\n",
            files={"requirements-dev.txt": "pytest==8.3.5\npytest-asyncio==0.24.0\n"},
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        test = self.ctx.test(node)
        if test is None or not test.function.is_async or test.owner is not Owner.PYTEST_ASYNCIO:
            return
        if test.marks_unknown is not None or self.model.environment_unknown is not None:
            return
        version = asyncio_version(self.model.versions)
        if version.era is Era.EVENT_LOOP:
            return  # one `event_loop` runs everything
        settings = self.model.settings
        loop = loop_of_test(test.marks, settings, version)
        if loop is None:
            return
        if not (version.known and version.at_least("1.0")) and any(
            fixture.name == "event_loop" and not fixture.makes_loop for fixture in self.model.fixtures.visible()
        ):
            # Before 1.0 a test runs in the loop an `event_loop` override hands out; one that makes no loop of
            # its own (`return asyncio.get_event_loop()`) may hand out the very loop the scoped fixtures run in.
            return
        for fixture in test.closure.definitions:
            if not runs_fixture(fixture, self.model):
                continue
            theirs = fixture_loop(fixture, settings, version)
            outcome = loop_mismatch(loop.scope, fixture, theirs, version) if theirs is not None else None
            if theirs is None or outcome is None:
                continue
            assumed = "" if version.known else f" ({version.described})"
            message = (
                f"test `{test.function.name}` runs in the {loop.scope} loop ({loop.reason}), but its fixture "
                f"`{fixture.name}` runs in the {theirs.scope} loop ({theirs.reason}): {outcome}{assumed}; use the "
                "same loop scope for both"
            )
            self.report_function(node, message)
            return
