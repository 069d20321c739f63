"""The hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit try-repo` on a temporary git repository.

pre-commit builds its own virtualenv and `pip install`s asynclint from a copy of this project, as it does for
a user. To stay offline, pip gets no index and no dependencies; the dependencies (libcst, click, hatchling for
the build...) come from this test environment through `PYTHONPATH`, which does not expose asynclint itself
(it is installed here through a `.pth` file, which `PYTHONPATH` folders do not read).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import write_project

PROJECT_ROOT = Path(__file__).resolve().parent.parent
USER_PROJECT = {
    "pyproject.toml": (
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_default_fixture_loop_scope = "function"\n'
    ),
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_client.py": "import asyncio\n\n\nasync def test_fetch():\n    await asyncio.sleep(0)\n",
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
    """A git repository holding this project's sources and hook definitions, as a user's `repo:` would."""
    if shutil.which("git") is None:
        pytest.skip("pre-commit needs git")
    repository = tmp_path_factory.mktemp("asynclint-hooks")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(PROJECT_ROOT / name, repository / name)
    shutil.copytree(PROJECT_ROOT / "src", repository / "src", ignore=shutil.ignore_patterns("__pycache__"))
    git(repository, "init", "-q")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "hooks")
    return repository


@pytest.fixture(scope="module")
def offline_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site_packages = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PYTHONPATH": os.pathsep.join(site_packages),
        "PIP_NO_INDEX": "1",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's inverted spelling of --no-build-isolation
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        **GIT_IDENTITY,
    }


def try_repo(hooks: Path, hook_id: str, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    git(project, "init", "-q")
    git(project, "add", "-A")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook_id, "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_check_hook_fails_and_names_the_finding(
    hook_repository: Path, offline_environment: dict[str, str], tmp_path: Path
) -> None:
    project = write_project(tmp_path, USER_PROJECT)
    result = try_repo(hook_repository, "asynclint", project, offline_environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "asynclint" in result.stdout and "Failed" in result.stdout
    assert "tests/test_client.py:4:1: AIO101 [*] async test `test_fetch` has no asyncio mark" in result.stdout
    assert (project / "tests/test_client.py").read_text() == USER_PROJECT["tests/test_client.py"]


def test_fix_hook_rewrites_the_file(hook_repository: Path, offline_environment: dict[str, str], tmp_path: Path) -> None:
    project = write_project(tmp_path, USER_PROJECT)
    result = try_repo(hook_repository, "asynclint-fix", project, offline_environment)
    # pre-commit fails a hook that modified files, so that the user reviews and stages the fix.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert (project / "tests/test_client.py").read_text() == (
        "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n"
        "    await asyncio.sleep(0)\n"
    )
    again = try_repo(hook_repository, "asynclint", project, offline_environment)
    assert again.returncode == 0, again.stdout + again.stderr
