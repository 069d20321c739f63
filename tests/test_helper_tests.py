"""AIO504 and tests that are helpers too: a test that other code calls, awaits or imports returns its value on
purpose, and `return pytest.skip(...)` (or `fail`, `xfail`, `exit`) returns nothing, since they raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main
from asynclint.model.project import imported_names
from tests.helpers import run, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.2.0\n",
}


def aio504(root: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    write_project(root, {**PROJECT, **files})
    result = run([root], cwd=root, select=["AIO504"])
    assert not result.internal_errors, result.internal_errors
    return [(d.path, d.line) for d in result.diagnostics]


def test_a_test_awaited_by_another_test_of_its_module(tmp_path: Path) -> None:
    source = (
        "async def test_create():\n    user = {'id': 1}\n    return user\n\n\n"
        "async def test_read():\n    assert (await test_create())['id'] == 1\n\n\n"
        "async def test_alone():\n    return 1\n"
    )
    assert aio504(tmp_path, {"test_crud.py": source}) == [("test_crud.py", 11)]


def test_a_method_used_through_self_and_one_passed_as_a_value(tmp_path: Path) -> None:
    source = (
        "import asyncio\n\n\n"
        "class TestUsers:\n"
        "    async def test_make(self):\n        return {'id': 1}\n\n"
        "    async def test_use(self):\n        assert await self.test_make()\n\n"
        "    async def test_other(self):\n        return 2\n\n\n"
        "async def test_gathered():\n    return 3\n\n\n"
        "async def test_gather():\n    assert await asyncio.gather(test_gathered()) == [3]\n"
    )
    assert aio504(tmp_path, {"test_users.py": source}) == [("test_users.py", 12)]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("import pytest", "pytest.skip('later')"),
        ("import pytest", "pytest.fail('broken')"),
        ("import pytest", "pytest.xfail('known bug')"),
        ("import pytest", "pytest.exit('stop')"),
        ("import pytest as pt", "pt.skip('later')"),
        ("from pytest import skip", "skip('later')"),
        ("from _pytest.outcomes import fail", "fail('broken')"),
    ],
)
def test_returning_an_outcome_that_raises(tmp_path: Path, imports: str, call: str) -> None:
    source = f"{imports}\n\n\nasync def test_outcome():\n    return {call}\n"
    assert aio504(tmp_path, {"test_outcomes.py": source}) == []


def test_a_call_that_only_looks_like_an_outcome_is_still_reported(tmp_path: Path) -> None:
    source = "import helpers\n\n\nasync def test_value():\n    return helpers.skip('x')\n"
    assert aio504(tmp_path, {"test_outcomes.py": source}) == [("test_outcomes.py", 5)]


def test_a_test_imported_by_another_linted_module(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "tests/test_accounts.py": (
            "async def test_make_owner():\n    return {'name': 'ada'}\n\n\n"
            "async def test_make_bank():\n    return {'name': 'bank'}\n"
        ),
        "tests/test_transfers.py": (
            "from .test_accounts import test_make_owner\n\n\n"
            "async def test_transfer():\n    assert (await test_make_owner())['name']\n"
        ),
    }
    # `test_make_bank` is imported by nothing: still reported.
    assert aio504(tmp_path, files) == [("tests/test_accounts.py", 6)]


def test_a_star_import_or_a_module_attribute_counts(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "tests/test_a.py": "async def test_a():\n    return 1\n",
        "tests/test_b.py": "async def test_b():\n    return 2\n",
        "tests/test_c.py": "async def test_c():\n    return 3\n",
        "tests/test_use_a.py": "from .test_a import *\n",
        "tests/test_use_b.py": "from . import test_b\n\n\nasync def test_x():\n    assert await test_b.test_b()\n",
        "tests/test_use_c.py": "import tests.test_c as c\n\n\nasync def test_y():\n    assert await c.test_c()\n",
    }
    assert aio504(tmp_path, files) == []


def test_imported_names_reads_every_form_of_import() -> None:
    source = (
        "from .test_crud import test_create, helper as h  # a comment\n"
        "from tests.test_more import (\n    test_a,\n    test_b as b,\n)\n"
        "from . import test_mod\n"
        "import tests.test_deep\n"
        "import tests.test_q as q\n"
        "from elsewhere import *\n"
        "from y import z; w = 1\n"
        "test_mod.test_one()\n"
        "tests.test_deep.test_two\n"
        "q . test_three()\n"
    )
    found = set(imported_names(source))
    assert {
        ("test_crud", "test_create"),
        ("test_crud", "helper"),
        ("test_more", "test_a"),
        ("test_more", "test_b"),
        ("test_mod", "test_one"),
        ("test_deep", "test_two"),
        ("test_q", "test_three"),
        ("elsewhere", "*"),
        ("y", "z"),
    } <= found
    assert not any(name in {"h", "b", "w"} for _, name in found)


def test_a_new_import_of_a_test_relints_the_module_it_imports_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report of a module depends on what other linted modules import from it: the cache must know."""
    root = write_project(
        tmp_path / "project",
        {
            **PROJECT,
            "tests/__init__.py": "",
            "tests/test_accounts.py": "async def test_make_owner():\n    return {'name': 'ada'}\n",
            "tests/test_transfers.py": "async def test_transfer():\n    assert True\n",
        },
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("ASYNCLINT_CACHE_DIR", str(tmp_path / "shapes"))

    def check() -> str:
        result = CliRunner().invoke(main, ["check", "-j", "1", "--select", "AIO504", "."])
        return result.stdout

    assert "tests/test_accounts.py:2:5: AIO504" in check()
    importer = root / "tests/test_transfers.py"
    before = importer.stat().st_mtime_ns
    importer.write_text(
        "from .test_accounts import test_make_owner\n\n\n"
        "async def test_transfer():\n    assert (await test_make_owner())['name']\n",
        encoding="utf-8",
    )
    os.utime(importer, ns=(before + 10**9, before + 10**9))
    assert "AIO504" not in check()
