"""`asyncio.get_event_loop()` in tests: a failure waiting to happen in sync code (AIO503), a matter of
spelling in a running coroutine (AIO505, off by default), nothing to report where the code handles the
RuntimeError.

What the messages say was observed with the oracle: in a sync test, the call passes when it runs first (with a
DeprecationWarning on Python 3.12 and 3.13), and fails with "There is no current event loop" once an asyncio
test ran before it on pytest-asyncio 1.4.1 and 1.5.0 (not on 1.3.0 or 0.21.2, where it fails only after
`asyncio.run`); a handler of DeprecationWarning alone does not stop that RuntimeError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.diagnostics import Applicability
from tests.helpers import run, run_asynclint, write_project

HEAD = "import asyncio\nimport contextlib\n\nimport pytest\n\n\n"


def _found(tmp_path: Path, module: str, pins: str = "pytest==9.2.0\npytest-asyncio==1.5.0\n") -> list[tuple[int, str]]:
    write_project(tmp_path, {"pytest.ini": "[pytest]\n", "requirements.txt": pins, "test_loop.py": HEAD + module})
    diagnostics = run([tmp_path], cwd=tmp_path, select=["AIO503", "AIO505"]).diagnostics
    return [(d.line - HEAD.count("\n"), d.code) for d in diagnostics]


def test_sync_code_is_aio503_and_async_code_aio505(tmp_path: Path) -> None:
    module = (
        "def test_sync():\n"  # 1
        "    loop = asyncio.get_event_loop()\n"  # 2
        "\n\n"
        "@pytest.fixture\n"  # 5
        "def loop():\n"
        "    return asyncio.get_event_loop()\n"  # 7
        "\n\n"
        "@pytest.mark.asyncio\n"  # 10
        "async def test_async(loop):\n"
        "    assert asyncio.get_event_loop() is asyncio.get_running_loop()\n"  # 12
    )
    assert _found(tmp_path, module) == [(2, "AIO503"), (7, "AIO503"), (12, "AIO505")]


@pytest.mark.parametrize(
    "guard",
    [
        "    try:\n        loop = asyncio.get_event_loop()\n    except RuntimeError:\n        loop = None\n",
        "    try:\n        loop = asyncio.get_event_loop()\n    except (RuntimeError, DeprecationWarning):\n"
        "        loop = None\n",
        "    try:\n        loop = asyncio.get_event_loop()\n    except Exception:\n        loop = None\n",
        "    try:\n        loop = asyncio.get_event_loop()\n    except:\n        loop = None\n",
        "    with contextlib.suppress(RuntimeError):\n        asyncio.get_event_loop().close()\n",
    ],
)
@pytest.mark.parametrize("prefix", ["", "@pytest.mark.asyncio\nasync "])
def test_a_call_that_handles_the_runtime_error_is_no_finding(tmp_path: Path, guard: str, prefix: str) -> None:
    assert _found(tmp_path, f"{prefix}def test_loop():\n{guard}") == []


def test_a_deprecation_warning_handler_does_not_guard(tmp_path: Path) -> None:
    module = (
        "def test_loop():\n    try:\n        loop = asyncio.get_event_loop()\n"
        "    except DeprecationWarning:\n        loop = asyncio.new_event_loop()\n"
    )
    assert _found(tmp_path, module) == [(3, "AIO503")]


def test_only_the_try_body_is_guarded(tmp_path: Path) -> None:
    module = (
        "def test_loop():\n    try:\n        pass\n    except RuntimeError:\n        loop = asyncio.get_event_loop()\n"
    )
    assert _found(tmp_path, module) == [(5, "AIO503")]


@pytest.mark.parametrize(
    ("pins", "says"),
    [
        ("pytest-asyncio==1.5.0\n", "pytest-asyncio 1.5.0 unsets the current loop after each asyncio test"),
        ("pytest-asyncio==1.3.0\n", "after any test that called `asyncio.run`"),
        ("", "the version is not pinned: a current release is assumed"),
    ],
)
def test_the_sync_message_follows_the_pinned_version(tmp_path: Path, pins: str, says: str) -> None:
    write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            "requirements.txt": pins,
            "test_loop.py": HEAD + "import pytest_asyncio\n\n\ndef test_a():\n    asyncio.get_event_loop()\n",
        },
    )
    (finding,) = run([tmp_path], cwd=tmp_path, select=["AIO503"]).diagnostics
    assert says in finding.message
    assert "Python 3.14" in finding.message


def test_aio505_is_off_by_default_and_fixes_safely(tmp_path: Path) -> None:
    module = "@pytest.mark.asyncio\nasync def test_a():\n    loop = asyncio.get_event_loop()\n"
    write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
            "test_loop.py": HEAD + module,
        },
    )
    assert run_asynclint(tmp_path, "--select", "AIO5", ".").returncode == 0
    fixed = run_asynclint(tmp_path, "--extend-select", "AIO505", "--fix", ".")
    assert fixed.returncode == 0, fixed.stdout
    assert "loop = asyncio.get_running_loop()\n" in (tmp_path / "test_loop.py").read_text()
    assert run([tmp_path], cwd=tmp_path, fix=Applicability.SAFE, select=["AIO505"]).fixed == 0
