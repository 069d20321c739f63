"""The hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit try-repo` on a scratch git repository.

pre-commit clones the hook repository (here: this checkout as a commit would hold it), builds a virtualenv of
its own and `pip install`s asynclint into it with its dependencies from the package index, exactly as for a
user. Nothing of the development environment is visible to it, so a dependency the package does not declare
fails here. It needs the network: run with `pytest --installed`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_project
from tests.installed import clean_environment, committed_copy, fresh_environment

pytestmark = pytest.mark.installed

UNMARKED = "import asyncio\n\n\nasync def test_fetch():\n    await asyncio.sleep(0)\n"
USER_PROJECT = {
    "pyproject.toml": (
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_default_fixture_loop_scope = "function"\n\n'
        '[tool.asynclint]\nextend-exclude = ["tests/legacy"]\nignore = ["AIO504"]\n'
    ),
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_client.py": UNMARKED,
    # Excluded by the project's settings: pre-commit names it all the same, and neither hook may touch it.
    "tests/legacy/test_old.py": UNMARKED,
    # AIO504 is ignored by the project's settings.
    "tests/test_returns.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_value():\n    return 1\n",
}
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "user",
    "GIT_AUTHOR_EMAIL": "user@example.com",
    "GIT_COMMITTER_NAME": "user",
    "GIT_COMMITTER_EMAIL": "user@example.com",
}


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_IDENTITY}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this checkout as a commit would (tracked and new files, nothing ignored)."""
    if shutil.which("git") is None:
        pytest.skip("pre-commit needs git")
    repository = committed_copy(tmp_path_factory.mktemp("asynclint-hooks") / "asynclint")
    git(repository, "init", "-q")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "hooks")
    return repository


@pytest.fixture(scope="module")
def user_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A user's shell: no virtualenv, no development folders, pre-commit's own fresh cache."""
    return clean_environment({"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")), **GIT_IDENTITY})


def try_repo(
    hooks: Path, hook_id: str, project: Path, env: dict[str, str], *options: str
) -> subprocess.CompletedProcess[str]:
    git(project, "init", "-q")
    git(project, "add", "-A")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook_id, "--all-files", *options],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_check_hook_fails_names_the_finding_and_honours_the_settings(
    hook_repository: Path, user_environment: dict[str, str], tmp_path: Path
) -> None:
    project = write_project(tmp_path, USER_PROJECT)
    result = try_repo(hook_repository, "asynclint", project, user_environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "asynclint" in result.stdout and "Failed" in result.stdout
    assert "tests/test_client.py:4:1: AIO101 [*] async test `test_fetch` has no asyncio mark" in result.stdout
    assert "test_old.py" not in result.stdout and "AIO504" not in result.stdout
    assert "ModuleNotFoundError" not in result.stdout + result.stderr
    assert (project / "tests/test_client.py").read_text() == UNMARKED


def test_fix_hook_rewrites_the_file_and_leaves_excluded_ones(
    hook_repository: Path, user_environment: dict[str, str], tmp_path: Path
) -> None:
    project = write_project(tmp_path, USER_PROJECT)
    result = try_repo(hook_repository, "asynclint-fix", project, user_environment)
    # pre-commit fails a hook that modified files, so that the user reviews and stages the fix.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert (project / "tests/test_client.py").read_text() == (
        "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n"
        "    await asyncio.sleep(0)\n"
    )
    assert (project / "tests/legacy/test_old.py").read_text() == UNMARKED
    again = try_repo(hook_repository, "asynclint", project, user_environment)
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_hook_reads_the_projects_environment_kept_outside_the_repository(
    hook_repository: Path, user_environment: dict[str, str], tmp_path: Path
) -> None:
    """pre-commit runs the hook in its own virtualenv (and sets VIRTUAL_ENV to it); the project's environment
    lives under virtualenvwrapper's WORKON_HOME. A call into a package installed there is checked only when
    asynclint finds it; otherwise the hook says once which setting would let it."""
    project = write_project(
        tmp_path / "service",
        {
            "pyproject.toml": USER_PROJECT["pyproject.toml"],
            "requirements.txt": USER_PROJECT["requirements.txt"],
            "tests/test_db.py": (
                "import pytest\n\nfrom driver import connect\n\n\n"
                "@pytest.mark.asyncio\nasync def test_connect():\n    connect()\n"
            ),
        },
    )
    workon_home = tmp_path / "virtualenvs"
    environment = fresh_environment(workon_home / "service")
    (site_packages,) = environment.root.glob("lib/python3*/site-packages")
    (site_packages / "driver").mkdir()
    (site_packages / "driver" / "__init__.py").write_text("async def connect():\n    return 1\n", encoding="utf-8")
    (environment.root / ".project").write_text(str(project), encoding="utf-8")

    # --verbose: pre-commit shows what a hook that passed printed.
    unfound = try_repo(hook_repository, "asynclint", project, user_environment, "--verbose")
    assert unfound.returncode == 0, unfound.stdout + unfound.stderr
    assert unfound.stdout.count("no Python environment found for the project") == 1
    assert "`driver`" in unfound.stdout

    found = try_repo(hook_repository, "asynclint", project, {**user_environment, "WORKON_HOME": str(workon_home)})
    assert found.returncode == 1, found.stdout + found.stderr
    assert "tests/test_db.py:8:5: AIO201 [*] `connect()` is never awaited" in found.stdout
    assert "no Python environment found" not in found.stdout
