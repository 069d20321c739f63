"""An environment counts as the project's only if it agrees with the project, and a uv workspace is found as uv
finds it, with or without a repository around it.

Running asynclint with another project's environment active (or with a stale `.venv` in the project) must not
lend that environment's versions and installed packages to the project: when the project's lock file or
declared requirements exclude its pytest or pytest-asyncio, or the lock has no pytest-asyncio while it has one,
it is ignored, and `--verbose` says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from asynclint.model.versions import VersionResolver, uv_workspace_members, uv_workspace_root
from tests.helpers import run, run_asynclint, write_project

UV_LOCK = (
    'version = 1\n\n[[package]]\nname = "pytest"\nversion = "9.2.0"\n\n'
    '[[package]]\nname = "pytest-asyncio"\nversion = "1.5.0"\n\n[[package]]\nname = "cachelib"\nversion = "2.0.0"\n'
)
#: A test calling a function that is a coroutine function in the cachelib an environment holds.
UNAWAITED = "import cachelib\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_get():\n    cachelib.get('k')\n"


def environment(path: Path, **packages: str) -> Path:
    """A virtualenv folder holding these packages (name -> version); cachelib's `get` is `async def` there."""
    files = {"pyvenv.cfg": "home = /usr/bin\n"}
    site = "lib/python3.12/site-packages"
    for name, version in packages.items():
        files[f"{site}/{name}-{version}.dist-info/METADATA"] = f"Name: {name}\nVersion: {version}\n"
    if "cachelib" in packages:
        files[f"{site}/cachelib/__init__.py"] = "async def get(key):\n    return None\n"
    return write_project(path, files)


def project(root: Path, files: dict[str, str]) -> Path:
    write_project(root, {"pyproject.toml": "[project]\nname = 'shop'\n", **files})
    return root


def resolver(cwd: Path, virtual_env: Path | None = None, python: Path | None = None) -> VersionResolver:
    return VersionResolver(
        virtual_env=str(virtual_env) if virtual_env else "",
        cwd=cwd,
        environ={},
        python=str(python) if python else None,
    )


# -- which environment is the project's ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"uv.lock": UV_LOCK}, "uv.lock locks pytest-asyncio 1.5.0, it has 0.21.2"),
        ({"requirements-dev.txt": "pytest-asyncio==1.5.0\n"}, "requirements-dev.txt pins pytest-asyncio 1.5.0"),
        ({"requirements-dev.txt": "pytest-asyncio>=1.0,<2\n"}, "requires pytest-asyncio<2,>=1.0, it has 0.21.2"),
        (
            {"uv.lock": UV_LOCK.replace('name = "pytest-asyncio"', 'name = "anyio"')},
            "uv.lock has no pytest-asyncio, it has pytest-asyncio 0.21.2",
        ),
    ],
)
def test_an_active_environment_the_project_excludes_is_ignored(
    tmp_path: Path, files: dict[str, str], reason: str
) -> None:
    root = project(tmp_path / "shop", files)
    other = environment(tmp_path / "other" / ".venv", pytest_asyncio="0.21.2", cachelib="1.0.0")
    versions = resolver(root, virtual_env=other).for_directory(root)
    assert versions.site_packages == ()
    (note,) = versions.environments
    assert note.path == str(other) and note.found_as == "the active environment, `VIRTUAL_ENV`"
    assert note.ignored is not None and reason in note.ignored and note.ignored.endswith("belongs to something else")


def test_an_environment_that_agrees_is_used(tmp_path: Path) -> None:
    root = project(tmp_path / "shop", {"uv.lock": UV_LOCK})
    own = environment(tmp_path / "envs" / "shop", pytest="9.2.0", pytest_asyncio="1.5.0", cachelib="2.0.0")
    versions = resolver(root, virtual_env=own).for_directory(root)
    assert versions.site_packages == (str(own / "lib" / "python3.12" / "site-packages"),)
    assert [(note.path, note.ignored) for note in versions.environments] == [(str(own), None)]


def test_a_stale_venv_in_the_project_gives_way_to_the_next_one(tmp_path: Path) -> None:
    root = project(tmp_path / "shop", {"requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n"})
    environment(root / ".venv", pytest="8.3.5", pytest_asyncio="0.24.0")
    active = environment(tmp_path / "active", pytest="9.2.0", pytest_asyncio="1.5.0")
    versions = resolver(root, virtual_env=active).for_directory(root)
    first, second = versions.environments
    assert first.found_as == "`.venv` in the project" and first.ignored is not None
    assert "requirements.txt pins pytest 9.2.0, it has 8.3.5" in first.ignored
    assert (second.path, second.ignored) == (str(active), None)
    assert versions.get("pytest-asyncio").describe() == "1.5.0 (from a pin in requirements.txt)"  # type: ignore[union-attr]


def test_an_environment_the_user_names_is_used_all_the_same(tmp_path: Path) -> None:
    root = project(tmp_path / "shop", {"uv.lock": UV_LOCK})
    named = environment(tmp_path / "named", pytest_asyncio="0.21.2")
    (note,) = resolver(root, python=named).for_directory(root).environments
    assert note.ignored is None and note.caveat == "uv.lock locks pytest-asyncio 1.5.0, it has 0.21.2"


def test_an_ignored_environment_lends_no_installed_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cachelib 1.0's `get` is a coroutine function: read from the foreign environment it would be a finding."""
    root = project(tmp_path / "shop", {"uv.lock": UV_LOCK, "test_cache.py": UNAWAITED})
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    environment(tmp_path / "other" / ".venv", pytest_asyncio="0.21.2", cachelib="1.0.0")
    foreign = run([root], cwd=root, python=str(tmp_path / "other" / ".venv"))
    assert [d.code for d in foreign.diagnostics] == ["AIO201"]
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp_path / "other" / ".venv"))
    assert run([root], cwd=root).diagnostics == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts")
def test_verbose_says_which_environment_was_used_and_which_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "shop", {"uv.lock": UV_LOCK, "tests/test_cache.py": UNAWAITED})
    environment(root / ".venv", pytest="9.2.0", pytest_asyncio="0.21.2")
    other = environment(tmp_path / "other" / ".venv", pytest="9.2.0", pytest_asyncio="1.5.0")
    monkeypatch.setenv("VIRTUAL_ENV", str(other))
    quiet = run_asynclint(root)
    assert "asynclint: " not in quiet.stderr
    done = run_asynclint(root, "-v")
    lines = [line for line in done.stderr.splitlines() if line.startswith("asynclint: ")]
    assert lines == [
        "asynclint: project .: environment .venv (`.venv` in the project): ignored: uv.lock locks pytest-asyncio "
        "1.5.0, it has 0.21.2, so it belongs to something else",
        f"asynclint: project .: environment {other} (the active environment, `VIRTUAL_ENV`): used for installed "
        "packages and versions",
        "asynclint: project .: pytest 9.2.0 (from uv.lock), pytest-asyncio 1.5.0 (from uv.lock)",
    ]
    assert done.stdout == quiet.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts")
def test_verbose_says_when_no_environment_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path / "shop", {"uv.lock": UV_LOCK, "tests/test_cache.py": UNAWAITED})
    monkeypatch.setenv("VIRTUAL_ENV", str(environment(tmp_path / "other", pytest_asyncio="0.21.2")))
    done = run_asynclint(tmp_path, "--verbose", "shop")
    assert (
        "asynclint: project shop: environment other (the active environment, `VIRTUAL_ENV`): ignored: asynclint "
        in (done.stderr)
    )
    assert "asynclint: project shop: no environment used: installed packages are not read" in done.stderr


# -- uv workspaces, found as uv finds them ------------------------------------------------------------------

