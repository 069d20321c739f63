"""The distributions as users get them: built with `uv build`, installed by pip from the package index into
fresh virtual environments, run as commands in processes that see nothing of the development environment.

Used by the tests marked `installed` (`pytest --installed`, which CI runs): they need the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Variables of the development environment that would leak its packages or its settings into a user's run.
_LEAKING = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "CONDA_PREFIX", "PIP_NO_DEPS", "PIP_NO_INDEX")


def clean_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a user's shell: no active virtualenv, no development folders on `PATH`, no uv
    settings of this checkout; asynclint's caches in a folder of their own (set by the test suite)."""
    development_bin = str(Path(sys.executable).parent)
    environment = {key: value for key, value in os.environ.items() if key not in _LEAKING and not key.startswith("UV_")}
    environment.pop("UV", None)
    environment["PATH"] = os.pathsep.join(
        part for part in environment.get("PATH", "").split(os.pathsep) if part and part != development_bin
    )
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.update(extra or {})
    return environment


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path,
    environment: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(environment) if environment is not None else clean_environment(),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def checked(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """The result of a step that must succeed; its output in the failure otherwise."""
    assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def uv_command() -> list[str]:
    """uv as `uv run` passes it on, on `PATH`, or as the module pip installs (`python -m uv`)."""
    found = os.environ.get("UV") or shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


def build_distributions(out_dir: Path) -> Distributions:
    """`uv build` of this checkout: the sdist, and the wheel built from that sdist (as uv does)."""
    checked(run([*uv_command(), "build", "--out-dir", out_dir, PROJECT_ROOT], cwd=PROJECT_ROOT))
    wheels = sorted(out_dir.glob("asynclint-*.whl"))
    sdists = sorted(out_dir.glob("asynclint-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(out_dir.iterdir())
    return Distributions(wheels[0], sdists[0])


@dataclass(frozen=True)
class Environment:
    """A virtual environment made with `venv` (pip included), as `python3 -m venv v` makes it."""

    root: Path

    @property
    def bin(self) -> Path:
        return self.root / ("Scripts" if sys.platform == "win32" else "bin")

    @property
    def python(self) -> Path:
        return self.bin / ("python.exe" if sys.platform == "win32" else "python")

    def command(self, name: str) -> Path:
        return self.bin / (f"{name}.exe" if sys.platform == "win32" else name)

    def pip_install(self, *requirements: str | Path) -> subprocess.CompletedProcess[str]:
        """pip with its resolver and the package index, as a user's `pip install` (no --no-deps)."""
        return run([self.python, "-m", "pip", "install", "--quiet", *requirements], cwd=self.root, timeout=900)


def fresh_environment(root: Path) -> Environment:
    # From the interpreter this venv is built on, not the development venv (a venv of a venv would do too,
    # but this is what `python3 -m venv` on the user's machine does).
    builder = venv.EnvBuilder(with_pip=True, clear=True)
    builder.create(root)
    return Environment(root)


def committed_copy(destination: Path) -> Path:
    """A copy of this checkout as a commit of it holds it (what GitHub hands an Action, or pre-commit a hook
    repository): the files git tracks or would add, nothing it ignores (`.venv`, caches, build output)."""
    listed = checked(
        run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=PROJECT_ROOT)
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not part of the next commit
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination
