"""The project's environment found as its tools keep it, when asynclint runs under pre-commit.

pre-commit runs the hook in a virtualenv of its own and sets `VIRTUAL_ENV` to it. Each test lays out an
environment the way uv, Poetry, virtualenvwrapper or pyenv-virtualenv does, outside the project, with a package
whose `async def` a test calls without `await`, and runs the real command as the hook does: AIO201 is reported
once the environment is found, and without it the run says once that it found none.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import run_asynclint, write_project

#: A minimal virtualenv: `pyvenv.cfg` and a site-packages folder holding `driver`, whose `connect` is async.
ENV_PACKAGE = {
    "pyvenv.cfg": "home = /usr/bin\n",
    "lib/python3.11/site-packages/driver/__init__.py": "async def connect():\n    pass\n",
    "lib/python3.11/site-packages/driver-1.0.dist-info/METADATA": "Name: driver\nVersion: 1.0\n",
}
TEST_DB = "import driver\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_db():\n    driver.connect()\n"
PROJECT = {
    "pyproject.toml": '[tool.poetry]\nname = "Shop_App"\nversion = "0.1.0"\n',
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_db.py": TEST_DB,
}
WARNING = "warning: no Python environment found for the project in "


class Hook:
    """A project, a home folder and an environment like the ones pre-commit runs a hook in."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = tmp_path / "home"
        self.project = write_project(tmp_path / "shop", PROJECT)
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        # pre-commit's own environment: a real one (asynclint is installed in it), which is not the project's.
        self.pre_commit_env = write_project(
            self.home / ".cache" / "pre-commit" / "repo1a2b3c" / "py_env-python3",
            {"pyvenv.cfg": "home = /usr/bin\n", "lib/python3.11/site-packages/asynclint-0.1.0.dist-info/METADATA": ""},
        )
        for name in (
            "UV_PROJECT_ENVIRONMENT",
            "WORKON_HOME",
            "PYENV_ROOT",
            "PYENV_VERSION",
            "CONDA_PREFIX",
            "POETRY_CACHE_DIR",
            "POETRY_CONFIG_DIR",
            "POETRY_VIRTUALENVS_PATH",
            "POETRY_VIRTUALENVS_IN_PROJECT",
            "POETRY_VIRTUALENVS_CREATE",
        ):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.setenv("USERPROFILE", str(self.home))
        monkeypatch.setenv("XDG_CACHE_HOME", str(self.home / ".cache"))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(self.home / ".config"))
        monkeypatch.setenv("ASYNCLINT_CACHE_DIR", str(tmp_path / "shapes"))
        monkeypatch.setenv("VIRTUAL_ENV", str(self.pre_commit_env))
        monkeypatch.setenv("PRE_COMMIT", "1")
        monkeypatch.setenv("PATH", str(self.bin))  # no `poetry` but the ones a test puts there

    def check(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The hook's command: the staged test file, from the repository root."""
        return run_asynclint(self.project, *args, "tests/test_db.py")

    def fake_poetry(self, answer: Path | None) -> Path:
        """A `poetry` on PATH that logs its arguments and answers `env info --path` with `answer`; it answers
        with `VIRTUAL_ENV` when that is set, as Poetry does."""
        log = self.bin.parent / "poetry.log"
        script = self.bin / "poetry"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$@" >> "{log}"\n'
            'if [ -n "$VIRTUAL_ENV" ]; then echo "$VIRTUAL_ENV"; exit 0; fi\n'
            + (f'echo "{answer}"\n' if answer is not None else "exit 1\n"),
            encoding="utf-8",
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        return log


@pytest.fixture
def hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hook:
    return Hook(tmp_path, monkeypatch)


def poetry_name(project: Path, name: str = "shop-app") -> str:
    """The folder name Poetry gives the project's environments, restated from Poetry's `generate_env_name`."""
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(project)).encode()).digest()
    return f"{name}-{base64.urlsafe_b64encode(digest).decode()[:8]}"


def codes(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split()[1] for line in done.stdout.splitlines() if ": AIO" in line]


def warnings(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if line.startswith("warning:")]


def assert_found(done: subprocess.CompletedProcess[str]) -> None:
    assert codes(done) == ["AIO201"], done.stdout + done.stderr
    assert warnings(done) == [], done.stderr


def assert_not_found(done: subprocess.CompletedProcess[str], hook: Hook) -> None:
    assert codes(done) == [], done.stdout + done.stderr
    assert warnings(done) == [
        f"{WARNING}{hook.project}, so calls into installed packages such as `driver` were not checked: set "
        '`python = "path/to/venv"` in [tool.asynclint] or pass --python'
    ], done.stderr


