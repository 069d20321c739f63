"""What the pinned pytest-asyncio and pytest releases change: the asyncio modes before 0.19 (none before 0.17,
legacy by default on 0.17 and 0.18, `legacy` valid up to 0.19), `pytest_asyncio.fixture` from 0.17, and whether
pytest shows the warning about an unset `asyncio_default_fixture_loop_scope`.

Each project pins its versions the way a real one does; the findings and messages must match what those
releases do when pytest runs the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability
from asynclint.model.pytest_config import ConfigFinder
from asynclint.model.settings import PytestSettings, derive_settings
from asynclint.model.versions import PackageVersion, ProjectVersions
from tests.helpers import run, write_project

CONFTEST = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\nasync def value():\n"
    "    await asyncio.sleep(0)\n    yield 42\n"
)
#: A module-level mark, a test that uses the plain async fixture, and a sync test that uses it.
MARKED_MODULE = (
    "import pytest\n\npytestmark = pytest.mark.asyncio\n\n\nasync def test_value(value):\n    assert value == 42\n"
)
SYNC_MODULE = "def test_sync(value):\n    assert value == 42\n"
UNMARKED = "import pytest\n\n\nasync def test_unmarked():\n    pass\n"


def pins(asyncio: str | None, pytest_version: str = "7.0.1") -> str:
    lines = [f"pytest=={pytest_version}", f"pytest-asyncio=={asyncio}" if asyncio else "pytest-asyncio"]
    return "\n".join(lines) + "\n"


def lint(root: Path, files: dict[str, str], **options: object) -> RunResult:
    write_project(root, files)
    return run([root], cwd=root, **options)


def codes(result: RunResult) -> list[tuple[str, str]]:
    return sorted((d.path, d.code) for d in result.diagnostics)


def settings(root: Path, ini: str, asyncio: str | None) -> PytestSettings:
    write_project(root, {"pytest.ini": ini})
    packages = {"pytest-asyncio": PackageVersion("pytest-asyncio", asyncio, None, "a pin")} if asyncio else {}
    versions = ProjectVersions(None, packages)
    return derive_settings(ConfigFinder(stop_at=root).for_directory(root, versions), versions=versions)


# -- the mode, release by release ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ini", "asyncio", "mode"),
    [
        pytest.param("[pytest]\n", "0.16.0", "legacy", id="0.16-no-modes"),
        pytest.param("[pytest]\nasyncio_mode = auto\n", "0.16.0", "legacy", id="0.16-ignores-the-setting"),
        pytest.param("[pytest]\nasyncio_mode = strict\n", "0.16.0", "legacy", id="0.16-ignores-strict"),
        pytest.param("[pytest]\naddopts = --asyncio-mode=auto\n", "0.16.0", None, id="0.16-unknown-option"),
        pytest.param("[pytest]\n", "0.17.0", "legacy", id="0.17-default"),
        pytest.param("[pytest]\n", "0.18.3", "legacy", id="0.18-default"),
        pytest.param("[pytest]\nasyncio_mode = strict\n", "0.18.3", "strict", id="0.18-strict"),
        pytest.param("[pytest]\n", "0.19.0", "strict", id="0.19-default"),
        pytest.param("[pytest]\nasyncio_mode = legacy\n", "0.19.0", "legacy", id="0.19-legacy-still-valid"),
        pytest.param("[pytest]\nasyncio_mode = legacy\n", "0.20.3", None, id="0.20-legacy-removed"),
        pytest.param("[pytest]\nasyncio_mode = legacy\n", None, None, id="unpinned-legacy-invalid"),
        pytest.param("[pytest]\n", None, "strict", id="unpinned-default"),
    ],
)
def test_mode_follows_the_pinned_release(tmp_path: Path, ini: str, asyncio: str | None, mode: str | None) -> None:
    assert settings(tmp_path, ini, asyncio).asyncio_mode == mode


def test_reasons_say_where_the_mode_comes_from(tmp_path: Path) -> None:
    no_modes = settings(tmp_path / "a", "[pytest]\nasyncio_mode = auto\n", "0.16.0")
    assert "0.16.0" in no_modes.mode_reason and "has no modes" in no_modes.mode_reason
    assert "does nothing" in no_modes.mode_reason
    legacy = settings(tmp_path / "b", "[pytest]\n", "0.18.3")
    assert "legacy is the default of pytest-asyncio 0.18.3" in legacy.mode_reason
    assert settings(tmp_path / "c", "[pytest]\n", "0.19.0").mode_reason == "`asyncio_mode` is not set"
    assumed = settings(tmp_path / "d", "[pytest]\n", None).mode_reason
    assert "not pinned" in assumed and "current release is assumed" in assumed


def test_legacy_mode_needs_marks_and_runs_plain_fixtures(tmp_path: Path) -> None:
    legacy = settings(tmp_path / "a", "[pytest]\n", "0.16.0")
    strict = settings(tmp_path / "b", "[pytest]\n", "0.19.0")
    auto = settings(tmp_path / "c", "[pytest]\nasyncio_mode = auto\n", "0.19.0")
    assert (legacy.marks_needed, legacy.runs_plain_async_fixtures) == (True, True)
    assert (strict.marks_needed, strict.runs_plain_async_fixtures) == (True, False)
    assert (auto.marks_needed, auto.runs_plain_async_fixtures) == (False, True)


# -- plain async fixtures (AIO301, AIO302) ------------------------------------------------------------------


@pytest.mark.parametrize("asyncio", ["0.16.0", "0.17.2", "0.18.3"])
def test_plain_async_fixture_runs_before_0_19(tmp_path: Path, asyncio: str) -> None:
    """pytest-asyncio before 0.19 runs a plain `@pytest.fixture` async fixture, for sync tests too."""
    result = lint(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": pins(asyncio),
            "conftest.py": CONFTEST,
            "test_it.py": MARKED_MODULE,
            "test_sync.py": SYNC_MODULE,
        },
    )
    assert codes(result) == []


def test_plain_async_fixture_is_reported_from_0_19(tmp_path: Path) -> None:
    result = lint(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": pins("0.19.0"),
            "conftest.py": CONFTEST,
            "test_it.py": MARKED_MODULE,
            "test_sync.py": SYNC_MODULE,
        },
    )
    assert codes(result) == [("conftest.py", "AIO301"), ("test_sync.py", "AIO302")]
    (fixture,) = [d for d in result.diagnostics if d.code == "AIO301"]
    assert fixture.fix is not None and "(`asyncio_mode` is not set)" in fixture.message


def test_plain_async_fixture_with_an_unpinned_version_says_what_it_assumes(tmp_path: Path) -> None:
    result = lint(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": pins(None),
            "conftest.py": CONFTEST,
            "test_it.py": MARKED_MODULE,
        },
    )
    (finding,) = [d for d in result.diagnostics if d.code == "AIO301"]
    assert "strict is the default from pytest-asyncio 0.19" in finding.message
    assert "current release is assumed" in finding.message


def test_no_pytest_asyncio_fixture_fix_where_the_pinned_release_lacks_it(tmp_path: Path) -> None:
    """Told that the suite runs in strict mode, asynclint still reports the fixture, but 0.16 has no
    `pytest_asyncio.fixture`: the fixed module would fail at import, so no fix is offered."""
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": pins("0.16.0"),
        "test_it.py": (
            "import pytest\n\n\n@pytest.fixture\nasync def value():\n    return 42\n\n\n"
            "def test_sync(value):\n    assert value == 42\n"
        ),
    }
    result = lint(tmp_path, files, asyncio_mode="strict", fix=Applicability.SAFE)
    assert sorted(d.code for d in result.diagnostics) == ["AIO301", "AIO302"]
    assert all(d.fix is None for d in result.diagnostics)
    assert (tmp_path / "test_it.py").read_text(encoding="utf-8") == files["test_it.py"]


# -- unmarked tests (AIO101) and marks on sync tests (AIO102) ------------------------------------------------


@pytest.mark.parametrize(("asyncio", "words"), [("0.16.0", "has no modes"), ("0.18.3", "legacy is the default")])
def test_unmarked_async_test_is_not_run_before_0_19_either(tmp_path: Path, asyncio: str, words: str) -> None:
    result = lint(tmp_path, {"pytest.ini": "[pytest]\n", "requirements.txt": pins(asyncio), "test_it.py": UNMARKED})
    (finding,) = result.diagnostics
    assert finding.code == "AIO101" and finding.fix is not None
    assert "runs only marked tests in legacy mode" in finding.message and words in finding.message
    assert "pytest 7.0.1 skips it" in finding.message


def test_mark_on_sync_test_is_silent_before_0_18(tmp_path: Path) -> None:
    module = "import pytest\n\n\n@pytest.mark.asyncio\ndef test_sync():\n    pass\n"
    old = lint(tmp_path / "a", {"requirements.txt": pins("0.17.2"), "test_it.py": module})
    new = lint(tmp_path / "b", {"requirements.txt": pins("0.18.3"), "test_it.py": module})
    assert "the mark does nothing (pytest-asyncio 0.17.2 does not warn about it" in old.diagnostics[0].message
    assert "pytest-asyncio warns" in new.diagnostics[0].message


def test_legacy_mode_runs_plain_async_fixtures_in_the_loop(tmp_path: Path) -> None:
    """A plain async fixture runs in the event loop in legacy mode, so blocking it is reported (AIO502)."""
    module = (
        "import time\n\nimport pytest\n\n\n@pytest.fixture\nasync def slow():\n    time.sleep(1)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_slow(slow):\n    pass\n"
    )
    legacy = lint(tmp_path / "a", {"requirements.txt": pins("0.18.3"), "test_it.py": module}, select=["AIO502"])
    strict = lint(tmp_path / "b", {"requirements.txt": pins("0.19.0"), "test_it.py": module}, select=["AIO502"])
    assert [d.code for d in legacy.diagnostics] == ["AIO502"]
    assert strict.diagnostics == []


def test_wider_plain_async_fixture_meets_the_function_loop_in_legacy_mode(tmp_path: Path) -> None:
    """Legacy mode runs a module-scoped plain async fixture, in the function-scoped `event_loop`: ScopeMismatch."""
    module = (
        "import pytest\n\n\n@pytest.fixture(scope='module')\nasync def pool():\n    return 1\n\n\n"
        "@pytest.mark.asyncio\nasync def test_pool(pool):\n    pass\n"
    )
    result = lint(tmp_path, {"requirements.txt": pins("0.18.3"), "test_it.py": module}, select=["AIO401"])
    (finding,) = result.diagnostics
    assert "on pytest-asyncio 0.18.3 (from a pin in requirements.txt) it runs in the default `event_loop`" in (
        finding.message
    )


# -- the config file (AIO601, AIO605) -----------------------------------------------------------------------


def config_findings(root: Path, ini: str, requirements: str) -> list[tuple[str, str]]:
    files = {"pytest.ini": ini, "requirements.txt": requirements, "test_it.py": MARKED_MODULE}
    result = lint(root, files, select=["AIO6"])
    return [(d.code, d.message) for d in result.diagnostics]


@pytest.mark.parametrize("asyncio", ["0.17.2", "0.18.3", "0.19.0"])
def test_legacy_mode_is_valid_up_to_0_19(tmp_path: Path, asyncio: str) -> None:
    assert config_findings(tmp_path, "[pytest]\nasyncio_mode = legacy\n", pins(asyncio)) == []


@pytest.mark.parametrize(
    ("asyncio", "outcome"),
    [
        ("0.20.3", "pytest-asyncio 0.20.3 stops pytest at startup with an internal error (ValueError)"),
        ("0.21.1", "pytest-asyncio 0.21.1 stops pytest at startup with a usage error"),
        (None, "a current release is assumed"),
    ],
)
def test_legacy_mode_is_invalid_from_0_20(tmp_path: Path, asyncio: str | None, outcome: str) -> None:
    ((code, message),) = config_findings(tmp_path, "[pytest]\nasyncio_mode = legacy\n", pins(asyncio, "7.4.4"))
    assert code == "AIO601" and outcome in message and "removed in pytest-asyncio 0.20" in message


def test_mode_settings_before_0_17_do_nothing(tmp_path: Path) -> None:
    """0.16 has no `asyncio_mode` (an unknown option, AIO605, not an invalid value) and no `--asyncio-mode`."""
    ((code, message),) = config_findings(tmp_path / "a", "[pytest]\nasyncio_mode = Auto\n", pins("0.16.0"))
    assert code == "AIO605" and "`asyncio_mode` needs pytest-asyncio 0.17" in message
    ((code, message),) = config_findings(tmp_path / "b", "[pytest]\naddopts = --asyncio-mode=auto\n", pins("0.16.0"))
    assert code == "AIO605" and "usage error" in message


# -- the unset default fixture loop scope (AIO602) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("pytest_version", "asyncio", "ini", "expected", "absent"),
    [
        ("8.3.4", "0.24.0", "[pytest]\n", "pytest 8.3.4 shows the warning at every run", "stops"),
        ("8.4.2", "1.2.0", "[pytest]\n", "pytest 8.4.2 does not show the warning", "every run"),
        (
            "9.0.3",
            "1.3.0",
            "[pytest]\nfilterwarnings =\n    error\n",
            "`filterwarnings = error` does not apply there",
            "stops",
        ),
        (
            "9.2.0",
            "1.5.0",
            "[pytest]\nfilterwarnings =\n    error\n",
            "with `filterwarnings = error` pytest 9.2.0 stops at startup",
            "does not show",
        ),
    ],
)
def test_unset_loop_scope_message_follows_pytest(
    tmp_path: Path, pytest_version: str, asyncio: str, ini: str, expected: str, absent: str
) -> None:
    ((code, message),) = config_findings(tmp_path, ini, pins(asyncio, pytest_version))
    assert code == "AIO602"
    assert f"pytest-asyncio {asyncio} then runs each async fixture in the loop of its caching scope" in message
    assert expected in message and absent not in message


def test_unset_loop_scope_message_without_versions_gives_both_sides(tmp_path: Path) -> None:
    ((code, message),) = config_findings(tmp_path, "[pytest]\n", "pytest\npytest-asyncio\n")
    assert code == "AIO602"
    assert "0.24 or later assumed" in message
    assert "pytest 8.3 and earlier and 9.2 and later show the warning at every run, 8.4 to 9.1 hide it" in message
