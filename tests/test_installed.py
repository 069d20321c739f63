"""The built wheel, installed by pip from the package index into a fresh virtual environment, runs every
documented command the way the checkout does; the sdist holds what a packager needs.

These tests need the network (pip resolves asynclint's dependencies from the index): run them with
`pytest --installed`, as CI does. A dependency the code imports but the package does not declare fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomllib

from asynclint import __version__
from tests.helpers import write_project
from tests.installed import (
    PROJECT_ROOT,
    Distributions,
    Environment,
    build_distributions,
    checked,
    clean_environment,
    fresh_environment,
    run,
)

pytestmark = pytest.mark.installed

CORPUS = PROJECT_ROOT / "fixtures_corpus"
STRICT_PROJECT = {
    "pyproject.toml": (
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_default_fixture_loop_scope = "function"\n'
    ),
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_client.py": "import asyncio\n\n\nasync def test_fetch():\n    await asyncio.sleep(0)\n",
}
FIXED_CLIENT = (
    "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    await asyncio.sleep(0)\n"
)


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    return build_distributions(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def installed(distributions: Distributions, tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """`python3 -m venv v && v/bin/pip install asynclint-*.whl`: nothing else in the environment."""
    environment = fresh_environment(tmp_path_factory.mktemp("venv") / "v")
    checked(environment.pip_install(distributions.wheel))
    return environment


def development_run(*args: str, cwd: Path, stdin: str | None = None) -> tuple[int, str, str]:
    """The same command from the checkout's own environment, for comparison."""
    result = run([sys.executable, "-m", "asynclint", *args], cwd=cwd, stdin=stdin)
    return result.returncode, result.stdout, result.stderr


def installed_run(environment: Environment, *args: str, cwd: Path, stdin: str | None = None) -> tuple[int, str, str]:
    result = run([environment.command("asynclint"), *args], cwd=cwd, stdin=stdin)
    return result.returncode, result.stdout, result.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".asynclint_cache" not in path.parts and "__pycache__" not in path.parts
    }


def test_the_environment_holds_asynclint_and_its_declared_dependencies_only(installed: Environment) -> None:
    result = checked(run([installed.python, "-m", "pip", "check"], cwd=installed.root))
    assert "No broken requirements" in result.stdout
    listed = checked(run([installed.python, "-m", "pip", "list", "--format", "json"], cwd=installed.root))
    names = {entry["name"].lower() for entry in json.loads(listed.stdout)}
    assert "asynclint" in names
    assert not names & {"pytest", "iniconfig-dev", "flake8", "pre-commit", "hypothesis"} - {"iniconfig"}


def test_every_module_imports_in_the_installed_environment(installed: Environment) -> None:
    """Importing each module runs its top-level imports: the rules, reporters, the flake8 plugin... (not the
    language server's, which needs the `lsp` extra: see `test_the_language_server_with_its_extra`)."""
    script = (
        "import importlib, pkgutil, asynclint\n"
        "names = [m.name for m in pkgutil.walk_packages(asynclint.__path__, 'asynclint.')\n"
        "         if not m.name.startswith('asynclint.lsp')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = checked(run([installed.python, "-c", script], cwd=installed.root))
    assert int(result.stdout) > 50


def test_version_is_the_one_the_package_and_the_changelog_give(
    installed: Environment, distributions: Distributions
) -> None:
    code, out, err = installed_run(installed, "--version", cwd=installed.root)
    assert code == 0, err
    assert out.strip() == f"asynclint, version {__version__}"
    assert distributions.wheel.name.startswith(f"asynclint-{__version__}-")
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\]", changelog, re.MULTILINE), "no changelog entry"


def test_check_reports_what_the_checkout_reports(installed: Environment, tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "fixtures_corpus")
    args = ("check", "--no-cache", "fixtures_corpus/")
    expected = development_run(*args, cwd=tmp_path)
    got = installed_run(installed, *args, cwd=tmp_path)
    assert got[0] == 2, got[2]  # one project holds a file that does not parse
    assert got[1] == expected[1]
    assert got[1].count("\n") > 50


