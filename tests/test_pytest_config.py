"""pytest config discovery and the asyncio mode, scenario by scenario as pytest itself behaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.model.pytest_config import ConfigFinder
from asynclint.model.settings import derive_settings, external_mode_sources
from asynclint.model.versions import PackageVersion, ProjectVersions
from tests.helpers import write_project

PYTEST_8 = ProjectVersions(None, {"pytest": PackageVersion("pytest", "8.3.5", None, "test")})
PYTEST_9 = ProjectVersions(None, {"pytest": PackageVersion("pytest", "9.2.0", None, "test")})
UNKNOWN = ProjectVersions(None, {})


def mode_for(
    root: Path, files: dict[str, str], versions: ProjectVersions = PYTEST_9, where: str = "tests"
) -> str | None:
    write_project(root, {**files, f"{where}/test_x.py": "async def test_x(): pass\n"})
    config = ConfigFinder(stop_at=root).for_directory(root / where, versions)
    return derive_settings(config).asyncio_mode


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}, "auto", id="pytest.ini"),
        pytest.param({".pytest.ini": "[pytest]\nasyncio_mode = auto\n"}, "auto", id="dot-pytest.ini"),
        pytest.param(
            {"pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'}, "auto", id="pyproject-ini_options"
        ),
        pytest.param({"tox.ini": "[pytest]\nasyncio_mode = auto\n"}, "auto", id="tox.ini"),
        pytest.param({"setup.cfg": "[tool:pytest]\nasyncio_mode = auto\n"}, "auto", id="setup.cfg"),
        pytest.param(
            {"pytest.ini": "", "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'},
            "strict",
            id="empty-pytest.ini-wins",
        ),
        pytest.param(
            {
                "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n',
                "tox.ini": "[pytest]\nasyncio_mode = auto\n",
            },
            "strict",
            id="pyproject-before-tox",
        ),
        pytest.param(
            {"tox.ini": "[pytest]\nasyncio_mode = strict\n", "setup.cfg": "[tool:pytest]\nasyncio_mode = auto\n"},
            "strict",
            id="tox-before-setup.cfg",
        ),
        pytest.param(
            {"pyproject.toml": "[project]\nname = 'x'\n", "tox.ini": "[pytest]\nasyncio_mode = auto\n"},
            "auto",
            id="pyproject-without-table-is-skipped",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenvlist = py3\n", "pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
            "auto",
            id="tox-without-pytest-section",
        ),
        pytest.param({"pytest.ini": "[pytest]\naddopts = --asyncio-mode=auto\n"}, "auto", id="addopts"),
        pytest.param({"pytest.ini": "[pytest]\naddopts = -ra --asyncio-mode auto\n"}, "auto", id="addopts-space"),
        pytest.param(
            {"pytest.ini": "[pytest]\nasyncio_mode = strict\naddopts = --asyncio-mode=auto\n"},
            "auto",
            id="option-beats-key",
        ),
        pytest.param(
            {"pytest.ini": "[pytest]\naddopts = --asyncio-mode=auto --asyncio-mode=strict\n"},
            "strict",
            id="last-option-wins",
        ),
        pytest.param({"pytest.ini": "[pytest]\naddopts = -o asyncio_mode=auto\n"}, "auto", id="override-ini"),
        pytest.param({"pytest.ini": '[pytest]\nasyncio_mode = "auto"\n'}, None, id="quotes-are-literal-in-ini"),
        pytest.param({"pytest.ini": "[pytest]\nasyncio_mode = AUTO\n"}, None, id="case-sensitive"),
        pytest.param({"pytest.ini": "[pytest]\nasyncio_mode = auto  # comment\n"}, None, id="inline-comment-is-value"),
        pytest.param({"pytest.ini": "[pytest]\nasyncio_mode = legacy\n"}, None, id="legacy-removed"),
        pytest.param({"setup.cfg": "[pytest]\nasyncio_mode = auto\n"}, None, id="setup.cfg-pytest-section-fails"),
        pytest.param({"pytest.ini": "[pytest\n"}, None, id="unparsable-ini"),
        pytest.param({"pyproject.toml": "[tool.pytest.ini_options\n"}, None, id="unparsable-toml"),
        pytest.param({}, "strict", id="no-config"),
    ],
)
def test_mode_follows_pytest_discovery(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    assert mode_for(tmp_path, files) == expected


def test_config_in_a_parent_folder_applies(tmp_path: Path) -> None:
    assert mode_for(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"}, where="tests/unit/db") == "auto"


def test_nearest_config_wins_for_sub_projects(tmp_path: Path) -> None:
    write_project(tmp_path, {"pytest.ini": "[pytest]\n", "pkg/pytest.ini": "[pytest]\nasyncio_mode = auto\n"})
    assert mode_for(tmp_path, {}, where="pkg/tests") == "auto"
    assert mode_for(tmp_path, {}, where="other/tests") == "strict"


def test_nested_pyproject_without_pytest_table_does_not_stop_the_walk(tmp_path: Path) -> None:
    files = {"pytest.ini": "[pytest]\nasyncio_mode = auto\n", "pkg/pyproject.toml": "[project]\nname = 'pkg'\n"}
    assert mode_for(tmp_path, files, where="pkg/tests") == "auto"


@pytest.mark.parametrize(("versions", "expected"), [(PYTEST_8, "strict"), (PYTEST_9, "auto"), (UNKNOWN, "auto")])
def test_native_toml_tables_need_pytest_9(tmp_path: Path, versions: ProjectVersions, expected: str) -> None:
    assert mode_for(tmp_path, {"pyproject.toml": '[tool.pytest]\nasyncio_mode = "auto"\n'}, versions) == expected


@pytest.mark.parametrize(("versions", "expected"), [(PYTEST_8, "strict"), (PYTEST_9, "auto")])
def test_pytest_toml_needs_pytest_9(tmp_path: Path, versions: ProjectVersions, expected: str) -> None:
    files = {"pytest.toml": '[pytest]\nasyncio_mode = "auto"\n', "pytest.ini": "[pytest]\nasyncio_mode = strict\n"}
    assert mode_for(tmp_path, files, versions) == expected


def test_native_toml_addopts_list(tmp_path: Path) -> None:
    assert mode_for(tmp_path, {"pytest.toml": '[pytest]\naddopts = ["--asyncio-mode=auto"]\n'}) == "auto"


def test_both_pyproject_tables_are_an_error_on_pytest_9_only(tmp_path: Path) -> None:
    text = '[tool.pytest]\nasyncio_mode = "auto"\n\n[tool.pytest.ini_options]\nasyncio_mode = "strict"\n'
    assert mode_for(tmp_path / "a", {"pyproject.toml": text}, PYTEST_9) is None
    assert mode_for(tmp_path / "b", {"pyproject.toml": text}, PYTEST_8) == "strict"


def test_problem_names_file_and_line(tmp_path: Path) -> None:
    write_project(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = auto\nasyncio_mode = strict\n"})
    config = ConfigFinder().for_directory(tmp_path, PYTEST_9)
    assert config.problem is not None
    assert config.problem.path == str(tmp_path / "pytest.ini")
    assert config.problem.line == 3
    assert "duplicate" in config.problem.message


def test_rootdir_is_the_config_folder(tmp_path: Path) -> None:
    write_project(tmp_path, {"tox.ini": "[pytest]\n", "tests/unit/x.py": ""})
    config = ConfigFinder().for_directory(tmp_path / "tests" / "unit", PYTEST_9)
    assert config.rootdir == str(tmp_path)
    assert config.path == str(tmp_path / "tox.ini")


def test_last_resort_pyproject_becomes_the_config(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "tests/x.py": ""})
    config = ConfigFinder().for_directory(tmp_path / "tests", PYTEST_9)
    assert config.path == str(tmp_path / "pyproject.toml")
    assert config.values == {}


def settings_for(tmp_path: Path, ini: str):  # type: ignore[no-untyped-def]
    write_project(tmp_path, {"pytest.ini": ini})
    return derive_settings(ConfigFinder().for_directory(tmp_path, PYTEST_9))


def test_plugin_disabled_in_addopts(tmp_path: Path) -> None:
    assert settings_for(tmp_path, "[pytest]\naddopts = -p no:asyncio\n").asyncio_plugin_disabled
    assert settings_for(tmp_path / "b", "[pytest]\naddopts = -pno:asyncio\n").asyncio_plugin_disabled
    assert not settings_for(tmp_path / "c", "[pytest]\naddopts = -p no:cacheprovider\n").asyncio_plugin_disabled


def test_anyio_and_trio_modes(tmp_path: Path) -> None:
    assert settings_for(tmp_path, "[pytest]\nanyio_mode = auto\n").anyio_auto
    assert settings_for(tmp_path / "b", "[pytest]\naddopts = --anyio-mode=auto\n").anyio_auto
    assert settings_for(tmp_path / "c", "[pytest]\ntrio_mode = true\n").trio_mode
    assert settings_for(tmp_path / "d", "[pytest]\ntrio_mode = 1\n").trio_mode
    assert not settings_for(tmp_path / "e", "[pytest]\ntrio_mode = false\n").trio_mode


def test_collection_patterns(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "[pytest]\npython_files = check_*.py\npython_functions = check_* it_\n")
    assert settings.is_test_module(Path("check_api.py"))
    assert not settings.is_test_module(Path("test_api.py"))
    assert settings.is_test_function("check_x") and settings.is_test_function("it_works")
    assert not settings.is_test_function("test_x")
    defaults = settings_for(tmp_path / "b", "[pytest]\n")
    assert defaults.is_test_module(Path("test_a.py")) and defaults.is_test_module(Path("a_test.py"))
    assert defaults.is_test_class("TestX") and not defaults.is_test_class("XTest")


def test_registered_markers(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "[pytest]\nmarkers =\n    slow: slow tests\n    net(host): network\n")
    assert settings.registered_markers == ("slow", "net")


def test_mode_passed_by_ci_is_unknown(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            ".git/HEAD": "",
            "pytest.ini": "[pytest]\n",
            ".github/workflows/ci.yml": "steps:\n  - run: pytest --asyncio-mode=auto\n",
        },
    )
    config = ConfigFinder().for_directory(tmp_path, PYTEST_9)
    sources = external_mode_sources(tmp_path, config)
    assert sources == (".github/workflows/ci.yml",)
    settings = derive_settings(config, external_mode_sources=sources)
    assert settings.asyncio_mode is None
    told = derive_settings(config, mode_override=("strict", "[tool.asynclint]"), external_mode_sources=sources)
    assert told.asyncio_mode == "strict"


def test_winning_config_table_is_not_an_external_source(tmp_path: Path) -> None:
    write_project(tmp_path, {"tox.ini": "[pytest]\naddopts = --asyncio-mode=auto\n\n[testenv]\ncommands = pytest\n"})
    config = ConfigFinder().for_directory(tmp_path, PYTEST_9)
    assert external_mode_sources(tmp_path, config) == ()
    write_project(tmp_path, {"tox.ini": "[pytest]\n\n[testenv]\ncommands = pytest --asyncio-mode=strict\n"})
    assert external_mode_sources(tmp_path, ConfigFinder().for_directory(tmp_path, PYTEST_9)) == ("tox.ini",)
