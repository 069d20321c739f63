"""`check --fix --interactive`: each fix is shown as a diff and applied only when the user says so (y/n/a/q),
as Fixit's `fix --interactive` does; what remains is then reported as a check reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main
from tests.helpers import write_project

MODULE = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n"
    "    asyncio.sleep(0)\n    asyncio.sleep(1)\n    asyncio.sleep(2)\n"
)
PROJECT = {"pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n", "tests/test_a.py": MODULE}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def interactive(answers: str, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--fix", "--interactive", "--select", "AIO201", *args, "."], input=answers
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def test_each_fix_is_shown_and_applied_only_when_accepted(project: Path) -> None:
    output = interactive("y\nn\ny\n")
    assert output.count("Apply “Await `asyncio.sleep()`”?") == 3
    assert "-    asyncio.sleep(1)\n+    await asyncio.sleep(1)\n" in output
    assert "Fixed 2 findings." in output
    assert (
        (project / "tests" / "test_a.py")
        .read_text()
        .endswith("    await asyncio.sleep(0)\n    asyncio.sleep(1)\n    await asyncio.sleep(2)\n")
    )
    # What remains is reported as a check reports it.
    assert "tests/test_a.py:9:5: AIO201 [*]" in output


def test_all_applies_the_rest_without_asking_and_quit_applies_nothing_more(project: Path) -> None:
    output = interactive("n\na\n")
    assert output.count("Apply") == 2
    assert (
        (project / "tests" / "test_a.py")
        .read_text()
        .endswith("    asyncio.sleep(0)\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n")
    )
    (project / "tests" / "test_a.py").write_text(MODULE)
    output = interactive("q\n")
    assert "Fixed 0 findings." in output
    assert (project / "tests" / "test_a.py").read_text() == MODULE


def test_the_end_of_input_stops_asking(project: Path) -> None:
    output = interactive("y\n")
    assert "Fixed 1 finding." in output
    assert (project / "tests" / "test_a.py").read_text().count("await asyncio.sleep") == 1


def test_a_fix_that_rewrites_the_config_shows_and_writes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = "[pytest]\nasyncio_default_test_loop_scope = session\nasyncio_default_fixture_loop_scope = function\n"
    conftest = (
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture(scope='session')\ndef event_loop():\n"
        "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
    )
    write_project(
        tmp_path,
        {
            "pytest.ini": config,
            "requirements-dev.txt": "pytest\npytest-asyncio\n",
            "tests/conftest.py": conftest,
            "tests/test_one.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_one():\n    pass\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--fix", "--unsafe-fixes", "--interactive", "--select", "AIO404", "."],
        input="y\n",
    )
    assert "--- a/pytest.ini" in result.output
    assert (tmp_path / "pytest.ini").read_text().endswith("asyncio_default_fixture_loop_scope = session\n")
    assert "event_loop" not in (tmp_path / "tests" / "conftest.py").read_text()


@pytest.mark.parametrize(
    "args",
    [["--interactive"], ["--fix-only", "--interactive"], ["--fix", "--interactive", "--format", "json"]],
)
def test_interactive_needs_fix_and_text_output(project: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", *args, "."])
    assert result.exit_code == 2
