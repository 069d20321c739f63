"""Which fixtures get an event loop, and how long it lives, release by release of pytest-asyncio.

Back to 0.10: releases before 0.17 have no modes and run every async fixture, in the function-scoped
`event_loop` unless the project overrides it (ScopeMismatch for a wider fixture, quoted the way pytest 6 and
earlier quote it). From 1.1, a sync function under `@pytest_asyncio.fixture` gets a loop too, so a loop
narrower than its caching scope is the same ScopeMismatch; 1.0 and earlier leave it to pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

WIDE_ASYNC_FIXTURE = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.fixture(scope='module')\nasync def pool():\n"
    "    await asyncio.sleep(0)\n    return {'size': 2}\n\n\n"
    "@pytest.mark.asyncio\nasync def test_pool(pool):\n    assert pool['size'] == 2\n"
)
PLAIN_ASYNC_FIXTURES = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\nasync def value():\n    await asyncio.sleep(0)\n"
    "    yield 42\n\n\n@pytest.fixture(autouse=True)\nasync def record():\n    await asyncio.sleep(0)\n\n\n"
    "@pytest.mark.asyncio\nasync def test_async(value):\n    assert value == 42\n\n\n"
    "def test_sync(value):\n    assert value == 42\n"
)
SYNC_UNDER_PYTEST_ASYNCIO = (
    "import pytest\nimport pytest_asyncio\n\n\n@pytest_asyncio.fixture(scope='module')\ndef settings():\n"
    "    return {'dsn': 'sqlite://'}\n\n\ndef test_settings(settings):\n    assert settings['dsn']\n"
)
FUNCTION_LOOPS = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


def lint(root: Path, files: dict[str, str], **options: object) -> RunResult:
    write_project(root, files)
    return run([root], cwd=root, **options)


def pins(asyncio: str | None, pytest_version: str | None) -> str:
    lines = [f"pytest=={pytest_version}" if pytest_version else "pytest"]
    lines.append(f"pytest-asyncio=={asyncio}" if asyncio else "pytest-asyncio")
    return "\n".join(lines) + "\n"


# -- releases before 0.17 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asyncio", "pytest_version", "mismatch"),
    [
        # observed: pytest 5.4.3 and 6.2.5 quote the scopes and the fixture, pytest 7 does not
        ("0.10.0", "5.4.3", "the 'function' scoped fixture 'event_loop' with a 'module' scoped request object"),
        ("0.14.0", "6.2.5", "the 'function' scoped fixture 'event_loop' with a 'module' scoped request object"),
        ("0.16.0", "7.0.1", "the function scoped fixture event_loop with a module scoped request object"),
    ],
)
def test_a_wide_async_fixture_meets_the_function_scoped_event_loop(
    tmp_path: Path, asyncio: str, pytest_version: str, mismatch: str
) -> None:
    result = lint(tmp_path, {"requirements.txt": pins(asyncio, pytest_version), "test_pool.py": WIDE_ASYNC_FIXTURE})
    (finding,) = result.diagnostics
    assert finding.code == "AIO401" and finding.fix is None
    assert f"on pytest-asyncio {asyncio} (from a pin in requirements.txt) it runs in the default `event_loop`" in (
        finding.message
    )
    assert f'"ScopeMismatch: You tried to access {mismatch}"' in finding.message


def test_a_session_event_loop_override_carries_wide_fixtures_on_old_releases(tmp_path: Path) -> None:
    conftest = (
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture(scope='session')\ndef event_loop():\n"
        "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
    )
    files = {"requirements.txt": pins("0.10.0", "5.4.3"), "conftest.py": conftest, "test_pool.py": WIDE_ASYNC_FIXTURE}
    assert lint(tmp_path, files).diagnostics == []


@pytest.mark.parametrize(("asyncio", "pytest_version"), [("0.10.0", "5.4.3"), ("0.14.0", "6.2.5")])
def test_every_async_fixture_runs_before_modes_existed(tmp_path: Path, asyncio: str, pytest_version: str) -> None:
    """Plain `@pytest.fixture` async fixtures (returning, yielding, autouse) work for async and sync tests."""
    files = {"requirements.txt": pins(asyncio, pytest_version), "test_values.py": PLAIN_ASYNC_FIXTURES}
    assert lint(tmp_path, files).diagnostics == []


@pytest.mark.parametrize(
    "declared",
    [
        "pytest-asyncio==0.10.*\n",
        "pytest-asyncio<0.17\n",
        "pytest-asyncio~=0.14.0\n",
    ],
)
def test_a_range_below_0_17_is_enough(tmp_path: Path, declared: str) -> None:
    files = {"requirements.txt": declared, "test_values.py": PLAIN_ASYNC_FIXTURES, "test_pool.py": WIDE_ASYNC_FIXTURE}
    assert [d.code for d in lint(tmp_path, files).diagnostics] == ["AIO401"]


# -- sync functions under @pytest_asyncio.fixture ------------------------------------------------------------


@pytest.mark.parametrize("asyncio", ["0.21.2", "0.24.0", "0.26.0", "1.0.0"])
def test_a_sync_fixture_gets_no_loop_up_to_1_0(tmp_path: Path, asyncio: str) -> None:
    files = {
        "pytest.ini": FUNCTION_LOOPS,
        "requirements.txt": pins(asyncio, None),
        "test_it.py": SYNC_UNDER_PYTEST_ASYNCIO,
    }
    assert lint(tmp_path, files, select=["AIO401"]).diagnostics == []


@pytest.mark.parametrize("asyncio", ["1.1.0", "1.5.0"])
def test_a_sync_fixture_gets_a_loop_from_1_1(tmp_path: Path, asyncio: str) -> None:
    files = {
        "pytest.ini": FUNCTION_LOOPS,
        "requirements.txt": pins(asyncio, None),
        "test_it.py": SYNC_UNDER_PYTEST_ASYNCIO,
    }
    (finding,) = lint(tmp_path, files).diagnostics
    assert finding.code == "AIO401"
    assert f"sync fixture `settings` is cached per module, but pytest-asyncio {asyncio} (from a pin" in finding.message
    assert "the function scoped fixture _function_scoped_runner with a module scoped request object" in finding.message
    assert run([tmp_path], cwd=tmp_path, fix=Applicability.SAFE).fixed == 1
    fixed = (tmp_path / "test_it.py").read_text(encoding="utf-8")
    assert "@pytest_asyncio.fixture(scope='module', loop_scope='module')" in fixed


def test_an_explicit_narrower_loop_scope_on_a_sync_fixture(tmp_path: Path) -> None:
    module = SYNC_UNDER_PYTEST_ASYNCIO.replace("scope='module'", "scope='module', loop_scope='function'")
    result = lint(tmp_path, {"requirements.txt": pins("1.5.0", "9.2.0"), "test_it.py": module})
    assert [d.code for d in result.diagnostics] == ["AIO401"]


def test_a_sync_fixture_with_an_unpinned_release_gives_both_sides(tmp_path: Path) -> None:
    files = {
        "pytest.ini": FUNCTION_LOOPS,
        "requirements.txt": pins(None, None),
        "test_it.py": SYNC_UNDER_PYTEST_ASYNCIO,
    }
    (finding,) = lint(tmp_path, files).diagnostics
    assert "pytest-asyncio 1.1 and later set up a sync function under `@pytest_asyncio.fixture`" in finding.message
    assert "assumed to be a current release; 1.0 and earlier leave such a fixture to pytest" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE


def test_plain_sync_fixtures_never_get_a_loop(tmp_path: Path) -> None:
    module = SYNC_UNDER_PYTEST_ASYNCIO.replace("@pytest_asyncio.fixture", "@pytest.fixture")
    files = {"pytest.ini": FUNCTION_LOOPS.replace("[pytest]\n", "[pytest]\nasyncio_mode = auto\n")}
    files.update({"requirements.txt": pins("1.5.0", "9.2.0"), "test_it.py": module})
    assert lint(tmp_path, files).diagnostics == []


@pytest.mark.parametrize(
    ("asyncio", "runner"),
    [("0.26.0", "event_loop"), ("1.0.0", "_function_event_loop"), ("1.1.1", "_function_scoped_runner")],
)
def test_the_loop_fixture_scope_mismatch_names(tmp_path: Path, asyncio: str, runner: str) -> None:
    """The fixture pytest names in the ScopeMismatch of a fixture whose `loop_scope` is narrower than its scope."""
    module = (
        "import pytest_asyncio\n\n\n@pytest_asyncio.fixture(scope='module', loop_scope='function')\n"
        "async def pool():\n    return 1\n"
    )
    (finding,) = lint(tmp_path, {"requirements.txt": pins(asyncio, None), "test_it.py": module}).diagnostics
    assert f"the function scoped fixture {runner} with a module scoped request object" in finding.message
