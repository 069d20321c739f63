"""The flake8 plugin, run through the real flake8: the findings of `asynclint check`, with the same
`[tool.asynclint]` settings, flake8's `noqa` and selection on top."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_asynclint, write_project

PINS = "pytest==9.2.0\npytest-asyncio==1.5.0\n"

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": PINS,
    "tests/test_a.py": (
        "import asyncio\n\n\nasync def test_unmarked():\n    await asyncio.sleep(0)\n\n\n"
        "async def test_silenced():  # noqa: AIO101\n    pass\n"
    ),
}

#: A project whose settings use every kind of key the plugin honours.
CONFIGURED = {
    "pyproject.toml": (
        "[tool.pytest.ini_options]\n"
        'asyncio_default_fixture_loop_scope = "function"\n\n'
        "[tool.asynclint]\n"
        'select = ["AIO1", "AIO2", "AIO3", "AIO5"]\n'
        'extend-select = ["AIO205"]\n'
        'ignore = ["AIO503"]\n'
        'extend-exclude = ["tests/generated"]\n\n'
        "[tool.asynclint.per-file-ignores]\n"
        '"tests/legacy/*" = ["AIO101"]\n\n'
        "[tool.asynclint.blocking-sleep-in-async-test]\n"
        'blocking-calls = ["requests.get"]\n'
    ),
    "requirements.txt": PINS,
    # Judged against the test module that uses it: the model must know the conftest's users.
    "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\nasync def client():\n    return 1\n",
    "tests/test_a.py": (
        "import asyncio\nimport time\n\nimport pytest\nimport requests\n\n\n"
        "async def test_unmarked():\n    await asyncio.sleep(0)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_orphan():\n"
        "    asyncio.create_task(asyncio.sleep(0))\n"
        '    requests.get("https://example.org")\n'
        "    time.sleep(1)\n\n\n"
        "def test_loop():\n    loop = asyncio.get_event_loop()\n    assert loop\n\n\n"
        "@pytest.mark.asyncio\nasync def test_client(client):\n    assert client\n"
    ),
    "tests/generated/test_gen.py": "async def test_generated():\n    pass\n",
    "tests/legacy/test_old.py": (
        "import pytest\n\n\nasync def test_old():\n    pass\n\n\n"
        "@pytest.mark.asycnio\nasync def test_misspelled():\n    pass\n"
    ),
}

ORPHAN_TASK = {
    "pytest.ini": "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": PINS,
    "tests/test_tasks.py": "import asyncio\n\n\nasync def test_spawn():\n    asyncio.create_task(asyncio.sleep(0))\n",
}

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>AIO\d{3}) ", re.MULTILINE)


def flake8(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m flake8 ARGS` in a fresh process, from the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def findings(output: str) -> set[tuple[str, int, str]]:
    """(path, line, code) of each AIO finding in flake8's default output."""
    return {(Path(m["path"]).as_posix(), int(m["line"]), m["code"]) for m in FINDING.finditer(output)}


def test_flake8_reports_asynclint_findings(tmp_path: Path) -> None:
    project = write_project(tmp_path, PROJECT)
    result = flake8(project, "--select", "AIO", "tests/")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("tests/test_a.py:4:1: AIO101 async test `test_unmarked` has no asyncio mark")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_flake8_and_asynclint_check_report_the_same_findings(tmp_path: Path, jobs: str) -> None:
    project = write_project(tmp_path, CONFIGURED)
    through_flake8 = flake8(project, "--select", "AIO", "-j", jobs, ".")
    assert "Traceback" not in through_flake8.stderr, through_flake8.stderr
    checked = run_asynclint(project, "--format", "json", ".")
    assert checked.returncode == 1, checked.stderr
    from_check = {(Path(d["path"]).as_posix(), d["line"], d["code"]) for d in json.loads(checked.stdout)}

    assert findings(through_flake8.stdout) == from_check
    # The settings made a difference: an extra default-off rule, a rule option, ignores and an exclude.
    assert ("tests/test_a.py", 14, "AIO205") in from_check
    assert ("tests/test_a.py", 15, "AIO502") in from_check  # `requests.get`, from `blocking-calls`
    assert ("tests/conftest.py", 5, "AIO301") in from_check
    assert ("tests/legacy/test_old.py", 8, "AIO105") in from_check
    codes = {(path, code) for path, _, code in from_check}
    assert ("tests/legacy/test_old.py", "AIO101") not in codes
    assert ("tests/test_a.py", "AIO503") not in codes
    assert not any(path.startswith("tests/generated/") for path, _ in codes)


def test_default_off_rules_need_their_exact_code(tmp_path: Path) -> None:
    project = write_project(tmp_path, ORPHAN_TASK)
    assert findings(flake8(project, "--select", "AIO", ".").stdout) == set()

    orphan = {("tests/test_tasks.py", 5, "AIO205")}
    assert findings(flake8(project, "--select", "AIO205", ".").stdout) == orphan
    assert findings(flake8(project, "--extend-select", "AIO205", ".").stdout) == orphan


