"""The linted project's versions, from its own files, in the catalog's order of sources."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asynclint.model import python_environments, versions
from asynclint.model.python_environments import poetry_env_name
from asynclint.model.versions import PackageVersion, VersionResolver, _plain_requirement
from tests.helpers import write_project

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"

UV_LOCK = """version = 1
[[package]]
name = "pytest-asyncio"
version = "0.23.8"

[[package]]
name = "pytest"
version = "8.3.5"
"""


def resolve(root: Path, files: dict[str, str], **kwargs: object) -> VersionResolver:
    write_project(root, {".git/HEAD": "", **files})
    return VersionResolver(**kwargs)  # type: ignore[arg-type]


def test_lock_file(tmp_path: Path) -> None:
    resolver = resolve(tmp_path, {"uv.lock": UV_LOCK, "pyproject.toml": "[project]\nname='x'\n"})
    versions = resolver.for_directory(tmp_path / "tests")
    package = versions.get("pytest_asyncio")
    assert package is not None and package.exact == "0.23.8" and package.source == "uv.lock"
    assert versions.at_least("pytest", "8.4") is False


def test_lock_beats_pins_and_pins_beat_ranges(tmp_path: Path) -> None:
    files = {
        "poetry.lock": '[[package]]\nname = "pytest"\nversion = "7.4.4"\n',
        "requirements-dev.txt": "pytest==8.0.0\npytest-asyncio==0.21.2  # old\nanyio>=4,<5\n",
    }
    versions = resolve(tmp_path, files).for_directory(tmp_path)
    assert versions.get("pytest").exact == "7.4.4"  # type: ignore[union-attr]
    assert versions.get("pytest-asyncio").exact == "0.21.2"  # type: ignore[union-attr]
    anyio = versions.get("anyio")
    assert (
        anyio is not None and anyio.exact is None and anyio.at_least("4.0") is True and anyio.at_least("5.0") is False
    )


def test_requirements_kept_next_to_the_tests(tmp_path: Path) -> None:
    resolver = resolve(tmp_path, {"setup.py": "", "tests/requirements.txt": "pytest-asyncio==0.16.0\n"})
    package = resolver.for_directory(tmp_path / "tests").get("pytest-asyncio")
    assert package is not None and package.exact == "0.16.0" and package.source == "a pin in requirements.txt"


def test_requirements_includes_are_followed(tmp_path: Path) -> None:
    files = {"requirements.txt": "-r requirements/test.txt\n", "requirements/test.txt": "pytest-asyncio==1.2.0\n"}
    versions = resolve(tmp_path, files).for_directory(tmp_path)
    assert versions.get("pytest-asyncio").exact == "1.2.0"  # type: ignore[union-attr]


def test_conflicting_pins_are_unknown_but_present(tmp_path: Path) -> None:
    files = {"requirements-old.txt": "pytest-asyncio==0.21.2\n", "requirements-new.txt": "pytest-asyncio==1.5.0\n"}
    versions = resolve(tmp_path, files).for_directory(tmp_path)
    package = versions.get("pytest-asyncio")
    assert package is not None and package.exact is None and versions.has("pytest-asyncio")


@pytest.mark.parametrize(
    ("spec", "minimum", "expected"),
    [
        ("^0.21", "0.23", False),
        ("^1.2", "1.0", True),
        ("0.21.1", "0.23", False),
        ("~0.23.2", "0.24", False),
        (">=0.23", "0.23", True),
        (">=0.23", "1.0", None),
    ],
)
def test_poetry_specifiers(tmp_path: Path, spec: str, minimum: str, expected: bool | None) -> None:
    files = {"pyproject.toml": f'[tool.poetry.group.dev.dependencies]\npytest-asyncio = "{spec}"\n'}
    versions = resolve(tmp_path, files).for_directory(tmp_path)
    assert versions.at_least("pytest-asyncio", minimum) is expected


def test_pep621_groups_and_extras(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": (
            "[project]\nname='x'\ndependencies=['httpx']\n"
            "[project.optional-dependencies]\ntest=['pytest-asyncio==0.24.0']\n"
            "[dependency-groups]\ndev=['pytest>=8.4']\n"
        )
    }
    versions = resolve(tmp_path, files).for_directory(tmp_path)
    assert versions.get("pytest-asyncio").exact == "0.24.0"  # type: ignore[union-attr]
    assert versions.at_least("pytest", "8.4") is True
    assert versions.has("httpx")


def test_project_venv(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname='x'\n",
        ".venv/pyvenv.cfg": "home = /usr\n",
        ".venv/lib/python3.12/site-packages/pytest_asyncio-1.1.0.dist-info/METADATA": "",
        ".venv/lib/python3.12/site-packages/pytest-8.4.2.dist-info/METADATA": "",
    }
    versions = resolve(tmp_path, files, virtual_env="").for_directory(tmp_path)
    assert versions.get("pytest-asyncio").exact == "1.1.0"  # type: ignore[union-attr]
    assert versions.get("pytest").exact == "8.4.2"  # type: ignore[union-attr]


def test_tool_environments_say_nothing_about_the_project(tmp_path: Path) -> None:
    env = tmp_path / "cache" / "pre-commit" / "repo1" / "py_env-python3"
    write_project(env, {"pyvenv.cfg": "", "lib/python3.12/site-packages/pytest_asyncio-0.21.0.dist-info/METADATA": ""})
    project = tmp_path / "project"
    resolver = resolve(project, {"pyproject.toml": "[project]\nname='x'\n"}, virtual_env=str(env), cwd=project)
    assert resolver.for_directory(project).get("pytest-asyncio") is None


def test_pre_commit_environments_elsewhere_say_nothing_either(tmp_path: Path) -> None:
    """With `PRE_COMMIT_HOME` moved, pre-commit's environment is still known by its name and `PRE_COMMIT`."""
    env = tmp_path / "hooks" / "repoa1b2c3" / "py_env-python3.12"
    write_project(env, {"pyvenv.cfg": "", "lib/python3.12/site-packages/pytest_asyncio-0.21.0.dist-info/METADATA": ""})
    project = tmp_path / "project"
    write_project(project, {".git/HEAD": "", "pyproject.toml": "[project]\nname='x'\n"})
    hook = VersionResolver(virtual_env=str(env), cwd=project, environ={"PRE_COMMIT": "1"})
    assert hook.for_directory(project).get("pytest-asyncio") is None
    shell = VersionResolver(virtual_env=str(env), cwd=project, environ={})
    assert shell.for_directory(project).get("pytest-asyncio") is not None


