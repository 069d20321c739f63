"""Config findings are positioned in the config file, and their fixes keep every other byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
PINS = "pytest==9.2.0\npytest-asyncio==1.5.0\n"


def test_quoted_value_fix_keeps_crlf_comments_and_order(tmp_path: Path) -> None:
    before = (
        b"; suite settings\r\n[pytest]\r\naddopts = -ra\r\n"
        b'asyncio_default_fixture_loop_scope = "function"\r\n; the line above was quoted by mistake\r\n\r\n'
        b"[flake8]\r\nmax = 1\r\n"
    )
    write_project(tmp_path, {"requirements.txt": PINS, "tests/test_a.py": MARKED})
    (tmp_path / "tox.ini").write_bytes(before)
    found = run([tmp_path], cwd=tmp_path, select=["AIO6"])
    assert [(d.path, d.line, d.column, d.code) for d in found.diagnostics] == [("tox.ini", 4, 1, "AIO601")]

    fixed = run([tmp_path], cwd=tmp_path, select=["AIO6"], fix=Applicability.SAFE)
    assert fixed.diagnostics == [] and fixed.fixed == 1
    assert (tmp_path / "tox.ini").read_bytes() == before.replace(b'"function"', b"function")


def test_configs_pytest_rejects_are_findings_not_read_errors(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "requirements.txt": PINS,
            "setup.cfg": "[metadata]\nname = x\n\n[pytest]\nasyncio_mode = auto\n",
            "tests/test_a.py": MARKED,
        },
    )
    result = run([tmp_path], cwd=tmp_path, select=["AIO6"])
    assert [(d.path, d.line, d.code) for d in result.diagnostics] == [("setup.cfg", 4, "AIO601")]
    assert not result.has_errors


def test_shadowed_table_is_reported_in_the_file_pytest_ignores(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "requirements.txt": PINS,
            "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
            "tests/test_a.py": MARKED,
        },
    )
    result = run([tmp_path], cwd=tmp_path, select=["AIO6"])
    assert [(d.path, d.line, d.code) for d in result.diagnostics] == [("pyproject.toml", 4, "AIO604")]
    assert "`asyncio_mode`" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("conftest", "fixed"),
    [
        ("@pytest.fixture(scope='module')\ndef app():\n    return {}\n", True),
        ("@pytest.mark.asyncio(loop_scope='module')\nasync def test_b():\n    pass\n", True),
        ("@pytest.fixture(scope='module')\nasync def app():\n    return {}\n", False),
        ("@pytest_asyncio.fixture(scope='module')\ndef app():\n    return {}\n", False),
        ("@pytest.fixture(scope=SCOPE)\nasync def app():\n    return {}\n", False),
        ("@pytest.fixture(scope='module')\ndef app(:\n", False),  # unreadable: it may be anything
    ],
)
def test_the_default_fixture_loop_scope_is_set_to_function_only_where_no_loop_fixture_outlives_one(
    tmp_path: Path, conftest: str, fixed: bool
) -> None:
    """`function` changes nothing only when no fixture pytest-asyncio sets up with a loop is cached beyond a
    function (pytest-asyncio 1.3 has no `fixture-scope` value to fall back to)."""
    head = "import pytest\nimport pytest_asyncio\n\nSCOPE = 'module'\n\n\n"
    write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.3.0\n",
            "tests/conftest.py": head + conftest,
            "tests/test_a.py": MARKED,
        },
    )
    (found,) = [d for d in run([tmp_path], cwd=tmp_path, select=["AIO602"]).diagnostics if d.code == "AIO602"]
    assert (found.fix is not None) is fixed