def test_default_off_rules_enabled_by_the_settings(tmp_path: Path) -> None:
    project = write_project(tmp_path, {**ORPHAN_TASK, "asynclint.toml": 'extend-select = ["AIO205"]\n'})
    result = flake8(project, "--select", "AIO", ".")
    assert findings(result.stdout) == {("tests/test_tasks.py", 5, "AIO205")}


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        pytest.param(
            '[tool.asynclint]\nselect = ["AIO1", "AIO999"]\n',
            "[tool.asynclint] in {settings_file}: unknown rule code or name in select: AIO999",
            id="unknown-code",
        ),
        pytest.param(
            '[tool.asynclint.blocking-sleep-in-async-test]\nblocking-call = ["requests.get"]\n',
            "unknown option `blocking-call` for `blocking-sleep-in-async-test`",
            id="unknown-rule-option",
        ),
        pytest.param("[tool.asynclint]\nselect = AIO1\n", "{settings_file}:2:10: invalid TOML", id="not-toml"),
    ],
)
def test_invalid_settings_are_one_finding_and_the_rest_is_checked(tmp_path: Path, settings: str, said: str) -> None:
    """A monorepo where one project's settings are broken: one AIO001 says so (whatever the number of flake8
    processes), no traceback, nothing is checked under those settings, and the other project is."""
    broken = {f"broken/tests/test_{name}.py": "async def test_unmarked():\n    pass\n" for name in "abcd"}
    project = write_project(
        tmp_path,
        {
            "broken/pyproject.toml": settings,
            "broken/pytest.ini": PROJECT["pytest.ini"],
            "broken/requirements.txt": PINS,
            **broken,
            "fine/pytest.ini": PROJECT["pytest.ini"],
            "fine/requirements.txt": PINS,
            "fine/tests/test_a.py": PROJECT["tests/test_a.py"],
        },
    )
    result = flake8(project, "--select", "AIO", "-j", "2", ".")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert findings(result.stdout) == {("broken/tests/test_a.py", 1, "AIO001"), ("fine/tests/test_a.py", 4, "AIO101")}
    reported = next(line for line in result.stdout.splitlines() if "AIO001" in line)
    settings_file = Path("broken") / "pyproject.toml"  # named from where flake8 runs
    assert "asynclint cannot use its settings, so it checks no file they apply to" in reported
    assert said.format(settings_file=settings_file) in reported


def test_invalid_settings_are_reported_on_a_file_flake8_hands_to_plugins(tmp_path: Path) -> None:
    """flake8 checks nothing else in a file that does not parse: the finding goes to the next one."""
    project = write_project(
        tmp_path,
        {
            "asynclint.toml": 'select = ["AIO999"]\n',
            "tests/test_a.py": "def broken(:\n",
            "tests/test_b.py": "async def test_unmarked():\n    pass\n",
            "tests/test_c.py": "async def test_unmarked():\n    pass\n",
        },
    )
    result = flake8(project, "--select", "AIO,E999", "-j", "2", "tests")
    reported = [(line.split(":")[0], line.split(" ")[1]) for line in result.stdout.splitlines()]
    assert reported == [("tests/test_a.py", "E999"), ("tests/test_b.py", "AIO001")]


def test_source_on_standard_input_gets_the_settings_of_the_path_it_stands_for(tmp_path: Path) -> None:
    project = write_project(tmp_path, CONFIGURED)
    source = CONFIGURED["tests/test_a.py"]
    as_legacy = flake8(
        project, "--select", "AIO", "--stdin-display-name", "tests/legacy/test_new.py", "-", stdin=source
    )
    codes = {code for _, _, code in findings(as_legacy.stdout)}
    assert codes == {"AIO205", "AIO502"}  # AIO101 is ignored in tests/legacy/


#: flake8 in this process, counting how often pyproject.toml files are opened.
COUNTING_FLAKE8 = """
import os
import sys

opened = []


def audit(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        if os.fspath(args[0]).endswith("pyproject.toml"):
            opened.append(os.fspath(args[0]))


sys.addaudithook(audit)
from flake8.main.cli import main

try:
    main(sys.argv[1:])
finally:
    print(f"pyproject.toml opened {len(opened)} times", file=sys.stderr)
"""


def test_settings_and_the_model_are_read_once_per_run_not_per_file(tmp_path: Path) -> None:
    files = {f"tests/test_{index}.py": "async def test_unmarked():\n    pass\n" for index in range(50)}
    project = write_project(tmp_path, {**CONFIGURED, **files})
    result = subprocess.run(
        [sys.executable, "-c", COUNTING_FLAKE8, "--select", "AIO", "-j", "1", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert len([code for _, _, code in findings(result.stdout) if code == "AIO101"]) == 51, result.stderr
    opened = re.search(r"pyproject.toml opened (\d+) times", result.stderr)
    assert opened is not None, result.stderr
    assert int(opened[1]) < 10  # settings, pytest config, versions: each read once for the 53 files
