"""A fix that takes away the last use of an import or of a loop variable takes it too (`import time` once
`time.sleep` became `asyncio.sleep`; `loop = asyncio.get_running_loop()` once `loop.run_until_complete(f())`
became `await f()`), and leaves every one something still needs, or that may be there for another reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

CONFIG = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
SLEEPING = "@pytest.mark.asyncio\nasync def test_wait():\n    time.sleep(0.1)\n"


def fixed(tmp_path: Path, source: str) -> str:
    project = write_project(tmp_path, {**CONFIG, "tests/test_a.py": source})
    result = run([project], cwd=project, select=["AIO102", "AIO501", "AIO502"], fix=Applicability.UNSAFE)
    assert not result.internal_errors
    return (project / "tests" / "test_a.py").read_text(encoding="utf-8")


def test_the_import_whose_last_use_a_fix_removes_goes(tmp_path: Path) -> None:
    after = fixed(tmp_path, f"import time\n\nimport pytest\n\n\n{SLEEPING}")
    assert after == "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_wait():\n" + (
        "    await asyncio.sleep(0.1)\n"
    )


def test_a_removed_mark_takes_its_pytest_import_and_the_blank_lines_after_it(tmp_path: Path) -> None:
    after = fixed(tmp_path, "import pytest\n\n\n@pytest.mark.asyncio\ndef test_parse():\n    pass\n")
    assert after == "def test_parse():\n    pass\n"


@pytest.mark.parametrize(
    ("head", "why"),
    [
        ("import time\n\nimport pytest\n\nSTART = time.monotonic()\n\n\n", "used elsewhere"),
        ("import time  # used by plugins\n\nimport pytest\n\n\n", "a comment on its line"),
        ("# keep: patched by conftest\nimport time\n\nimport pytest\n\n\n", "a comment above it"),
        ("import time\n\nimport pytest\n\n__all__ = ['time']\n\n\n", "named in __all__"),
        ("import time\n\nimport pytest\n\n\ndef later():\n    return time\n\n\n", "read in another function"),
    ],
)
def test_an_import_still_needed_or_explained_stays(tmp_path: Path, head: str, why: str) -> None:
    after = fixed(tmp_path, head + SLEEPING)
    assert "await asyncio.sleep(0.1)" in after
    assert "import time" in after, why


def test_a_name_imported_from_a_project_module_stays_it_may_be_a_fixture(tmp_path: Path) -> None:
    source = "import pytest\nfrom tests.fixtures import pytest_plugin_marker\n\n\n"
    after = fixed(tmp_path, source + "@pytest.mark.asyncio\ndef test_parse():\n    pass\n")
    assert "from tests.fixtures import pytest_plugin_marker" in after
    assert "import pytest\n" not in after


def test_one_name_of_a_from_import_goes_and_the_others_stay(tmp_path: Path) -> None:
    source = "from time import monotonic, sleep\n\nimport pytest\n\n\n"
    test = "@pytest.mark.asyncio\nasync def test_wait():\n    sleep(0.1)\n    assert monotonic()\n"
    after = fixed(tmp_path, source + test)
    assert after.startswith("import asyncio\nfrom time import monotonic\n"), after
    assert "await asyncio.sleep(0.1)" in after


RUN_IN_LOOP = "    loop = asyncio.get_running_loop(){comment}\n    loop.run_until_complete(helper())\n"
HELPER = "import asyncio\n\nimport pytest\n\n\nasync def helper():\n    return 1\n\n\n"


def test_a_loop_variable_read_no_more_goes_and_its_import_with_it(tmp_path: Path) -> None:
    test = "@pytest.mark.asyncio\nasync def test_a():\n" + RUN_IN_LOOP.format(comment="")
    after = fixed(tmp_path, HELPER + test)
    assert after == HELPER.removeprefix("import asyncio\n\n") + (
        "@pytest.mark.asyncio\nasync def test_a():\n    await helper()\n"
    )


@pytest.mark.parametrize(
    ("test", "why"),
    [
        ("async def test_a():\n" + RUN_IN_LOOP.format(comment="") + "    loop.call_soon(print)\n", "still read"),
        ("async def test_a():\n" + RUN_IN_LOOP.format(comment="  # the suite's loop"), "a comment"),
        (
            "async def test_a():\n" + RUN_IN_LOOP.format(comment="") + "\n    def later():\n        return loop\n",
            "read by a nested function",
        ),
    ],
)
def test_a_loop_variable_still_needed_or_explained_stays(tmp_path: Path, test: str, why: str) -> None:
    after = fixed(tmp_path, HELPER + "@pytest.mark.asyncio\n" + test)
    assert "await helper()" in after
    assert "loop = asyncio.get_running_loop()" in after, why


def test_a_function_no_fix_touches_keeps_its_unused_loop_variable(tmp_path: Path) -> None:
    untouched = "@pytest.mark.asyncio\nasync def test_b():\n    loop = asyncio.get_running_loop()\n"
    test = "@pytest.mark.asyncio\nasync def test_a():\n" + RUN_IN_LOOP.format(comment="") + "\n\n" + untouched
    after = fixed(tmp_path, HELPER + test)
    assert after.count("loop = asyncio.get_running_loop()") == 1
    assert after.endswith(untouched)