# -- each tool's layout ------------------------------------------------------------------------------------


def poetry_default_cache(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"poetry.lock": ""})
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)


def poetry_cache_dir(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"poetry.lock": ""})
    monkeypatch.setenv("POETRY_CACHE_DIR", str(hook.home / "poetry-cache"))
    write_project(hook.home / "poetry-cache" / "virtualenvs" / f"{poetry_name(hook.project)}-py3.12", ENV_PACKAGE)


def poetry_virtualenvs_path(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"poetry.lock": ""})
    monkeypatch.setenv("POETRY_VIRTUALENVS_PATH", str(hook.home / "envs"))
    write_project(hook.home / "envs" / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)


def poetry_user_config(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    config = f'[virtualenvs]\npath = "{(hook.home / "envs").as_posix()}"\n'
    write_project(hook.project, {"poetry.lock": ""})
    write_project(hook.home / ".config" / "pypoetry", {"config.toml": config})
    write_project(hook.home / "envs" / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)


def poetry_project_config(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    """`poetry.toml` in the project wins over the user's config; a relative path is the project's."""
    write_project(hook.home / ".config" / "pypoetry", {"config.toml": '[virtualenvs]\npath = "/nowhere"\n'})
    write_project(hook.project, {"poetry.lock": "", "poetry.toml": '[virtualenvs]\npath = "../poetry-envs"\n'})
    write_project(hook.project.parent / "poetry-envs" / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)


def poetry_project_name(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    """Poetry 2 names the project from `[project]`, normalized."""
    write_project(hook.project, {"poetry.lock": "", "pyproject.toml": '[project]\nname = "Shop.Front_End"\n'})
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project, 'shop-front-end')}-py3.13", ENV_PACKAGE)


def uv_project_environment(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"uv.lock": "version = 1\n"})
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", "../uv-env")  # relative to the project root
    write_project(hook.project.parent / "uv-env", ENV_PACKAGE)


def uv_absolute_environment(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"pyproject.toml": "[project]\nname = 'shop'\n\n[tool.uv]\npackage = false\n"})
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", str(hook.home / "uv-envs" / "shop"))
    write_project(hook.home / "uv-envs" / "shop", ENV_PACKAGE)


def virtualenvwrapper(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKON_HOME", str(hook.home / "workon"))
    write_project(hook.home / "workon" / "other", {**ENV_PACKAGE, ".project": "/somewhere/else\n"})
    write_project(hook.home / "workon" / "shop", {**ENV_PACKAGE, ".project": f"{hook.project}\n"})


def virtualenvwrapper_default_home(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.home / ".virtualenvs" / "shop", {**ENV_PACKAGE, ".project": f"{hook.project}\n"})


def pyenv_virtualenv(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyenv-virtualenv's layout: the env under the Python it was made with, and a link named after it."""
    monkeypatch.setenv("PYENV_ROOT", str(hook.home / "pyenv"))
    versions = hook.home / "pyenv" / "versions"
    write_project(versions / "3.11.9", {"bin/python3.11": ""})  # an interpreter, not an environment
    write_project(versions / "3.11.9" / "envs" / "shop", ENV_PACKAGE)
    (versions / "shop").symlink_to(versions / "3.11.9" / "envs" / "shop")
    write_project(hook.project, {".python-version": "shop\n"})


def pyenv_default_root(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.home / ".pyenv" / "versions" / "shop-3.11", ENV_PACKAGE)
    write_project(hook.project, {".python-version": "3.11.9\nshop-3.11\n"})


LAYOUTS: list[Callable[[Hook, pytest.MonkeyPatch], None]] = [
    poetry_default_cache,
    poetry_cache_dir,
    poetry_virtualenvs_path,
    poetry_user_config,
    poetry_project_config,
    poetry_project_name,
    uv_project_environment,
    uv_absolute_environment,
    virtualenvwrapper,
    virtualenvwrapper_default_home,
    pyenv_virtualenv,
    pyenv_default_root,
]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts (XDG folders, bin/, symbolic links)")
@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.__name__ for layout in LAYOUTS])
def test_environment_kept_by_the_projects_tool(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, layout: Callable[[Hook, pytest.MonkeyPatch], None]
) -> None:
    """Without the environment the run warns (`test_places_that_hold_no_environment_are_skipped` and others)."""
    layout(hook, monkeypatch)
    assert_found(hook.check())


