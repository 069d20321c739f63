"""Prints the asynclint settings file that chooses the project's environment (`python = ...`), if any.

action/run.sh asks before it passes `--python`: a command-line `--python` overrides the setting, and a
project that says which environment asynclint reads should not have that choice overridden by a default.
Looked at: the file given as the argument (the run's `--config`), else the settings asynclint uses in the
current folder (the nearest `asynclint.toml`, or `pyproject.toml` with a `[tool.asynclint]` table, here or
above), then those of sub-projects below it, as git tracks them. Runs on the Python of asynclint's own
environment (3.10 or newer).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # asynclint depends on tomli on 3.10
    import tomli as tomllib


def sets_python(path: Path) -> bool | None:
    """Whether a settings file sets `python`; None when the file holds no asynclint settings."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if path.name != "pyproject.toml":  # asynclint.toml, or any file `--config` names: keys at the top
        table: object = data
    else:
        tool = data.get("tool")
        table = tool.get("asynclint") if isinstance(tool, dict) else None
    return "python" in table if isinstance(table, dict) else None


def nearest(folder: Path) -> Path | None:
    for base in (folder, *folder.parents):
        for name in ("asynclint.toml", "pyproject.toml"):
            verdict = sets_python(base / name)
            if verdict is not None:
                return base / name if verdict else None
    return None


def tracked_below(folder: Path) -> Path | None:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", ":(glob)**/asynclint.toml", ":(glob)**/pyproject.toml"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):  # not a git work tree
        return None
    names = sorted(name for name in listed.split("\0") if name)
    return next((folder / name for name in names if sets_python(folder / name)), None)


def main(arguments: list[str]) -> None:
    here = Path.cwd()
    if arguments:
        config = Path(arguments[0])
        found = config if sets_python(config) else None
    else:
        found = nearest(here) or tracked_below(here)
    if found is not None:
        print(found)


if __name__ == "__main__":
    main(sys.argv[1:])