WORKSPACE = (
    "[project]\nname = 'platform'\n\n[tool.uv.workspace]\nmembers = ['packages/*']\nexclude = ['packages/old']\n"
)
MEMBER = "[project]\nname = 'member'\n"


def workspace(root: Path, **extra: str) -> Path:
    """A uv workspace copied without its repository (no `.git` anywhere above)."""
    write_project(root, {"pyproject.toml": WORKSPACE, "uv.lock": UV_LOCK, **extra})
    for member in ("api", "old"):
        write_project(root / "packages" / member, {"pyproject.toml": MEMBER, "tests/test_it.py": ""})
    return root


def test_a_member_finds_the_workspace_lock_without_a_repository(tmp_path: Path) -> None:
    root = workspace(tmp_path / "platform-2.0")
    member = root / "packages" / "api"
    assert uv_workspace_root(member) == root
    versions = resolver(tmp_path).for_directory(member / "tests")
    assert versions.get("pytest-asyncio").describe() == "1.5.0 (from uv.lock)"  # type: ignore[union-attr]


def test_a_member_uses_the_workspace_environment_without_a_repository(tmp_path: Path) -> None:
    root = workspace(tmp_path / "platform-2.0")
    environment(root / ".venv", pytest="9.2.0", pytest_asyncio="1.5.0")
    versions = resolver(tmp_path).for_directory(root / "packages" / "api")
    assert versions.site_packages == (str(root / ".venv" / "lib" / "python3.12" / "site-packages"),)


def test_the_members_are_listed_from_the_root_and_from_a_member(tmp_path: Path) -> None:
    root = workspace(tmp_path / "platform-2.0")
    (root / "packages" / "docs").mkdir()  # no pyproject.toml: not a member
    members = [root / "packages" / "api"]
    assert uv_workspace_members(root) == members
    assert uv_workspace_members(root / "packages" / "api") == members
    assert uv_workspace_members(root / "packages" / "old") == []  # excluded: in no workspace
    assert uv_workspace_members(tmp_path) == []


def test_an_excluded_member_is_in_no_workspace(tmp_path: Path) -> None:
    root = workspace(tmp_path / "platform-2.0")
    assert uv_workspace_root(root / "packages" / "old") is None
    assert resolver(tmp_path).for_directory(root / "packages" / "old").get("pytest-asyncio") is None


@pytest.mark.parametrize(
    ("members", "found"),
    [
        ("['packages/*']", True),
        ("['./packages/*/']", True),
        ("['packages/api']", True),
        ("['libs/*']", False),
        ("[]", False),
    ],
)
def test_member_globs(tmp_path: Path, members: str, found: bool) -> None:
    root = tmp_path / "platform"
    write_project(root, {"pyproject.toml": f"[tool.uv.workspace]\nmembers = {members}\n"})
    write_project(root / "packages" / "api", {"pyproject.toml": MEMBER})
    assert uv_workspace_root(root / "packages" / "api") == (root if found else None)


def test_the_first_pyproject_above_decides(tmp_path: Path) -> None:
    """A project between the member and a workspace root: the member belongs to that project, as for uv."""
    root = workspace(tmp_path / "platform")
    write_project(root / "packages", {"pyproject.toml": "[project]\nname = 'bundle'\n"})
    assert uv_workspace_root(root / "packages" / "api") is None


def test_a_folder_inside_a_member_belongs_to_the_member(tmp_path: Path) -> None:
    """`tests/pytest.ini` makes `tests` the folder versions are read for; the member is the nearest pyproject."""
    root = workspace(tmp_path / "platform")
    write_project(root / "packages" / "api" / "tests", {"pytest.ini": "[pytest]\n"})
    versions = resolver(tmp_path).for_directory(root / "packages" / "api" / "tests")
    assert versions.get("pytest").describe() == "9.2.0 (from uv.lock)"  # type: ignore[union-attr]


def test_readme_documents_verbose() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "| `-v`, `--verbose` |" in readme
