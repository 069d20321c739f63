"""The GitHub Action (action.yml, which runs action/run.sh) as a workflow step runs it: the step's `run:` text
with the environment its `env:` mapping gives, in a scratch repository whose project environment stands in for
actions/setup-python's Python, the Action's folder a copy of what a commit of this checkout holds.

The project's tests call an `async def` of a library installed in that environment only (not in the
repository): the missing `await` (AIO201) is reported only when asynclint reads the project's environment.
Marked `installed`: pip installs asynclint and its dependencies from the package index (`pytest --installed`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from asynclint import __version__
from tests.helpers import write_project
from tests.installed import (
    PROJECT_ROOT,
    Environment,
    checked,
    clean_environment,
    committed_copy,
    fresh_environment,
    run,
    uv_command,
)

pytestmark = pytest.mark.installed

#: A library the project depends on, installed into the project's environment from outside the repository.
LIBRARY = {
    "pyproject.toml": (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "remoteapi"\nversion = "1.0"\n'
    ),
    "src/remoteapi/__init__.py": "async def fetch(key: str) -> str:\n    return key\n",
}
#: The user's repository, with two planted mistakes.
PROJECT = {
    "pyproject.toml": (
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_default_fixture_loop_scope = "function"\n'
    ),
    "requirements.txt": "pytest==9.0.0\npytest-asyncio==1.3.0\nremoteapi==1.0\n",
    "tests/test_api.py": (
        "import pytest\nimport remoteapi\n\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_fetch():\n"
        '    remoteapi.fetch("k")\n'  # line 7: AIO201, known only from the installed library
        "\n\n"
        "async def test_unmarked():\n"  # line 10: AIO101, whatever the environment
        '    assert await remoteapi.fetch("k") == "k"\n'
    ),
}
UNAWAITED = ("AIO201", "tests/test_api.py", 7)
UNMARKED = ("AIO101", "tests/test_api.py", 10)
ANNOTATION = re.compile(r"^::(?:error|warning) (?P<properties>[^:]*)::(?P<message>.*)$", re.MULTILINE)


def load_action() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with the development dependencies (pre-commit)")
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def annotations(stdout: str) -> set[tuple[str, str, int]]:
    """(code, file, line) of each workflow annotation asynclint printed."""
    found: set[tuple[str, str, int]] = set()
    for match in ANNOTATION.finditer(stdout):
        properties = dict(part.split("=", 1) for part in match.group("properties").split(","))
        if "file" in properties:
            found.add((match.group("message").split()[0], properties["file"], int(properties["line"])))
    return found


@pytest.fixture(scope="module")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What GitHub unpacks for `uses: asynclint/asynclint@<ref>`: the files of a commit, no .git."""
    return committed_copy(tmp_path_factory.mktemp("actions") / "asynclint")


@pytest.fixture(scope="module")
def library_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = write_project(tmp_path_factory.mktemp("remoteapi"), LIBRARY)
    checked(run([*uv_command(), "build", "--wheel", "--out-dir", source / "dist", source], cwd=source))
    (wheel,) = (source / "dist").glob("remoteapi-*.whl")
    return wheel