def test_active_environment_counts_when_run_from_the_project(tmp_path: Path) -> None:
    env = tmp_path / "envs" / "project-env"
    write_project(env, {"pyvenv.cfg": "", "lib/python3.12/site-packages/pytest_asyncio-0.26.0.dist-info/METADATA": ""})
    project = tmp_path / "project"
    resolver = resolve(project, {"pyproject.toml": "[project]\nname='x'\n"}, virtual_env=str(env), cwd=project)
    assert resolver.for_directory(project).get("pytest-asyncio").exact == "0.26.0"  # type: ignore[union-attr]
    elsewhere = VersionResolver(virtual_env=str(env), cwd=tmp_path)
    assert elsewhere.for_directory(project).get("pytest-asyncio") is None


def test_a_parent_lock_counts_only_for_a_workspace_member(tmp_path: Path) -> None:
    write_project(tmp_path, {".git/HEAD": "", "uv.lock": UV_LOCK, "pyproject.toml": "[project]\nname='root'\n"})
    write_project(tmp_path / "member", {"pyproject.toml": "[project]\nname='member'\n"})
    assert VersionResolver().for_directory(tmp_path / "member").get("pytest-asyncio") is None
    (tmp_path / "pyproject.toml").write_text("[project]\nname='root'\n[tool.uv.workspace]\nmembers=['member']\n")
    assert VersionResolver().for_directory(tmp_path / "member").get("pytest-asyncio").exact == "0.23.8"  # type: ignore[union-attr]


