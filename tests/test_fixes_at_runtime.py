"""Fixes checked for real: pytest runs a project before and after `--fix`, and the test bodies now run.

Each test body touches a marker file, so "ran" is observed, not inferred from pytest's summary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

pytestmark = pytest.mark.runtime

CONFIG = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest\npytest-asyncio\nhypothesis\n",
}
RAN = "from pathlib import Path\n\n\ndef ran(name):\n    Path(__file__).with_name('ran-' + name).touch()\n"


def pytest_run(project: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", "-W", "default"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def ran(project: Path) -> set[str]:
    return {path.name.removeprefix("ran-") for path in project.rglob("ran-*")}


def clear(project: Path) -> None:
    for path in project.rglob("ran-*"):
        path.unlink()


def test_unmarked_async_tests_run_after_the_fix(tmp_path: Path) -> None:
    module = RAN + (
        "\nimport pytest\nfrom unittest import mock\nfrom hypothesis import given, settings, strategies as st\n\n\n"
        "async def test_function():\n    ran('function')\n\n\n"
        "class TestClass:\n    async def test_method(self):\n        ran('method')\n\n\n"
        "@settings(max_examples=1)\n@given(st.integers())\n"
        "async def test_hypothesis(number):\n    ran('hypothesis')\n\n\n"
        "@mock.patch('os.getcwd')\nasync def test_patched(getcwd):\n    ran('patched')\n\n\n"
        "@pytest.mark.asyncios\nasync def test_misspelled():\n    ran('misspelled')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "tests/test_unmarked.py": module})
    before = pytest_run(project)
    assert ran(project) == set(), before.stdout
    assert before.returncode != 0  # pytest >= 8.4 fails unmarked async tests

    fixed = run([project], cwd=project, fix=Applicability.SAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"function", "method", "hypothesis", "patched", "misspelled"}


def test_plain_testcase_runs_after_the_unsafe_fix(tmp_path: Path) -> None:
    module = RAN + (
        "\nimport unittest\n\n\nclass TestCase(unittest.TestCase):\n"
        "    async def test_method(self):\n        ran('unittest')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "tests/test_case.py": module})
    before = pytest_run(project)
    assert before.returncode == 0  # the false pass the rule is about
    assert ran(project) == set()
    assert "never awaited" in before.stdout

    assert run([project], cwd=project, fix=Applicability.SAFE).fixed == 0  # the fix is unsafe
    run([project], cwd=project, fix=Applicability.UNSAFE)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"unittest"}


def test_removing_useless_marks_changes_nothing_but_the_warning(tmp_path: Path) -> None:
    module = RAN + (
        "\nimport unittest\n\nimport pytest\n\n\n"
        "@pytest.mark.asyncio\ndef test_sync():\n    ran('sync')\n\n\n"
        "class TestIsolated(unittest.IsolatedAsyncioTestCase):\n"
        "    @pytest.mark.asyncio\n    async def test_isolated(self):\n        ran('isolated')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "tests/test_marks.py": module})
    before = pytest_run(project)
    assert before.returncode == 0, before.stdout
    assert ran(project) == {"sync", "isolated"}
    assert "is not an async function" in before.stdout

    fixed = run([project], cwd=project, fix=Applicability.SAFE)
    assert fixed.fixed == 2 and fixed.diagnostics == []
    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"sync", "isolated"}
    assert "is not an async function" not in after.stdout


APP = (
    "from pathlib import Path\n\n\n"
    "async def fetch(name):\n    Path(__file__).with_name('ran-' + name).touch()\n    return {'name': name}\n\n\n"
    "async def fail(name):\n    Path(__file__).with_name('ran-' + name).touch()\n    raise KeyError(name)\n\n\n"
    "class Client:\n    async def get(self, name):\n        return await fetch(name)\n\n"
    "    def get_later(self, name):\n        return self.get(name)\n\n\n"
    "class Notifier:\n    async def __call__(self, name):\n        return await fetch(name)\n"
)


def test_unawaited_coroutines_run_after_the_fix(tmp_path: Path) -> None:
    module = (
        "import asyncio\nfrom unittest.mock import AsyncMock\n\nimport pytest\nimport pytest_asyncio\n\n"
        "from app import Client, Notifier, fail, fetch\n\n\n"
        "@pytest_asyncio.fixture\nasync def order():\n    return fetch('fixture')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_dropped():\n    fetch('dropped')\n    asyncio.sleep(0)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_values(order):\n"
        "    assert fetch('truth')\n    assert fetch('subscript')['name'] == 'subscript'\n"
        "    assert order['name'] == 'fixture'\n\n\n"
        "@pytest.mark.asyncio\nasync def test_raises():\n"
        "    with pytest.raises(KeyError):\n        fail('raises')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_method():\n    client = Client()\n    result = client.get('method')\n"
        "    assert result['name'] == 'method'\n\n\n"
        "@pytest.mark.asyncio\nasync def test_mock():\n    notify = AsyncMock()\n    notify()\n"
        "    notify.assert_called_once()\n\n\n"
        "def test_sync():\n    assert fetch('sync')\n\n\n"
        "def test_forwarded():\n    Client().get_later('forwarded')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_callable():\n    notify = Notifier()\n    notify('callable')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "app.py": APP, "tests/test_app.py": module})
    before = pytest_run(project)
    assert "was never awaited" in before.stdout + before.stderr
    assert ran(project) == set()

    fixed = run([project], cwd=project, fix=Applicability.UNSAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert "never awaited" not in after.stdout + after.stderr
    assert ran(project) == {
        "fixture",
        "dropped",
        "truth",
        "subscript",
        "raises",
        "method",
        "sync",
        "forwarded",
        "callable",
    }


def test_plain_async_fixtures_run_after_the_fix(tmp_path: Path) -> None:
    conftest = RAN + (
        "\nimport pytest\n\n\n"
        "@pytest.fixture\nasync def token():\n    ran('token')\n    return 'secret'\n\n\n"
        "@pytest.fixture(autouse=True)\nasync def reset():\n    ran('reset')\n    yield\n"
    )
    module = RAN + (
        "\nimport pytest\n\n\n"
        "@pytest.fixture\ndef header(token):\n    return {'auth': token}\n\n\n"
        "@pytest.fixture\nasync def user():\n    return 'ann'\n\n\n"
        "def test_header(header):\n    assert header == {'auth': 'secret'}\n    ran('header')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_user(user):\n    assert user == 'ann'\n    ran('user')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "tests/conftest.py": conftest, "tests/test_fixtures.py": module})
    before = pytest_run(project)
    output = before.stdout + before.stderr
    assert "requested an async fixture" in output or "coroutine" in output, output
    assert ran(project) == set()

    fixed = run([project], cwd=project, fix=Applicability.SAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"token", "reset", "header", "user"}


def test_fixtures_hand_over_open_resources_and_tear_down_after_the_fix(tmp_path: Path) -> None:
    module = RAN + (
        "\nimport pytest\nimport pytest_asyncio\n\n\n"
        "class Connection:\n    closed = False\n\n    async def close(self):\n        self.closed = True\n\n\n"
        "@pytest.fixture\ndef config(tmp_path):\n    (tmp_path / 'app.cfg').write_text('debug')\n"
        "    with open(tmp_path / 'app.cfg') as f:\n        return f\n\n\n"
        "@pytest_asyncio.fixture\nasync def connection():\n    conn = Connection()\n    await conn.close()\n"
        "    return conn\n\n\n"
        "@pytest.fixture\ndef database():\n    return 'db'\n    ran('teardown')\n\n\n"
        "def test_config(config, database):\n    assert config.read() == 'debug'\n    assert database == 'db'\n"
        "    assert not Path(__file__).with_name('ran-teardown').exists()\n    ran('config')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_connection(connection):\n    assert not connection.closed\n"
        "    ran('connection')\n"
    )
    project = write_project(tmp_path, {**CONFIG, "tests/test_fixtures.py": module})
    before = pytest_run(project)
    assert "I/O operation on closed file" in before.stdout, before.stdout
    assert ran(project) == set()

    fixed = run([project], cwd=project, fix=Applicability.SAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    # The bodies ran with open resources, and the teardown that never ran now runs after the test.
    assert ran(project) == {"config", "connection", "teardown"}


def test_loop_scope_fixes_make_tests_run(tmp_path: Path) -> None:
    module = RAN + (
        "\nimport asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"
        "@pytest_asyncio.fixture(scope='module')\nasync def pool():\n    ran('pool')\n    return object()\n\n\n"
        "@pytest.mark.asyncio('module')\nasync def test_positional(pool):\n    ran('positional')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_event_loop(event_loop):\n"
        "    assert event_loop is asyncio.get_running_loop()\n    ran('event_loop')\n"
    )
    project = write_project(tmp_path / "project", {**CONFIG, "tests/test_loops.py": module})
    before = pytest_run(project)
    output = before.stdout + before.stderr
    assert "accepts only keyword arguments" in output, output  # the positional scope stops collection
    assert ran(project) == set()
    # Once collected, `pool` meets ScopeMismatch and `event_loop` is not found (checked on a copy).
    copy = write_project(
        tmp_path / "copy", {**CONFIG, "tests/test_loops.py": module.replace("asyncio('module')", "asyncio")}
    )
    copied = pytest_run(copy).stdout
    assert "ScopeMismatch" in copied and "fixture 'event_loop' not found" in copied, copied

    fixed = run([project], cwd=project, fix=Applicability.UNSAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"pool", "positional", "event_loop"}


def test_a_loop_bound_fixture_moves_with_the_tests_that_use_it(tmp_path: Path) -> None:
    """`loop_scope='module'` on a fixture handing out its loop would turn `ScopeMismatch` into "attached to a
    different loop" in the function-loop tests awaiting its futures: the fix moves those tests into the module
    loop, leaves the others where they are, and a second check finds nothing new."""
    module = RAN + (
        "\nimport asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"
        "@pytest_asyncio.fixture(scope='module', loop_scope='function')\nasync def loop():\n"
        "    return asyncio.get_running_loop()\n\n\n"
        "async def resolved(loop):\n    future = loop.create_future()\n"
        "    asyncio.get_running_loop().call_soon(future.set_result, 1)\n    return await future\n\n\n"
        "@pytest.mark.asyncio\nasync def test_first(loop):\n    assert await resolved(loop) == 1\n"
        "    ran('first')\n\n\n"
        "@pytest.mark.asyncio()\nasync def test_second(loop):\n    assert await resolved(loop) == 1\n"
        "    ran('second')\n\n\n"
        "@pytest.mark.asyncio\nasync def test_alone():\n    ran('alone')\n"
    )
    project = write_project(tmp_path / "project", {**CONFIG, "tests/test_loop.py": module})
    before = pytest_run(project)
    assert "ScopeMismatch" in before.stdout, before.stdout
    # `loop_scope` on the fixture alone: its future is awaited in another loop (checked on a copy).
    alone = module.replace("loop_scope='function'", "loop_scope='module'")
    copied = pytest_run(write_project(tmp_path / "copy", {**CONFIG, "tests/test_loop.py": alone})).stdout
    assert "attached to a different loop" in copied, copied

    (found,) = run([project], cwd=project, select=["AIO401"]).diagnostics
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert "on the asyncio marks of the 2 tests that use it" in found.fix.title
    fixed = run([project], cwd=project, fix=Applicability.UNSAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []
    text = (project / "tests" / "test_loop.py").read_text(encoding="utf-8")
    assert text.count("@pytest.mark.asyncio(loop_scope='module')") == 2
    assert "@pytest.mark.asyncio\nasync def test_alone" in text

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"first", "second", "alone"}


def test_a_loop_bound_fixture_used_from_other_files_gets_no_fix(tmp_path: Path) -> None:
    conftest = (
        "import asyncio\n\nimport pytest_asyncio\n\n\n"
        "@pytest_asyncio.fixture(scope='session', loop_scope='function')\nasync def loop():\n"
        "    return asyncio.get_running_loop()\n"
    )
    test = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_ready(loop):\n    await loop.create_future()\n"
    project = write_project(tmp_path, {**CONFIG, "tests/conftest.py": conftest, "tests/test_loop.py": test})
    (found,) = run([project], cwd=project, select=["AIO401", "AIO402"]).diagnostics
    assert found.code == "AIO401" and found.fix is None
    assert "tests that use it in another loop (`test_ready`) would fail" in found.message
    assert "run them in the session loop too" in found.message


def test_event_loop_migration_shares_one_loop_again(tmp_path: Path) -> None:
    config = "[pytest]\n# the suite's settings\naddopts = -ra\n"
    conftest = (
        "import asyncio\n\nimport pytest\n\n\n"
        "@pytest.fixture(scope='session')\ndef event_loop():\n"
        "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
    )
    module = RAN + (
        "\nimport asyncio\n\nimport pytest\nimport pytest_asyncio\n\n\n"
        "class Pool:\n    def __init__(self):\n        self.loop = asyncio.get_running_loop()\n\n"
        "    async def fetch(self, name):\n        future = self.loop.create_future()\n"
        "        asyncio.get_running_loop().call_soon(future.set_result, name)\n        return await future\n\n\n"
        "@pytest_asyncio.fixture(scope='session')\nasync def pool():\n    return Pool()\n\n\n"
        "@pytest.mark.asyncio\nasync def test_one(pool):\n    ran(await pool.fetch('one'))\n\n\n"
        "@pytest.mark.asyncio\nasync def test_two(pool):\n    ran(await pool.fetch('two'))\n"
    )
    files = {**CONFIG, "pytest.ini": config, "tests/conftest.py": conftest, "tests/test_pool.py": module}
    project = write_project(tmp_path, files)
    before = pytest_run(project)
    assert "attached to a different loop" in before.stdout, before.stdout
    assert ran(project) == set()

    fixed = run([project], cwd=project, fix=Applicability.UNSAFE)
    assert not fixed.internal_errors
    assert [d.code for d in fixed.diagnostics] == []
    # The config keeps every byte it had and gains the two keys; the override is gone.
    assert (project / "pytest.ini").read_text() == (
        config + "asyncio_default_fixture_loop_scope = session\nasyncio_default_test_loop_scope = session\n"
    )
    assert "event_loop" not in (project / "tests" / "conftest.py").read_text()

    clear(project)
    after = pytest_run(project)
    assert after.returncode == 0, after.stdout
    assert ran(project) == {"one", "two"}


def _session_loop_project(config: str) -> dict[str, str]:
    """A suite whose conftest overrides `event_loop` with a session-scoped loop, under this `pytest.ini`."""
    conftest = (
        "import asyncio\n\nimport pytest\n\n\n"
        "@pytest.fixture(scope='session')\ndef event_loop():\n"
        "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
    )
    module = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_one():\n    pass\n"
    return {**CONFIG, "pytest.ini": config, "tests/conftest.py": conftest, "tests/test_one.py": module}


def test_event_loop_migration_keeps_the_scopes_the_config_writes(tmp_path: Path) -> None:
    """A loop scope the config already sets to the fixture's scope is left as written; one set to another scope
    is replaced, and the (unsafe) fix says so before it is applied."""
    config = "[pytest]\nasyncio_default_test_loop_scope = session\nasyncio_default_fixture_loop_scope = function\n"
    project = write_project(tmp_path, _session_loop_project(config))
    found = [d for d in run([project], cwd=project).diagnostics if d.code == "AIO404"]
    assert [d.fix.title for d in found if d.fix is not None] == [
        "Move the session loop into pytest.ini (replacing `asyncio_default_fixture_loop_scope = function`, "
        "written there) and delete the `event_loop` fixture"
    ]
    run([project], cwd=project, fix=Applicability.UNSAFE)
    assert (project / "pytest.ini").read_text() == (
        "[pytest]\nasyncio_default_test_loop_scope = session\nasyncio_default_fixture_loop_scope = session\n"
    )
    assert "event_loop" not in (project / "tests" / "conftest.py").read_text()


def test_event_loop_override_the_config_already_replaces_is_deleted_alone(tmp_path: Path) -> None:
    config = "[pytest]\nasyncio_default_fixture_loop_scope = session\nasyncio_default_test_loop_scope = session\n"
    project = write_project(tmp_path, _session_loop_project(config))
    run([project], cwd=project, fix=Applicability.UNSAFE)
    assert (project / "pytest.ini").read_text() == config
    assert "event_loop" not in (project / "tests" / "conftest.py").read_text()


def test_what_a_migration_writes_to_the_config_is_shown_before_it_is_written(tmp_path: Path) -> None:
    """`--diff`, JSON, SARIF and `--show-fixes` all show the config file the `event_loop` migration rewrites, with
    its path, beside the conftest it deletes the fixture from."""
    config = "[pytest]\nasyncio_default_test_loop_scope = session\nasyncio_default_fixture_loop_scope = function\n"
    project = write_project(tmp_path, _session_loop_project(config))

    def asynclint(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "asynclint", "check", "--no-cache", "--select", "AIO404", "--unsafe-fixes"]
        return subprocess.run([*command, *args, "."], cwd=project, capture_output=True, text=True, check=False)

    diff = asynclint("--diff").stdout
    assert "--- a/tests/conftest.py" in diff
    assert "--- a/pytest.ini\n+++ b/pytest.ini\n" in diff
    assert "-asyncio_default_fixture_loop_scope = function\n+asyncio_default_fixture_loop_scope = session\n" in diff
    assert (project / "pytest.ini").read_text() == config  # shown, not written

    (found,) = json.loads(asynclint("--format", "json").stdout)
    assert found["fix"]["other_files"] == [
        {
            "path": "pytest.ini",
            "edits": [
                {
                    "content": "asyncio_default_fixture_loop_scope = session\n",
                    "line": 3,
                    "column": 1,
                    "end_line": 4,
                    "end_column": 1,
                }
            ],
        }
    ]
    sarif = json.loads(asynclint("--format", "sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    changes = result["fixes"][0]["artifactChanges"]
    assert [change["artifactLocation"]["uri"] for change in changes] == ["tests/conftest.py", "pytest.ini"]

    fixed = asynclint("--fix", "--show-fixes").stdout
    assert "tests/conftest.py:\n    1 AIO404\n    and rewrote pytest.ini\n" in fixed
    assert (project / "pytest.ini").read_text().endswith("asyncio_default_fixture_loop_scope = session\n")
