"""AIO109: an `asyncio` mark on something pytest does not collect as a test, and silence where that is not known.

Observed with the oracle (pytest-asyncio 1.5.0 with pytest 9.2.0, 0.21.2 with 7.4.4): pytest collects neither a
marked helper, nor a marked class whose name does not match `python_classes`, nor a marked non-test method,
and says nothing about their marks (a class with `__init__` gets pytest's "cannot collect test class"
warning); an alias `test_x = helper` is collected with the helper's mark, a test class deriving from a marked
base class gets its mark, and `python_functions`/`python_classes` from the config decide the names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
HEAD = "import pytest\n\n\n"


def _lines(tmp_path: Path, module: str, **files: str) -> list[int]:
    write_project(tmp_path, {**PROJECT, **files, "tests/test_module.py": HEAD + module})
    diagnostics = run([tmp_path], cwd=tmp_path, select=["AIO109"]).diagnostics
    return [d.line - HEAD.count("\n") for d in diagnostics]


HELPER = "@pytest.mark.asyncio\nasync def login(client):\n    pass\n"
CLASS = "@pytest.mark.asyncio\nclass UserTests:\n    async def test_create(self):\n        pass\n"


@pytest.mark.parametrize(
    ("module", "lines"),
    [
        (HELPER, [1]),
        (CLASS, [1]),
        (
            "class UserTests:\n    pytestmark = pytest.mark.asyncio\n\n    async def test_create(self):\n"
            "        pass\n",
            [2],
        ),
        ("class TestLedger:\n    @pytest.mark.asyncio\n    async def seed(self):\n        pass\n", [2]),
        ("class Helpers:\n    @pytest.mark.asyncio\n    async def test_create(self):\n        pass\n", [2]),
        (
            "@pytest.mark.asyncio\nclass TestWithInit:\n    def __init__(self):\n        pass\n\n"
            "    async def test_create(self):\n        pass\n",
            [1],
        ),
        (
            "import unittest\n\n\nclass TestCase(unittest.TestCase):\n    @pytest.mark.asyncio\n"
            "    async def prepare(self):\n        pass\n",
            [5],
        ),
    ],
)
def test_marks_pytest_never_reads(tmp_path: Path, module: str, lines: list[int]) -> None:
    assert _lines(tmp_path, module) == lines


def test_the_message_says_what_was_meant(tmp_path: Path) -> None:
    write_project(tmp_path, {**PROJECT, "tests/test_module.py": HEAD + HELPER + "\n\n" + CLASS})
    helper, cls = run([tmp_path], cwd=tmp_path, select=["AIO109"]).diagnostics
    assert "pytest does not collect it as a test (its name does not match the `python_functions` pattern" in (
        helper.message
    )
    assert "mark the tests that use it instead" in helper.message
    assert "the `python_classes` pattern `Test`), so none of its tests run" in cls.message


@pytest.mark.parametrize(
    "module",
    [
        "@pytest.mark.asyncio\nasync def test_fetch():\n    pass\n",
        "@pytest.mark.asyncio\nasync def aliased():\n    pass\n\n\ntest_alias = aliased\n",
        CLASS + "\n\nclass TestConcrete(UserTests):\n    pass\n",
        "@pytest.mark.asyncio\n@pytest.fixture\nasync def client():\n    return 1\n",  # AIO303's
        "@pytest.mark.asyncio\n@some_plugin.collect\nasync def scenario():\n    pass\n",
        "@pytest.mark.asyncio\nclass Suite:\n    __test__ = True\n\n    async def test_a(self):\n        pass\n",
        "@pytest.mark.asyncio\nclass Base:\n    __test__ = False\n\n    async def test_a(self):\n        pass\n",
        "@pytest.mark.asyncio\nasync def check():\n    pass\n\n\ncheck.__test__ = True\n",
        "import unittest\n\n\nclass TestCase(unittest.IsolatedAsyncioTestCase):\n    @pytest.mark.asyncio\n"
        "    async def prepare(self):\n        pass\n",  # AIO108's
    ],
)
def test_marks_that_reach_a_test_or_belong_to_another_rule(tmp_path: Path, module: str) -> None:
    assert _lines(tmp_path, module) == []


def test_a_base_class_another_module_derives_from(tmp_path: Path) -> None:
    derived = "from test_module import UserTests\n\n\nclass TestMemory(UserTests):\n    pass\n"
    assert _lines(tmp_path, CLASS, **{"tests/test_memory.py": derived}) == []
    # Linting the base module alone, the other module is still read.
    assert [d.code for d in run([tmp_path / "tests" / "test_module.py"], cwd=tmp_path).diagnostics] == []


@pytest.mark.parametrize(
    "files",
    [
        {"pytest.ini": "[pytest]\npython_functions = login check_*\npython_classes = *Tests\n"},
        {"tests/conftest.py": "def pytest_pycollect_makeitem(collector, name, obj):\n    return None\n"},
        {"requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\npytest-describe==2.2.0\n"},
        {"pytest.ini": "[pytest]\naddopts = -o python_functions=login\n"},
    ],
)
def test_silent_where_collection_is_set_or_unknown(tmp_path: Path, files: dict[str, str]) -> None:
    assert _lines(tmp_path, HELPER + "\n\n" + CLASS, **files) == []


@pytest.mark.parametrize(
    "config",
    [
        "[pytest]\nmarkers =\n    asyncio: runs the test in our own loop\n",  # a mark of the project's own
        "[pytest]\naddopts = -p no:asyncio\n",
    ],
)
def test_silent_without_pytest_asyncio(tmp_path: Path, config: str) -> None:
    write_project(tmp_path, {"pytest.ini": config, "tests/test_module.py": HEAD + HELPER})
    assert run([tmp_path], cwd=tmp_path, select=["AIO109"]).diagnostics == []