def test_explicit_setting_wins(tmp_path: Path) -> None:
    resolver = resolve(tmp_path, {"uv.lock": UV_LOCK}, overrides={"pytest-asyncio": "1.5.0"})
    package = resolver.for_directory(tmp_path).get("pytest-asyncio")
    assert package == PackageVersion("pytest-asyncio", "1.5.0", None, "asynclint settings")


def test_nothing_known(tmp_path: Path) -> None:
    versions = resolve(tmp_path, {}).for_directory(tmp_path)
    assert versions.get("pytest") is None and versions.at_least("pytest", "8.4") is None


@pytest.mark.parametrize(
    "lock",
    [
        pytest.param(
            'version = 1\n\n[[package]]\nname = "Pytest_Asyncio"\nversion = "0.23.8"\nsource = { registry = "x" }\n'
            '\n[[package]]\nname = "pytest"\nversion = "8.3.5"\ndependencies = [\n    { name = "pluggy" },\n]\n',
            id="uv layout",
        ),
        pytest.param(
            '[[package]]\nversion = "8.3.5"\nname = "pytest"\n\n[[package]]\nname = "pytest-asyncio"\n'
            'version = "0.23.8"\n',
            id="other key order: read as TOML",
        ),
    ],
)
def test_lock_versions_match_a_full_toml_read(tmp_path: Path, lock: str) -> None:
    import tomllib

    from asynclint.model.versions import _lock_versions

    path = tmp_path / "uv.lock"
    path.write_text(lock, encoding="utf-8")
    expected = {p["name"].lower().replace("_", "-"): p["version"] for p in tomllib.loads(lock)["package"]}
    assert _lock_versions(path) == expected == {"pytest": "8.3.5", "pytest-asyncio": "0.23.8"}


# -- requirement lines read without packaging ---------------------------------------------------------------

_NAMES = st.sampled_from(["pytest", "pytest-asyncio", "Pytest_Asyncio", "a.b", "x", "x1", "-x", "x-", "x..y", "_"])
_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_OPERATORS = st.sampled_from(["==", "!=", ">=", "<=", "~=", "<", ">", "===", "=", "=>", ""])
_VERSIONS = st.sampled_from(
    [
        "1",
        "1.0",
        "0.24.0",
        "01.2",
        "1.*",
        "1.0.*",
        "1.0a1",
        "1.0b2",
        "2.0rc1",
        "1.0.post1",
        "1.0.dev3",
        "1.0a1.post2.dev3",
        "01",
        "1.00",
        "1.0+local",
        "1.0rc1.*",
        "1.*.0",
        "1.0.",
        "v1.0",
        "1.0-1",
        "1!2.0",
        "latest",
        "*",
    ]
)


@st.composite
def _requirement_lines(draw: st.DrawFn) -> str:
    parts = [draw(_NAMES), draw(_SPACE)]
    if draw(st.booleans()):
        extras = draw(st.lists(st.sampled_from(["a", "b-c", "d_e", "", "!"]), max_size=3))
        parts += ["[", draw(_SPACE), ", ".join(extras), draw(_SPACE), "]", draw(_SPACE)]
    clauses = draw(st.lists(st.tuples(_OPERATORS, _SPACE, _VERSIONS, _SPACE), max_size=3))
    parts.append(",".join(f"{op}{gap}{version}{after}" for op, gap, version, after in clauses))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["; python_version < '3.12'", "@ https://x/y.whl", " ;", ",", "("])))
    return "".join(parts)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_requirement_lines())