# -- what is not the project's environment ------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts")
def test_places_that_hold_no_environment_are_skipped(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(hook.project, {"uv.lock": "version = 1\n", "poetry.lock": "", ".python-version": "3.11.9\n"})
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", str(hook.home / "not-made-yet"))
    monkeypatch.setenv("PYENV_ROOT", str(hook.home / "pyenv"))
    write_project(hook.home / "pyenv" / "versions" / "3.11.9", {"bin/python3.11": ""})  # a Python, not a venv
    # A folder named like Poetry's environment but holding no environment, and another project's environment.
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project)}-py3.11", {"README": ""})
    write_project(folder / f"{poetry_name(hook.project.parent)}-py3.11", ENV_PACKAGE)
    write_project(hook.home / ".virtualenvs" / "other", {**ENV_PACKAGE, ".project": f"{hook.project.parent}\n"})
    assert_not_found(hook.check(), hook)


def test_a_uv_setting_applies_only_to_a_project_uv_manages(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", str(hook.home / "uv-env"))
    write_project(hook.home / "uv-env", ENV_PACKAGE)
    assert_not_found(hook.check(), hook)
    write_project(hook.project, {"uv.lock": "version = 1\n"})
    assert_found(hook.check())


def test_poetry_settings_for_another_project_kind_are_ignored(hook: Hook) -> None:
    """Poetry's folders are looked at only for a project Poetry manages (a `poetry.lock`)."""
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)
    assert_not_found(hook.check(), hook)
    write_project(hook.project, {"poetry.lock": ""})
    assert_found(hook.check())


def test_the_environment_poetry_env_use_chose(hook: Hook) -> None:
    """Of several environments of the project, the one `poetry env use` recorded in `envs.toml`."""
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    name = poetry_name(hook.project)
    write_project(hook.project, {"poetry.lock": ""})
    write_project(folder / f"{name}-py3.11", ENV_PACKAGE)
    # The newer one holds a `driver` without coroutines: reading it would report nothing.
    write_project(folder / f"{name}-py3.13", {**ENV_PACKAGE, "lib/python3.11/site-packages/driver/__init__.py": ""})
    write_project(folder, {"envs.toml": f'[{name}]\nminor = "3.11"\npatch = "3.11.9"\n'})
    assert_found(hook.check())
    write_project(folder, {"envs.toml": f'[{name}]\nminor = "3.13"\npatch = "3.13.1"\n'})
    done = hook.check()
    assert codes(done) == [] and warnings(done) == [], done.stdout + done.stderr