def test_fix_rewrites_a_copy_as_the_checkout_does(installed: Environment, tmp_path: Path) -> None:
    for name in ("installed", "development"):
        shutil.copytree(CORPUS, tmp_path / name / "fixtures_corpus")
    args = ("check", "--fix", "--no-cache", "fixtures_corpus/")
    expected = development_run(*args, cwd=tmp_path / "development")
    got = installed_run(installed, *args, cwd=tmp_path / "installed")
    assert (got[0], got[1]) == (expected[0], expected[1]), got[2]
    fixed = tree(tmp_path / "installed")
    assert fixed == tree(tmp_path / "development")
    original = {f"fixtures_corpus/{name}": data for name, data in tree(CORPUS).items()}
    changed = [name for name, data in fixed.items() if original.get(name) != data]
    assert changed, "the fix changed nothing"


DOCUMENTED = [
    ("check", "fixtures_corpus/projects/strict_service"),
    ("check", "--diff", "fixtures_corpus/"),
    ("check", "--fix", "--show-fixes", "fixtures_corpus/"),
    ("check", "--fix-only", "--unsafe-fixes", "fixtures_corpus/"),
    ("check", "--add-noqa", "fixtures_corpus/"),
    ("check", "--statistics", "fixtures_corpus/"),
    ("check", "--select", "ALL", "--ignore", "AIO6", "fixtures_corpus/"),
    ("check", "--force-exclude", "--extend-select", "AIO002", "fixtures_corpus/projects/noqa_comments/tests"),
    *(("check", "--format", name, "fixtures_corpus/") for name in ("full", "json", "json-lines", "sarif", "github")),
    *(("check", "--format", name, "fixtures_corpus/") for name in ("gitlab", "junit")),
    ("check", "--format", "json", "--output-file", "report.json", "fixtures_corpus/"),
    ("rules",),
    ("rules", "--format", "markdown"),
    ("rule", "AIO304"),
]