def test_plain_requirements_read_as_packaging_reads_them(line: str) -> None:
    """The fast path gives packaging's own answer, or hands the line to packaging: never another answer."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    plain = _plain_requirement(line)
    if plain is None:
        return
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        pytest.fail(f"{line!r} is invalid, but was read as {plain}")
    assert plain == (canonicalize_name(requirement.name), str(requirement.specifier))


@pytest.mark.parametrize("line", ["pytest-asyncio==0.24.0", "httpx >= 0.27, <1", "Foo_Bar[a,b]~=1.2", "x"])
def test_common_requirement_lines_take_the_fast_path(line: str) -> None:
    assert _plain_requirement(line) is not None


# -- where the project's environment is found -------------------------------------------------------------------


def _env(path: Path, version: str) -> Path:
    """A minimal virtualenv whose pytest-asyncio version says which environment was read."""
    files = {"pyvenv.cfg": "", f"lib/python3.12/site-packages/pytest_asyncio-{version}.dist-info/METADATA": ""}
    return write_project(path, files)


def _read_from(resolver: VersionResolver, project: Path) -> str | None:
    package = resolver.for_directory(project).get("pytest-asyncio")
    return package.exact if package is not None else None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layouts")
def test_environments_count_in_the_order_users_expect(tmp_path: Path) -> None:
    """The named environment, the project's folders, the active one run from the project, then where the
    project's tools keep it: uv, Poetry, virtualenvwrapper, pyenv-virtualenv."""
    project = tmp_path / "shop"
    write_project(project, {".git/HEAD": "", "poetry.lock": "", "uv.lock": "version = 1\n", ".python-version": "shop"})
    write_project(project, {"pyproject.toml": '[tool.poetry]\nname = "shop"\n'})
    home = tmp_path / "home"
    environ = {"HOME": str(home), "UV_PROJECT_ENVIRONMENT": str(home / "uv"), "XDG_CACHE_HOME": str(home / "cache")}
    poetry = home / "cache" / "pypoetry" / "virtualenvs" / f"{poetry_env_name('shop', str(project))}-py3.12"
    order = [
        ("named", _env(home / "named", "0.1.1")),
        (".venv", _env(project / ".venv", "0.1.2")),
        ("venv", _env(project / "venv", "0.1.3")),
        ("active", _env(home / "active", "0.1.4")),
        ("uv", _env(home / "uv", "0.1.5")),
        ("poetry", _env(poetry, "0.1.6")),
        ("virtualenvwrapper", _env(home / ".virtualenvs" / "shop", "0.1.7")),
        ("pyenv", _env(home / ".pyenv" / "versions" / "shop", "0.1.8")),
    ]
    (home / ".virtualenvs" / "shop" / ".project").write_text(str(project))
    for index, (name, env) in enumerate(order):
        resolver = VersionResolver(
            python=str(order[0][1]) if index == 0 else None,
            virtual_env=str(order[3][1]),
            cwd=project,
            environ=environ,
        )
        assert _read_from(resolver, project) == f"0.1.{index + 1}", name
        shutil.rmtree(env)
    assert _read_from(VersionResolver(virtual_env="", cwd=project, environ=environ), project) is None


def test_the_search_runs_once_per_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many folders a run has, each project's environment is looked for once."""
    searched: list[Path] = []

    def counted(
        project_dir: Path, environ: object, *, workspace_root: Path | None = None
    ) -> Iterator[tuple[Path, str]]:
        searched.append(project_dir)
        return iter(())

    monkeypatch.setattr(versions, "described_tool_environments", counted)
    write_project(tmp_path, {".git/HEAD": "", "pyproject.toml": "[project]\nname='x'\n"})
    resolver = VersionResolver(virtual_env="", environ={})
    for index in range(30):
        folder = tmp_path / "tests" / f"part{index}"
        folder.mkdir(parents=True)
        resolver.for_directory(folder)
    assert searched == [tmp_path.resolve()]


def test_a_workspace_member_uses_the_workspace_environment(tmp_path: Path) -> None:
    write_project(tmp_path, {".git/HEAD": "", "uv.lock": UV_LOCK})
    write_project(tmp_path, {"pyproject.toml": "[project]\nname='root'\n[tool.uv.workspace]\nmembers=['member']\n"})
    write_project(tmp_path / "member", {"pyproject.toml": "[project]\nname='member'\n"})
    _env(tmp_path / ".venv", "0.23.8")  # the version uv.lock locks: the workspace's own environment
    resolver = VersionResolver(virtual_env="", environ={})
    assert resolver.for_directory(tmp_path / "member").site_packages == (
        str(tmp_path / ".venv" / "lib" / "python3.12" / "site-packages"),
    )