@pytest.fixture(scope="module")
def project_environment(library_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """actions/setup-python's Python, after the user's `pip install -r requirements.txt` (the library only)."""
    environment = fresh_environment(tmp_path_factory.mktemp("setup-python") / "python")
    checked(environment.pip_install(library_wheel))
    return environment


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The user's repository after actions/checkout."""
    root = write_project(tmp_path / "workspace", PROJECT)
    git = ["git", "-c", "user.name=user", "-c", "user.email=user@example.com"]
    checked(run([*git, "init", "-q"], cwd=root))
    checked(run([*git, "add", "-A"], cwd=root))
    checked(run([*git, "commit", "-q", "-m", "project"], cwd=root))
    return root


def run_step(
    workspace: Path,
    action_path: Path,
    runner_temp: Path,
    *,
    path_first: Environment | None,
    inputs: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The Action's step as the runner runs it: its `run:` text in a file, `bash --noprofile --norc -eo pipefail
    FILE`, with `env:` from the inputs given or their defaults, in the workspace."""
    action = load_action()
    given = dict(inputs or {})
    assert set(given) <= set(action["inputs"]), given
    values = {name: given.get(name, spec.get("default", "")) for name, spec in action["inputs"].items()}
    (step,) = action["runs"]["steps"]
    environment = {}
    for variable, expression in step["env"].items():
        name = re.fullmatch(r"\$\{\{ inputs\.(\w+) \}\}", expression)
        assert name is not None, expression
        environment[variable] = values[name.group(1)]
    environment.update(GITHUB_ACTION_PATH=str(action_path), RUNNER_TEMP=str(runner_temp), GITHUB_ACTIONS="true")
    shell = clean_environment(environment)
    if path_first is not None:
        shell["PATH"] = os.pathsep.join([str(path_first.bin), shell["PATH"]])
    script = runner_temp.parent / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    return run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=workspace, environment=shell)


@pytest.fixture
def runner_temp(tmp_path: Path) -> Path:
    folder = tmp_path / "runner" / "_temp"
    folder.mkdir(parents=True)
    return folder


def test_action_yml_passes_the_inputs_to_the_script_in_environment_variables() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert {name: spec.get("default") for name, spec in action["inputs"].items()} == {
        "args": "check .",
        "version": "",
        "python": "",
    }
    (step,) = action["runs"]["steps"]
    assert step["shell"] == "bash"
    assert step["env"] == {
        "INPUT_ARGS": "${{ inputs.args }}",
        "INPUT_VERSION": "${{ inputs.version }}",
        "INPUT_PYTHON": "${{ inputs.python }}",
    }
    # An expression in `run:` is pasted into the shell script's text before bash reads it.
    assert "${{" not in step["run"]
    assert step["run"].strip() == 'bash "$GITHUB_ACTION_PATH/action/run.sh"'
    assert (PROJECT_ROOT / "action" / "run.sh").is_file()


def test_check_annotates_the_findings_and_fails_the_step(
    workspace: Path, action_path: Path, runner_temp: Path, project_environment: Environment
) -> None:
    result = run_step(workspace, action_path, runner_temp, path_first=project_environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert annotations(result.stdout) == {UNAWAITED, UNMARKED}, result.stdout
    assert f"::group::Install asynclint ({action_path})" in result.stdout
    assert f"--format github --python {project_environment.root} ." in result.stdout
    # asynclint ran from an environment of its own, removed afterwards; the project's got nothing of it.
    assert list(runner_temp.iterdir()) == []
    listed = checked(run([project_environment.python, "-m", "pip", "list"], cwd=workspace)).stdout.lower()
    assert "remoteapi" in listed
    assert "asynclint" not in listed and "libcst" not in listed


def test_a_format_in_args_replaces_the_annotations(
    workspace: Path, action_path: Path, runner_temp: Path, project_environment: Environment
) -> None:
    result = run_step(
        workspace,
        action_path,
        runner_temp,
        path_first=project_environment,
        inputs={"args": "check --format text tests/"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert not annotations(result.stdout)
    reported = [line.split(" ", 2)[:2] for line in result.stdout.splitlines() if line.startswith("tests/")]
    assert reported == [["tests/test_api.py:7:5:", "AIO201"], ["tests/test_api.py:10:1:", "AIO101"]], result.stdout


def test_the_project_python_setting_is_kept_and_an_explicit_input_overrides_it(
    workspace: Path, action_path: Path, runner_temp: Path, project_environment: Environment
) -> None:
    # The setting names an environment without the library: the default must not replace it with PATH's python.
    write_project(workspace, {"envs/bare/pyvenv.cfg": "include-system-site-packages = false\n"})
    pyproject = workspace / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + '\n[tool.asynclint]\npython = "envs/bare"\n')
    kept = run_step(workspace, action_path, runner_temp, path_first=project_environment)
    assert kept.returncode == 1, kept.stdout + kept.stderr
    assert annotations(kept.stdout) == {UNMARKED}, kept.stdout
    assert f"the `python` setting in {pyproject}" in kept.stdout
    assert "--python" not in kept.stdout
    # The input names the project's environment as a folder, and `python` on PATH is another interpreter.
    chosen = run_step(
        workspace, action_path, runner_temp, path_first=None, inputs={"python": str(project_environment.root)}
    )
    assert chosen.returncode == 1, chosen.stdout + chosen.stderr
    assert annotations(chosen.stdout) == {UNAWAITED, UNMARKED}, chosen.stdout


def test_a_venv_an_earlier_step_created_is_read_by_default(
    workspace: Path, action_path: Path, runner_temp: Path, library_wheel: Path
) -> None:
    """As after `uv sync` or `python -m venv .venv`: asynclint reads `.venv`, not the `python` on PATH."""
    checked(fresh_environment(workspace / ".venv").pip_install(library_wheel))
    result = run_step(workspace, action_path, runner_temp, path_first=None)
    assert result.returncode == 1, result.stdout + result.stderr
    assert annotations(result.stdout) == {UNAWAITED, UNMARKED}, result.stdout
    assert "its .venv or venv folder" in result.stdout and "--python" not in result.stdout


def test_a_version_input_installs_that_version_from_the_package_index(
    workspace: Path, action_path: Path, runner_temp: Path, project_environment: Environment
) -> None:
    """pip asks the index for `asynclint==VERSION`; the Action's own copy is never a silent stand-in. While the
    index has no asynclint of that version, the step fails with pip's error and status 2."""
    result = run_step(
        workspace, action_path, runner_temp, path_first=project_environment, inputs={"version": __version__}
    )
    output = result.stdout + result.stderr
    assert f"::group::Install asynclint (asynclint=={__version__})" in result.stdout
    if f"No matching distribution found for asynclint=={__version__}" in output:
        assert result.returncode == 2, output
        assert f"::error title=asynclint::pip could not install asynclint=={__version__}" in result.stdout
        assert not annotations(result.stdout)
    else:  # published: the same findings as from the Action's own copy
        assert result.returncode == 1, output
        assert annotations(result.stdout) == {UNAWAITED, UNMARKED}, output
    assert list(runner_temp.iterdir()) == []


def test_a_version_input_is_a_version_number_only(
    workspace: Path, action_path: Path, runner_temp: Path, project_environment: Environment
) -> None:
    result = run_step(
        workspace,
        action_path,
        runner_temp,
        path_first=project_environment,
        inputs={"version": "0.2.0 --index-url=http://example.invalid"},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is not a version number" in result.stdout
    assert "Install asynclint" not in result.stdout


def test_the_script_runs_outside_github_too(
    workspace: Path, runner_temp: Path, project_environment: Environment
) -> None:
    """Without GITHUB_ACTION_PATH the script installs the checkout it belongs to; quoted words stay whole."""
    (workspace / "tests" / "more tests").mkdir()
    shutil.copy(workspace / "tests" / "test_api.py", workspace / "tests" / "more tests" / "test_copy.py")
    environment = clean_environment({"INPUT_ARGS": "check 'tests/more tests'", "TMPDIR": str(runner_temp)})
    environment["PATH"] = os.pathsep.join([str(project_environment.bin), environment["PATH"]])
    result = run(["bash", PROJECT_ROOT / "action" / "run.sh"], cwd=workspace, environment=environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"::group::Install asynclint ({PROJECT_ROOT})" in result.stdout
    assert annotations(result.stdout) == {
        ("AIO201", "tests/more tests/test_copy.py", 7),
        ("AIO101", "tests/more tests/test_copy.py", 10),
    }, result.stdout