@pytest.mark.parametrize("args", DOCUMENTED, ids=" ".join)
def test_every_documented_command_runs_as_in_the_checkout(
    installed: Environment, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Same exit status, same output, same files afterwards, from the wheel as from the checkout."""
    for name in ("installed", "development"):
        shutil.copytree(CORPUS, tmp_path / name / "fixtures_corpus")
    command = (*args[:1], "--no-cache", *args[1:]) if args[0] == "check" else args
    expected = development_run(*command, cwd=tmp_path / "development")
    got = installed_run(installed, *command, cwd=tmp_path / "installed")
    assert "Traceback" not in got[2], got[2]
    # Where each ran (a SARIF base URI): the only difference allowed.
    expected_out = expected[1].replace(str(tmp_path / "development"), "<cwd>")
    assert (got[0], got[1].replace(str(tmp_path / "installed"), "<cwd>")) == (expected[0], expected_out), got[2]
    assert tree(tmp_path / "installed") == tree(tmp_path / "development")


def test_rules_and_rule(installed: Environment) -> None:
    code, out, err = installed_run(installed, "rules", "--format", "json", cwd=installed.root)
    assert code == 0, err
    listed = json.loads(out)
    assert listed == json.loads(development_run("rules", "--format", "json", cwd=installed.root)[1])
    assert {"AIO101", "AIO201", "AIO601"} <= {rule["code"] for rule in listed}
    code, out, err = installed_run(installed, "rule", "AIO101", cwd=installed.root)
    assert code == 0, err
    assert out.startswith("# AIO101") and "## Fix safety" in out


def test_check_reads_standard_input(installed: Environment, tmp_path: Path) -> None:
    project = write_project(tmp_path, STRICT_PROJECT)
    source = STRICT_PROJECT["tests/test_client.py"]
    code, out, err = installed_run(
        installed, "check", "--no-cache", "-", "--stdin-filename", "tests/test_client.py", cwd=project, stdin=source
    )
    assert code == 1, err
    assert out.startswith("tests/test_client.py:4:1: AIO101 [*] async test `test_fetch` has no asyncio mark")
    code, out, err = installed_run(
        installed, "check", "--fix", "-", "--stdin-filename", "tests/test_client.py", cwd=project, stdin=source
    )
    assert (code, out) == (0, FIXED_CLIENT), err


def test_flake8_reports_the_findings_from_the_same_environment(
    distributions: Distributions, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    environment = fresh_environment(tmp_path_factory.mktemp("venv-flake8") / "v")
    checked(environment.pip_install(distributions.wheel, "flake8"))
    settings = '\n[tool.asynclint]\nextend-select = ["AIO205"]\nextend-exclude = ["tests/legacy"]\n'
    project = write_project(
        tmp_path,
        {
            **STRICT_PROJECT,
            "pyproject.toml": STRICT_PROJECT["pyproject.toml"] + settings,
            "tests/legacy/test_old.py": STRICT_PROJECT["tests/test_client.py"],
            "tests/test_tasks.py": (
                "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\n"
                "async def test_spawn():\n    asyncio.create_task(asyncio.sleep(0))\n"
            ),
        },
    )
    result = run([environment.command("flake8"), "--select", "AIO", "tests/"], cwd=project)
    assert result.returncode == 1, result.stderr
    lines = sorted(result.stdout.splitlines())
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in lines] == [
        "tests/test_client.py:4:1 AIO101",  # the settings' excluded folder is not checked
        "tests/test_tasks.py:8:5 AIO205",  # a default-off rule the settings select
    ]


def test_the_sdist_holds_what_a_packager_needs(distributions: Distributions, tmp_path: Path) -> None:
    with tarfile.open(distributions.sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            archive.extractall(tmp_path, filter="data")
        else:
            archive.extractall(tmp_path)  # our own archive, just built
    (unpacked,) = tmp_path.iterdir()
    names = {str(path.relative_to(unpacked)) for path in unpacked.rglob("*") if path.is_file()}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "tests/test_corpus.py", "docs/rules.md"):
        assert needed in names, needed
    assert any(name.startswith("fixtures_corpus/projects/") for name in names)
    machine_specific = [
        name
        for name in names
        if any(part in name.split("/") for part in ("__pycache__", ".asynclint_cache", ".venv", ".ci", "dist"))
        or name.endswith(".pyc")
        or name == "uv.lock"  # the development environment's lock: a packager resolves its own
    ]
    assert not machine_specific
    # The sdist's own tests pass on its own sources (a packager runs them before packaging).
    environment = clean_environment({"PYTHONPATH": str(unpacked / "src")})
    result = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_corpus.py", "tests/test_cli.py"],
        cwd=unpacked,
        environment=environment,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    imported_from = run(
        [sys.executable, "-c", "import asynclint; print(asynclint.__file__)"], cwd=unpacked, environment=environment
    )
    assert imported_from.stdout.strip().startswith(str(unpacked / "src"))


def test_the_wheel_holds_the_package_and_its_license(distributions: Distributions) -> None:
    with zipfile.ZipFile(distributions.wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"asynclint-{__version__}.dist-info/METADATA").decode()
    assert "asynclint/cli.py" in names and "asynclint/rules/async_test_not_run.py" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert not [name for name in names if name.startswith(("tests/", "fixtures_corpus/"))]
    # The library index ships as data files of the package.
    libraries = PROJECT_ROOT / "src" / "asynclint" / "model" / "libraries"
    shipped = sorted(name.rpartition("/")[2] for name in names if name.startswith("asynclint/model/libraries/"))
    assert shipped == sorted(path.name for path in libraries.glob("*.json.gz")) and shipped
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    required = [
        line.removeprefix("Requires-Dist: ")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist") and "extra ==" not in line
    ]
    assert len(required) == len(declared)
    assert "Provides-Extra: lsp" in metadata


def test_the_language_server_needs_its_extra_and_says_so(installed: Environment) -> None:
    code, _, err = installed_run(installed, "server", cwd=installed.root)
    assert code == 2
    assert "pip install 'asynclint[lsp]'" in err


def test_the_language_server_with_its_extra(
    distributions: Distributions, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`pip install 'asynclint[lsp]'`: the server starts, answers `initialize` and exits when told to."""
    environment = fresh_environment(tmp_path_factory.mktemp("lsp") / "v")
    checked(environment.pip_install(f"{distributions.wheel}[lsp]"))
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": None}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    payload = b"".join(
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in (json.dumps(m).encode() for m in messages)
    )
    result = subprocess.run(
        [str(environment.command("asynclint")), "server"],
        input=payload,
        capture_output=True,
        cwd=environment.root,
        timeout=120,
        check=False,
    )
    assert b'"codeActionProvider"' in result.stdout, result.stderr.decode()
    assert b'"name": "asynclint"' in result.stdout