@pytest.mark.skipif(sys.platform == "win32", reason="Poetry lowercases and uses backslashes in paths on Windows")
@pytest.mark.parametrize(
    ("name", "folder", "expected"),
    [
        # What Poetry 2.5's `EnvManager.generate_env_name` gives for the (normalized) project name and folder.
        ("shop-app", "/srv/shop", "shop-app-58fqC6Q1"),
        ("my app!*@x", "/srv/My Projects/shop", "my_app___x-s3Xjqe0X"),
        ("a" * 50, "/srv/\u00fc", "a" * 42 + "-zEMGDmYw"),
    ],
)
def test_poetry_environment_names(name: str, folder: str, expected: str) -> None:
    assert poetry_env_name(name, folder) == expected


def test_poetry_without_environments_of_its_own(tmp_path: Path) -> None:
    """`virtualenvs.create = false`: Poetry installs into the interpreter it runs with; nothing to look for,
    nor to ask Poetry about."""
    write_project(tmp_path, {"poetry.lock": "", "poetry.toml": "[virtualenvs]\ncreate = false\n"})
    poetry = python_environments.PoetryProject.read(tmp_path, {"HOME": str(tmp_path)})
    assert poetry is not None
    assert list(poetry.environments()) == [] and not poetry.may_ask


def test_python_names_an_environment_by_its_folder_or_its_interpreter(tmp_path: Path) -> None:
    """A venv's `bin/python` is a link to the base interpreter: the environment is the venv, not the base."""
    import venv

    from asynclint.model.versions import environment_of

    root = tmp_path / "project" / ".venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(root)
    interpreter = root / "bin" / "python"
    assert interpreter.is_symlink()
    assert environment_of(str(root)) == root.resolve()
    assert environment_of(str(interpreter)) == root
    assert environment_of(str(tmp_path / "project" / ".venv" / "bin" / ".." / "bin" / "python")) == root


def test_a_version_only_the_environment_holds_is_no_guarantee_for_a_fix(tmp_path: Path) -> None:
    """Messages may say what the environment holds; a version-dependent fix must hold for every release the
    project allows: pytest-asyncio 1.5.0 installed under `pytest-asyncio<2` does not make `fixture-scope`
    (a 1.5 value, a startup error on 1.4) a safe fix."""
    from asynclint.diagnostics import Applicability
    from tests.helpers import run

    project = tmp_path / "installed_not_pinned"
    shutil.copytree(CORPUS / "installed_not_pinned", project)
    before = (project / "pyproject.toml").read_bytes()
    result = run([project], cwd=project, fix=Applicability.UNSAFE, select=["AIO602"])
    assert [d.code for d in result.diagnostics] == ["AIO602"]
    assert result.diagnostics[0].fix is None
    assert (project / "pyproject.toml").read_bytes() == before
    versions = VersionResolver(virtual_env="").for_directory(project)
    package = versions.get("pytest-asyncio")
    assert package is not None and package.exact == "1.5.0" and package.from_environment
    assert versions.at_least("pytest-asyncio", "1.5") is True
    assert versions.guaranteed_at_least("pytest-asyncio", "1.5") is None
    assert versions.guaranteed_at_least("pytest-asyncio", "2.0") is False


def test_a_config_speaks_of_its_own_projects_versions(tmp_path: Path) -> None:
    """An example app below the rootdir with a requirements file of its own is another project: the root
    config's messages still give the root project's versions."""
    from tests.helpers import run

    project = write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
            "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
            "examples/demo/requirements.txt": "uvicorn<1\n",
            "examples/demo/app.py": "print(1)\n",
            "tests/test_a.py": "async def test_a():\n    pass\n",
        },
    )
    (found,) = run([project], cwd=project, select=["AIO602"]).diagnostics
    assert "pytest-asyncio 1.5.0" in found.message and "assumed" not in found.message