def test_the_active_environment_of_the_project_still_counts(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    """`VIRTUAL_ENV` outside the project counts when it is not a tool's (run from an activated shell)."""
    env = write_project(hook.home / "envs" / "shop", ENV_PACKAGE)
    monkeypatch.setenv("VIRTUAL_ENV", str(env))
    assert_found(hook.check())


def test_the_named_environment_comes_first(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--python` wins over every environment found, here an empty one in virtualenvwrapper's folder."""
    empty = {**ENV_PACKAGE, "lib/python3.11/site-packages/driver/__init__.py": ""}
    write_project(hook.home / ".virtualenvs" / "shop", {**empty, ".project": f"{hook.project}\n"})
    done = hook.check()
    assert codes(done) == [] and warnings(done) == [], done.stdout + done.stderr
    named = write_project(hook.home / "named", ENV_PACKAGE)
    assert_found(hook.check("--python", str(named)))


# -- asking Poetry ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in `poetry` is a shell script")
def test_poetry_is_asked_only_when_its_folders_tell_nothing(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    env = write_project(hook.home / "somewhere" / "shop-env", ENV_PACKAGE)
    log = hook.fake_poetry(env)
    assert_not_found(hook.check(), hook)
    assert not log.exists()  # not a Poetry project: never asked
    write_project(hook.project, {"poetry.lock": ""})
    assert_found(hook.check())
    # Asked without pre-commit's `VIRTUAL_ENV` (Poetry would name it), and only what never makes an environment.
    assert log.read_text(encoding="utf-8").split("\n") == ["--no-interaction --no-ansi env info --path", ""]
    log.unlink()
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)
    assert_found(hook.check())
    assert not log.exists()  # found where Poetry keeps it: not asked


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in `poetry` is a shell script")
def test_an_answer_that_is_no_environment_is_ignored(hook: Hook) -> None:
    write_project(hook.project, {"poetry.lock": ""})
    hook.fake_poetry(hook.home)  # an existing folder, but no virtualenv
    assert_not_found(hook.check(), hook)
    hook.fake_poetry(None)  # Poetry's answer when the project has no environment: status 1
    assert_not_found(hook.check(), hook)


# -- the warning ---------------------------------------------------------------------------------------------


def test_the_warning_comes_once_per_run(hook: Hook) -> None:
    """However many files and calls need the environment, even from worker processes."""
    files = {f"tests/test_db{index}.py": TEST_DB + "    driver.connect()\n" for index in range(60)}
    write_project(hook.project, files)
    done = run_asynclint(hook.project, "-j", "2", "tests")
    assert_not_found(done, hook)


#: Test bodies in which no call could be a finding, whatever the installed `driver` holds.
NO_ENVIRONMENT = {
    "awaited": "    await driver.connect()\n",
    "awaited_and_used": "    value = await driver.connect()\n    assert value\n",
    "stored_then_awaited": "    pending = driver.connect()\n    await pending\n",
    "pytest": "    pytest.fail('no')\n",
    "standard_library": "    asyncio.get_running_loop()\n",
    "project_module": "    helpers.connect()\n",
}


def test_no_warning_when_no_finding_could_need_the_environment(hook: Hook) -> None:
    source = "import asyncio\nimport driver\nimport helpers\nimport pytest\n\n\n@pytest.mark.asyncio\n"
    files = {f"tests/test_{name}.py": f"{source}async def test_it():\n{body}" for name, body in NO_ENVIRONMENT.items()}
    write_project(hook.project, {**files, "tests/helpers.py": ""})
    (hook.project / "tests" / "test_db.py").unlink()
    done = run_asynclint(hook.project, "tests")
    assert codes(done) == [] and warnings(done) == [], done.stdout + done.stderr


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("    assert driver.ping()\n", id="tested for truth"),
        pytest.param("    result = driver.compute()\n    assert result == 3\n", id="stored, then compared"),
        pytest.param("    session = driver.Session()\n    session.close()\n", id="method of an unread class"),
        pytest.param("    from driver import connect\n    connect()\n", id="imported in the test"),
    ],
)
def test_a_warning_for_any_use_that_would_be_a_finding(hook: Hook, body: str) -> None:
    source = f"import driver\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_db():\n{body}"
    write_project(hook.project, {"tests/test_db.py": source})
    assert_not_found(hook.check(), hook)


def test_the_results_cache_warns_again_and_notices_the_environment(hook: Hook, tmp_path: Path) -> None:
    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "asynclint", "check", "--cache-dir", str(tmp_path / "results"), "tests/test_db.py"],
            cwd=hook.project,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    write_project(hook.project, {"poetry.lock": ""})
    assert_not_found(check(), hook)
    assert_not_found(check(), hook)  # answered from the results cache: the warning is kept with the result
    folder = hook.home / ".cache" / "pypoetry" / "virtualenvs"
    write_project(folder / f"{poetry_name(hook.project)}-py3.11", ENV_PACKAGE)
    assert_found(check())
    assert_found(check())


# -- real Poetry ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts")
def test_real_poetry_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where real Poetry puts the project's environment is where asynclint looks (when `poetry` is installed)."""
    import shutil

    from asynclint.model.python_environments import tool_environments

    poetry = shutil.which("poetry")
    if poetry is None:
        pytest.skip("Poetry is not installed")
    pyproject = '[project]\nname = "Shop_App.Front"\nversion = "0.1.0"\n\n[tool.poetry]\npackage-mode = false\n'
    project = write_project(tmp_path / "Shop Project", {"pyproject.toml": pyproject})
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    for name in ("POETRY_VIRTUALENVS_PATH", "POETRY_VIRTUALENVS_IN_PROJECT", "POETRY_VIRTUALENVS_CREATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POETRY_CACHE_DIR", str(tmp_path / "poetry-cache"))
    monkeypatch.setenv("POETRY_CONFIG_DIR", str(tmp_path / "poetry-config"))

    def poetry_run(*args: str) -> str:
        done = subprocess.run(
            [poetry, "--no-interaction", *args], cwd=project, capture_output=True, text=True, check=True, timeout=300
        )
        return done.stdout.strip()

    poetry_run("lock")
    poetry_run("env", "use", sys.executable)
    answered = Path(poetry_run("env", "info", "--path"))
    assert next(tool_environments(project, os.environ)) == answered
    (tmp_path / "poetry-cache" / "virtualenvs" / "envs.toml").unlink()  # as after `poetry install` alone
    assert Path(poetry_run("env", "info", "--path")) == answered
    assert next(tool_environments(project, os.environ)) == answered
