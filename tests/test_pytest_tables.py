"""Settings pytest never reads: tables only pytest 9 knows, misspelled headers, another file's header (AIO604,
AIO606, AIO607); the mode `addopts` decides (AIO603); configs that govern no test (AIO602).

Each scenario's runtime behaviour was observed with pytest 7.4.4, 8.3.5, 8.4.2, 9.0.0 and 9.2.0: pytest 9.0
is the first release that reads `pytest.toml` and `[tool.pytest]`; no release says anything about a table it
does not read, except pytest 9's "ignoring pytest config in ..." for a losing file of the config's folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.diagnostics import Applicability
from asynclint.model.pytest_config import ConfigFinder
from asynclint.model.versions import PackageVersion, ProjectVersions
from tests.helpers import run, run_asynclint, write_project

UNMARKED = "async def test_a():\n    pass\n"
MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
PYTEST_8 = ProjectVersions(None, {"pytest": PackageVersion("pytest", "8.4.2", None, "test")})


def findings(root: Path, files: dict[str, str], *codes: str) -> list[tuple[str, int, str, str]]:
    write_project(root, files)
    result = run([root], cwd=root, select=list(codes))
    assert not result.internal_errors, result.internal_errors
    return [(d.path, d.line, d.code, d.message) for d in result.diagnostics]


# -- AIO604: tables only pytest 9 reads -----------------------------------------------------------------------


def test_native_table_on_pytest_8_is_reported_at_its_header(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.5.0\n",
        "pyproject.toml": '[project]\nname = "app"\n\n[tool.pytest]\nasyncio_mode = "auto"\n',
        "tests/test_a.py": UNMARKED,
    }
    ((path, line, code, message),) = findings(tmp_path, files, "AIO604")
    assert (path, line, code) == ("pyproject.toml", 4, "AIO604")
    assert message.startswith("pytest 8.4.2 does not read `[tool.pytest]`")
    assert "pyproject.toml stays pytest's config file" in message
    # The table does nothing there: the unmarked test is left to strict mode.
    assert [code for _, _, code, _ in findings(tmp_path, {}, "AIO101")] == ["AIO101"]


def test_native_table_on_pytest_9_is_read(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest==9.0.0\npytest-asyncio==1.5.0\n",
        "pyproject.toml": '[tool.pytest]\nasyncio_mode = "auto"\nasyncio_default_fixture_loop_scope = "function"\n',
        "tests/test_a.py": UNMARKED,
    }
    assert findings(tmp_path, files, "AIO604", "AIO101") == []


def test_pytest_toml_alone_on_pytest_8_is_reported(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest==8.4.2\n",
        "pytest.toml": '[pytest]\nasyncio_mode = "auto"\n',
        "tests/test_a.py": MARKED,
    }
    ((path, line, code, message),) = findings(tmp_path, files, "AIO604")
    assert (path, line, code) == ("pytest.toml", 1, "AIO604")
    assert "pytest 8.4.2 does not read pytest.toml" in message
    assert "no config file applies" in message


def test_unpinned_pytest_gets_both_sides(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest>=8\n",
        "pytest.toml": '[pytest]\nasyncio_mode = "auto"\n',
        "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
        "tests/test_a.py": MARKED,
    }
    found = {path: message for path, _, _, message in findings(tmp_path, files, "AIO604")}
    assert found["pytest.toml"].startswith("only pytest 9.0 and later read pytest.toml")
    assert "pytest reads pytest.ini instead (the pytest version is not pinned)" in found["pytest.toml"]
    assert found["pytest.ini"].startswith("pytest 9.0 and later read pytest.toml in this folder")
    assert "earlier releases read these settings" in found["pytest.ini"]


@pytest.mark.parametrize(
    ("pin", "said"),
    [
        ("pytest==9.2.0", 'pytest 9.2.0 only says "ignoring pytest config in pyproject.toml" in its header'),
        ("pytest==8.4.2", "pytest 8.4.2 says nothing about it"),
    ],
)
def test_shadowed_table_says_what_pytest_prints(tmp_path: Path, pin: str, said: str) -> None:
    files = {
        "requirements.txt": pin + "\n",
        "pytest.ini": "[pytest]\naddopts = -ra\n",
        "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
        "tests/test_a.py": MARKED,
    }
    ((path, _, _, message),) = findings(tmp_path, files, "AIO604")
    assert path == "pyproject.toml" and said in message


def test_dot_pytest_ini_without_section_is_no_config_before_pytest_9(tmp_path: Path) -> None:
    write_project(tmp_path, {".pytest.ini": "; settings to come\n", "tox.ini": "[pytest]\nasyncio_mode = auto\n"})
    assert ConfigFinder().for_directory(tmp_path, PYTEST_8).path == str(tmp_path / "tox.ini")
    assert ConfigFinder().locate(tmp_path, pytest_9=True).path == str(tmp_path / ".pytest.ini")


# -- AIO606: misspelled headers ---------------------------------------------------------------------------


def test_misspelled_table_is_renamed_and_then_read(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "app"\n\n[tool.pytest.ini_otions]  # settings\nasyncio_mode = "auto"\n'
    files = {"requirements.txt": "pytest==8.4.2\npytest-asyncio==1.5.0\n", "pyproject.toml": pyproject}
    files["tests/test_a.py"] = UNMARKED
    found = findings(tmp_path, files, "AIO606", "AIO101")
    assert [(path, line, code) for path, line, code, _ in found] == [
        ("pyproject.toml", 4, "AIO606"),
        ("tests/test_a.py", 1, "AIO101"),
    ]
    assert "pytest 8.4.2 ignores it without a word" in found[0][3]
    fixed = run([tmp_path], cwd=tmp_path, select=["AIO606"], fix=Applicability.SAFE)
    assert fixed.fixed == 1
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text == pyproject.replace("ini_otions", "ini_options")
    assert findings(tmp_path, {}, "AIO606", "AIO101") == []


def test_misspelled_sub_table_on_pytest_9_is_an_unknown_option(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest==9.2.0\n",
        "pyproject.toml": '[tool.pytest.ini-options]\nasyncio_mode = "auto"\n',
        "tests/test_a.py": MARKED,
    }
    ((_, _, _, message),) = findings(tmp_path, files, "AIO606")
    assert 'warns "Unknown config option: ini-options"' in message


def test_no_rename_next_to_a_real_table(tmp_path: Path) -> None:
    pyproject = '[tool.pytest.ini_otions]\nasyncio_mode = "auto"\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n'
    files = {"requirements.txt": "pytest==8.4.2\n", "pyproject.toml": pyproject, "tests/test_a.py": MARKED}
    write_project(tmp_path, files)
    result = run([tmp_path], cwd=tmp_path, select=["AIO606"], fix=Applicability.UNSAFE)
    assert [(d.code, d.fix) for d in result.diagnostics] == [("AIO606", None)]
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == pyproject


def test_rename_that_would_displace_another_config_is_unsafe(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        "sub/tox.ini": "[pytset]\nasyncio_mode = auto\n",
        "sub/test_a.py": MARKED,
    }
    write_project(tmp_path, files)
    result = run([tmp_path], cwd=tmp_path, select=["AIO606"], fix=Applicability.SAFE)
    ((diagnostic,),) = [result.diagnostics]
    assert diagnostic.path == "sub/tox.ini" and "pytest reads ../pytest.ini instead" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.UNSAFE
    assert (tmp_path / "sub/tox.ini").read_text(encoding="utf-8").startswith("[pytset]")


def test_other_tools_tables_are_not_misspellings(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.pytype]\ninputs = ["src"]\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n',
        "tox.ini": "[pytype]\ndisable = import-error\n\n[testenv]\ncommands = pytest\n",
        "tests/test_a.py": MARKED,
    }
    assert findings(tmp_path, files, "AIO606", "AIO607") == []


# -- AIO607: another file's header --------------------------------------------------------------------------


def test_header_of_another_file(tmp_path: Path) -> None:
    files = {
        "setup.cfg": "[metadata]\nname = app\n\n[tool.pytest.ini_options]\nasyncio_mode = auto\n",
        "integration/tox.ini": "[tox]\nenvlist = py312\n\n[tool:pytest]\nasyncio_mode = auto\n",
        "integration/test_b.py": MARKED,
        "pytest.ini": "[pytest]\n",
        "tests/test_a.py": MARKED,
    }
    found = [(path, line, code) for path, line, code, _ in findings(tmp_path, files, "AIO607")]
    assert found == [("integration/tox.ini", 4, "AIO607"), ("setup.cfg", 4, "AIO607")]


def test_pytest_section_in_setup_cfg_stays_an_invalid_config(tmp_path: Path) -> None:
    files = {"setup.cfg": "[pytest]\nasyncio_mode = auto\n", "tests/test_a.py": MARKED}
    assert [code for _, _, code, _ in findings(tmp_path, files, "AIO601", "AIO607")] == ["AIO601"]


def test_unquoted_setup_cfg_header_in_pyproject_says_what_to_write(tmp_path: Path) -> None:
    files = {"pyproject.toml": "[tool:pytest]\nasyncio_mode = 'auto'\n", "tests/test_a.py": MARKED}
    ((path, line, code, message),) = findings(tmp_path, files, "AIO001", "AIO607")
    assert (path, line, code) == ("pyproject.toml", 1, "AIO001")
    assert "in this file pytest reads `[tool.pytest.ini_options]`" in message


def test_headers_inside_multi_line_strings_are_not_tables(tmp_path: Path) -> None:
    legacy_tox = '[tool.tox]\nlegacy_tox_ini = """\n[pytest]\naddopts = -ra\n\n[testenv]\ncommands = pytest\n"""\n'
    files = {"pyproject.toml": legacy_tox + '\n[tool.pytest.ini_options]\naddopts = "-ra"\n', "tests/test_a.py": MARKED}
    assert findings(tmp_path, files, "AIO604", "AIO606", "AIO607") == []


# -- AIO603: auto mode from addopts ---------------------------------------------------------------------------

TRIO_BACKEND = (
    "import pytest\n\n\n@pytest.fixture(params=['asyncio', 'trio'])\ndef anyio_backend(request):\n"
    "    return request.param\n\n\n@pytest.mark.anyio\nasync def test_a():\n    pass\n"
)


def test_auto_mode_from_addopts_is_reported_on_addopts(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\nanyio==4.16.0\ntrio==0.35.0\n",
        "pytest.ini": "[pytest]\nasyncio_mode = strict\naddopts = -ra --asyncio-mode=auto\n",
        # A losing table's option is no command line: pytest never reads it.
        "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "--asyncio-mode=strict"\n',
        "tests/test_a.py": TRIO_BACKEND,
    }
    ((path, line, code, message),) = findings(tmp_path, files, "AIO603")
    assert (path, line, code) == ("pytest.ini", 3, "AIO603")
    assert "which beats `asyncio_mode = strict` on line 2" in message


def test_strict_key_with_strict_addopts_is_quiet(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\nasyncio_mode = auto\naddopts = --asyncio-mode=strict\n",
        "tests/test_a.py": TRIO_BACKEND,
    }
    assert findings(tmp_path, files, "AIO603") == []


# -- AIO602: configs that govern no test --------------------------------------------------------------------


def test_config_with_no_test_below_it_is_not_reported(tmp_path: Path) -> None:
    library = '[project]\nname = "proto"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'
    files = {
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        "tests/test_a.py": MARKED,
        "libs/proto/pyproject.toml": library,
        "libs/proto/src/proto/__init__.py": "async def decode(raw):\n    return raw\n",
    }
    assert findings(tmp_path, files, "AIO602") == []
    write_project(tmp_path, {"libs/proto/tests/test_decode.py": MARKED})
    assert [(path, code) for path, _, code, _ in findings(tmp_path, {}, "AIO602")] == [
        ("libs/proto/pyproject.toml", "AIO602")
    ]


def test_cli_reports_and_fixes_a_misspelled_table(tmp_path: Path) -> None:
    write_project(tmp_path, {"setup.cfg": "[tool:pyest]\nasyncio_mode = auto\n", "tests/test_a.py": MARKED})
    reported = run_asynclint(tmp_path, "--select", "AIO606", ".")
    assert reported.returncode == 1
    assert reported.stdout.startswith("setup.cfg:1:1: AIO606 [*] `[tool:pyest]` is not a table pytest reads")
    fixed = run_asynclint(tmp_path, "--select", "AIO606", "--fix", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == "[tool:pytest]\nasyncio_mode = auto\n"
