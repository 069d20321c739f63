"""The results cache: a run that changes nothing is answered from `.asynclint_cache` without linting, and every
kind of change a finding depends on (the file, its conftest, its config, a pin, a helper module it imports, a
new or deleted file, the rule selection) makes the affected files be linted again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asynclint.cli import main
from asynclint.engine import FileLinter
from tests.helpers import write_project

STRICT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "app/__init__.py": "",
    "app/client.py": "def fetch():\n    return 1\n",
    "tests/__init__.py": "",
    "tests/test_client.py": (
        "import pytest\n\nfrom app.client import fetch\n\n\n"
        "@pytest.mark.asyncio\nasync def test_fetch():\n    fetch()\n"
    ),
    "tests/test_other.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_other():\n    assert True\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_project(tmp_path / "project", STRICT)
    monkeypatch.chdir(root)
    monkeypatch.setenv("ASYNCLINT_CACHE_DIR", str(tmp_path / "shapes"))
    return root


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each run really lints (the others come from the cache)."""
    seen: list[str] = []
    original = FileLinter.check

    def check(self: FileLinter, path: Path, *args: object, **kwargs: object) -> object:
        seen.append(path.name)
        return original(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FileLinter, "check", check)
    return seen


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "-j", "1", *args])
    return result.exit_code, result.stdout


def edit(path: Path, text: str) -> None:
    """Rewrite a file so that its stamp surely changes, even on file systems with coarse timestamps."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_second_run_is_answered_from_the_cache(project: Path, linted: list[str]) -> None:
    first = run()
    assert first[0] == 0 and sorted(linted) == [
        "__init__.py",
        "__init__.py",
        "client.py",
        "test_client.py",
        "test_other.py",
    ]
    linted.clear()
    assert run() == first
    assert linted == []
    cache = project / ".asynclint_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_an_edited_file_is_linted_again_and_only_it(project: Path, linted: list[str]) -> None:
    run()
    linted.clear()
    edit(project / "tests/test_other.py", STRICT["tests/test_other.py"].replace("@pytest.mark.asyncio\n", ""))
    code, output = run()
    assert code == 1 and "tests/test_other.py:4:1: AIO101" in output
    assert linted == ["test_other.py"]


def test_a_helper_module_turning_async_is_seen(project: Path) -> None:
    assert run()[0] == 0
    edit(project / "app/client.py", "async def fetch():\n    return 1\n")
    code, output = run()
    assert code == 1 and "tests/test_client.py:8:5: AIO201" in output


def test_config_and_pins_are_part_of_what_a_result_depends_on(project: Path) -> None:
    edit(project / "tests/test_other.py", "async def test_other():\n    assert True\n")
    code, output = run()
    assert code == 1 and "AIO101" in output and "pytest 9.2.0" in output
    edit(project / "requirements.txt", "pytest==8.3.5\npytest-asyncio==1.0.0\n")
    code, output = run()
    assert code == 1 and "pytest 8.3.5" in output
    edit(project / "pytest.ini", STRICT["pytest.ini"] + "asyncio_mode = auto\n")
    assert run() == (0, "All checks passed!\n")


def test_a_new_conftest_and_new_and_deleted_files_are_seen(project: Path) -> None:
    assert run()[0] == 0
    (project / "tests/test_new.py").write_text("async def test_new():\n    pass\n", encoding="utf-8")
    code, output = run()
    assert code == 1 and "tests/test_new.py:1:1: AIO101" in output
    (project / "tests/conftest.py").write_text("import pytest\n\npytestmark = pytest.mark.asyncio\n")
    (project / "tests/test_new.py").unlink()
    assert run() == (0, "All checks passed!\n")


def test_rule_selection_and_options_are_part_of_the_key(project: Path) -> None:
    edit(project / "tests/test_other.py", "async def test_other():\n    assert True\n")
    assert run()[0] == 1
    assert run("--ignore", "AIO101") == (0, "All checks passed!\n")
    assert run("--asyncio-mode", "auto")[0] == 0
    assert run()[0] == 1


def test_fix_runs_use_the_cache_only_when_nothing_is_fixable(project: Path, linted: list[str]) -> None:
    edit(project / "tests/test_other.py", "async def test_other():\n    assert True\n")
    assert run()[0] == 1
    linted.clear()
    assert run("--fix")[0] == 0
    assert "@pytest.mark.asyncio" in (project / "tests/test_other.py").read_text()
    assert "test_other.py" in linted
    linted.clear()
    assert run("--fix") == (0, "All checks passed!\n")
    assert linted == ["test_other.py"]  # the file the fix rewrote
    linted.clear()
    assert run("--fix") == (0, "All checks passed!\n")
    assert linted == []


def test_no_cache_and_cache_dir(project: Path, tmp_path: Path) -> None:
    run("--no-cache")
    assert not (project / ".asynclint_cache").exists()
    run("--cache-dir", str(tmp_path / "elsewhere"))
    assert not (project / ".asynclint_cache").exists()
    assert any((tmp_path / "elsewhere").glob("run-*.pickle"))


def test_a_corrupt_cache_is_ignored(project: Path) -> None:
    first = run()
    for entry in (project / ".asynclint_cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert run() == first


def test_a_cached_run_never_loads_libcst(project: Path, tmp_path: Path) -> None:
    """What makes a warm run fast: the result is reported without importing the parser or the rules."""
    script = (
        "import sys\nfrom asynclint.cli import main\n"
        "try:\n    main(['check', '-q'])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "ASYNCLINT_CACHE_DIR": str(tmp_path / "shapes")}

    def loads_libcst() -> bool:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True, check=True
        )
        return done.stderr.strip().splitlines()[-1] == "True"

    assert loads_libcst()
    first = {entry.name: entry.read_bytes() for entry in (project / ".asynclint_cache").glob("run-*.pickle")}
    assert not loads_libcst(), f"changed since the first run: {_changed_inputs(first)}"


def _changed_inputs(stored: dict[str, bytes]) -> list[str]:
    """What invalidated a stored run (for the failure message)."""
    import pickle

    from asynclint.inputs import _is_probe, stamp_of

    changed = [f"stored runs: {sorted(stored)}"]
    for data in stored.values():
        _, _, (stamps, _) = pickle.loads(data)
        changed += [
            f"{p}: {s} -> {stamp_of(p, probe=_is_probe(s))}"
            for p, s in stamps.items()
            if stamp_of(p, probe=_is_probe(s)) != s
        ]
    return changed
