"""AIO402 reports a test and a fixture in different loops only when the fixture's body ties it to its loop.

Observed with pytest-asyncio 0.23.8, 0.24.0, 1.0.0 and 1.5.0 (session fixtures, function-loop tests): handing
out the loop, a future, a task or streams of it fails with "attached to a different loop"; a task or a server
it leaves running makes no progress during the test. A plain value, an object with coroutine methods, a
queue, lock or event made in the fixture work (a queue or an event binds to the loop of its first wait).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run, write_project

PINS = {"requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n"}
HEAD = "import asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"


def session_fixture(body: str, head: str = HEAD) -> str:
    """A session fixture `thing` with this body, used by a function-loop test."""
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    return (
        f"{head}@pytest_asyncio.fixture(scope='session')\nasync def thing():\n{indented}\n\n"
        "@pytest.mark.asyncio\nasync def test_thing(thing):\n    pass\n"
    )


def findings(root: Path, module: str, files: dict[str, str] | None = None) -> list[str]:
    write_project(root, {**PINS, **(files or {}), "test_it.py": module})
    return [d.message for d in run([root], cwd=root, select=["AIO402"]).diagnostics]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("return asyncio.get_running_loop()", "it hands out its own loop (`asyncio.get_running_loop()`)"),
        ("loop = asyncio.get_event_loop()\nyield loop", "it hands out its own loop (`asyncio.get_event_loop()`)"),
        ("return asyncio.get_running_loop().create_future()", "a future of its loop"),
        ("future = asyncio.Future()\nyield future", "a future of its loop (`asyncio.Future()`)"),
        ("loop = asyncio.get_running_loop()\nreturn loop.run_in_executor(None, sum, [1])", "a future of its loop"),
        ("task = asyncio.ensure_future(asyncio.sleep(1))\nyield task\ntask.cancel()", "a task of its loop"),
        ("return {'job': asyncio.create_task(asyncio.sleep(1))}", "a task of its loop"),
        (
            "reader, writer = await asyncio.open_connection('localhost', 6379)\nyield reader, writer\nwriter.close()",
            "streams opened in its loop (`asyncio.open_connection(...)`)",
        ),
        (
            "server = await asyncio.start_server(print, '127.0.0.1', 0)\nyield server.sockets[0].getsockname()[1]",
            "it starts a server in its loop (`asyncio.start_server(...)`)",
        ),
        (
            "task = asyncio.create_task(asyncio.sleep(3600))\nyield 'ready'\ntask.cancel()\nawait task",
            "it leaves a task running in its loop (`asyncio.create_task(...)`)",
        ),
        ("asyncio.create_task(asyncio.sleep(3600))\nreturn 'ready'", "it leaves a task running in its loop"),
    ],
)
def test_loop_binding_the_body_shows_is_reported(tmp_path: Path, body: str, says: str) -> None:
    (message,) = findings(tmp_path, session_fixture(body))
    assert "runs in the function loop (the default), but its fixture `thing` runs in the session loop" in message
    assert says in message


@pytest.mark.parametrize(
    "body",
    [
        "return {'dsn': 'sqlite://'}",
        "await asyncio.sleep(0)\nyield 'value'",
        "return asyncio.Queue()",
        "return asyncio.Lock()",
        "return asyncio.Event()",
        "return Repository()",
        "task = asyncio.create_task(asyncio.sleep(0, result=1))\nawait task\nreturn task.result()",
        "return await asyncio.create_task(asyncio.sleep(0, result=1))",
        "results = await asyncio.gather(asyncio.create_task(asyncio.sleep(0)))\nreturn results",
        "loop = asyncio.get_running_loop()\nreturn loop.time()",
        "loop, name = asyncio.get_running_loop(), 'db'\nreturn name",
        "return await asyncio.get_running_loop().run_in_executor(None, sum, [1])",
    ],
)
def test_what_crosses_loops_unharmed_is_not_reported(tmp_path: Path, body: str) -> None:
    head = HEAD + "class Repository:\n    async def get(self, key):\n        return key\n\n\n"
    assert findings(tmp_path, session_fixture(body, head)) == []


def test_names_spelled_through_imports(tmp_path: Path) -> None:
    head = "import aio_alias as unrelated\nimport asyncio as aio\nfrom asyncio import get_running_loop\n\n"
    head += "import pytest\nimport pytest_asyncio\n\n\n"
    module = session_fixture("return get_running_loop()", head) + (
        "\n\n@pytest_asyncio.fixture(scope='session')\nasync def job():\n"
        "    return aio.ensure_future(aio.sleep(1))\n\n\n"
        "@pytest.mark.asyncio\nasync def test_job(job):\n    pass\n\n\n"
        "@pytest_asyncio.fixture(scope='session')\nasync def other():\n    return unrelated.get_running_loop()\n\n\n"
        "@pytest.mark.asyncio\nasync def test_other(other):\n    pass\n"
    )
    messages = findings(tmp_path, module)
    assert len(messages) == 2
    assert "`get_running_loop()`" in messages[0] and "`aio.ensure_future(...)`" in messages[1]


def test_a_name_bound_to_something_else_too_says_nothing(tmp_path: Path) -> None:
    body = "loop = asyncio.get_running_loop()\nif loop.is_closed():\n    loop = None\nreturn loop"
    assert findings(tmp_path, session_fixture(body)) == []


def test_the_fixture_in_a_conftest(tmp_path: Path) -> None:
    conftest = session_fixture("return asyncio.get_running_loop()").split("@pytest.mark.asyncio")[0]
    module = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_thing(thing):\n    pass\n"
    (message,) = findings(tmp_path, module, {"conftest.py": conftest})
    assert "it hands out its own loop" in message


def test_the_same_loop_is_fine(tmp_path: Path) -> None:
    module = session_fixture("return asyncio.get_running_loop()").replace(
        "@pytest.mark.asyncio\n", "@pytest.mark.asyncio(loop_scope='session')\n"
    )
    assert findings(tmp_path, module) == []


def test_a_wider_loop_test_and_a_function_loop_fixture_fail_collection_on_0_24_whatever_the_value(
    tmp_path: Path,
) -> None:
    """Observed on 0.23.8 (`scope=`), 0.24.0 and 0.26.0: MultipleEventLoopsRequestedError, even for a plain value;
    1.0.0 and 1.5.0 run the same test."""
    module = (
        f"{HEAD}@pytest_asyncio.fixture\nasync def name():\n    return 'db'\n\n\n"
        "@pytest.mark.asyncio(loop_scope='module')\nasync def test_name(name):\n    pass\n"
    )
    (message,) = findings(tmp_path / "old", module, {"requirements.txt": "pytest==8.3.5\npytest-asyncio==0.24.0\n"})
    assert "pytest-asyncio 0.24.0 (from a pin in requirements.txt) fails collection with MultipleEventLoops" in message
    assert findings(tmp_path / "new", module) == []
