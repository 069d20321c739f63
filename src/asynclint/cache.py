"""Results of earlier runs, reused while nothing they were made from has changed (`.asynclint_cache/`).

Two levels, both keyed by the run's key (asynclint's version, the Python running it, the working folder, the
linted paths, the enabled rules and every option that changes a finding):

- **The whole run.** Its result, with the stamp of every path the run read or checked (see `inputs`): the
  linted files, the folders listed to find them, configs, conftests, lock files, helper modules and installed
  packages. When every stamp holds, the result is reported again without parsing anything.
- **Each file.** Its report, keyed by its bytes and by a digest of the project facts it was linted with (its
  folder's pytest settings, versions and environment; its conftests and plugin modules; for a conftest, the
  test modules that use its fixtures), plus the stamps of what linting the files read besides the files
  themselves (helper modules, installed packages). When one test file changes, only that file is linted again.

Only results of check runs are stored; a `--fix` run reuses them for files with nothing to fix.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import itertools
import os
import pickle
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from asynclint import __version__
from asynclint.inputs import Stamp, still_valid

_STORES = itertools.count()


def write_whole(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` in one step: written beside it under a name no other run (process id) or
    write (a counter) uses, then renamed, so runs side by side or interrupted never leave a torn file. False
    when it cannot be written: a read-only cache only costs time. (`tempfile` would cost a short run more than
    the write.)"""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{next(_STORES)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


if TYPE_CHECKING:
    from asynclint.api import RunResult
    from asynclint.diagnostics import FileReport

#: Bumped when what is stored changes shape.
CACHE_FORMAT = 2
CACHE_DIR_NAME = ".asynclint_cache"
_GITIGNORE = "# Created by asynclint: its cache, never committed.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by asynclint.\n"
    "# For information about cache folder tags, see https://bford.info/cachedir/\n"
)


def canonical(value: object) -> object:
    """`value` as nested tuples of plain values, the same in every process (sets sorted, no object ids)."""
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    if isinstance(value, enum.Enum):
        return (type(value).__qualname__, canonical(value.value))
    if isinstance(value, PurePath):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple(canonical(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, Mapping):
        items = [(canonical(k), canonical(v)) for k, v in value.items()]
        return ("{}", tuple(sorted(items, key=repr)))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((canonical(v) for v in value), key=repr)))
    if isinstance(value, (list, tuple)):
        return tuple(canonical(v) for v in value)
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    if hasattr(value, "__slots__") or hasattr(value, "__dict__"):
        slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
        attributes = {name: getattr(value, name) for name in slots if hasattr(value, name)}
        attributes.update(getattr(value, "__dict__", {}))
        return (type(value).__qualname__, canonical(attributes))
    return (type(value).__qualname__, repr(value))


def digest(*values: object) -> str:
    return hashlib.sha256(repr(canonical(values)).encode("utf-8", "surrogatepass")).hexdigest()


#: Files that mark a project's root folder, where its results cache lives when no settings file says.
PROJECT_ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git", ".hg")


def default_cache_dir(settings_base: Path | None, paths: Sequence[Path], cwd: Path) -> Path:
    """`.asynclint_cache` at the root of the project being linted, as `.ruff_cache` is: next to the
    `[tool.asynclint]` settings in use, else in the nearest folder above the first path that holds a project
    file (pyproject.toml, setup.cfg, .git...), else in the working folder. A run started from `tests/` or
    from outside the project uses the same cache as one started at its root."""
    if settings_base is not None:
        return settings_base / CACHE_DIR_NAME
    first = (cwd / paths[0]).resolve() if paths else cwd.resolve()
    start = first if first.is_dir() else first.parent
    for folder in (start, *start.parents):
        if any(os.path.exists(folder / marker) for marker in PROJECT_ROOT_MARKERS):
            return folder / CACHE_DIR_NAME
    return cwd / CACHE_DIR_NAME


@dataclass
class FileTable:
    """The per-file level: each file's key and check report, and the stamps of what linting them read."""

    entries: dict[str, tuple[str, FileReport]] = field(default_factory=dict)
    stamps: dict[str, Stamp] = field(default_factory=dict)


class ResultsCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, kind: str, run_key: str) -> Path:
        return self.directory / f"{kind}-{run_key[:32]}.pickle"

    def _load(self, path: Path) -> object:
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
        except Exception:  # missing, truncated, or written by another version: start afresh
            return None
        if not isinstance(stored, tuple) or len(stored) != 3 or stored[0] != (CACHE_FORMAT, __version__):
            return None
        return stored

    def _store(self, path: Path, key: str, payload: object) -> None:
        """Written atomically: a run interrupted mid-way, or two runs at once, never leave a torn file."""
        # A read-only checkout still lints, only without a cache.
        write_whole(path, pickle.dumps(((CACHE_FORMAT, __version__), key, payload), protocol=pickle.HIGHEST_PROTOCOL))

    def prepare(self) -> None:
        """The folder, with a `.gitignore` that keeps it out of git and a tag that keeps it out of backups."""
        if (self.directory / ".gitignore").is_file():
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
            (self.directory / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")
        except OSError:
            pass

    # -- the whole run ---------------------------------------------------------------------------------------

    def load_run(self, run_key: str) -> RunResult | None:
        stored = self._load(self._path("run", run_key))
        if not isinstance(stored, tuple) or stored[1] != run_key:
            return None
        stamps, result = stored[2]
        return result if still_valid(stamps) else None

    def store_run(self, run_key: str, stamps: Mapping[str, Stamp], result: RunResult) -> None:
        self._store(self._path("run", run_key), run_key, (dict(stamps), result))

    # -- each file --------------------------------------------------------------------------------------------

    def load_files(self, run_key: str) -> FileTable:
        """The stored file reports, or none when something linting them read has changed since."""
        stored = self._load(self._path("files", run_key))
        if not isinstance(stored, tuple) or stored[1] != run_key:
            return FileTable()
        table = stored[2]
        if not isinstance(table, FileTable) or not still_valid(table.stamps):
            return FileTable()
        return table

    def store_files(self, run_key: str, table: FileTable) -> None:
        self._store(self._path("files", run_key), run_key, table)


def run_key(
    paths: Sequence[Path], cwd: Path, selection: object, options: object, environment: Mapping[str, str]
) -> str:
    """What makes two runs comparable: same asynclint, same Python, same place, same paths, same options."""
    return digest(
        CACHE_FORMAT,
        __version__,
        sys.version,
        str(cwd.resolve()),
        tuple(str(path.resolve()) for path in paths),
        selection,
        options,
        {name: environment.get(name) for name in ("VIRTUAL_ENV", "ASYNCLINT_CACHE_DIR", "XDG_CACHE_HOME")},
    )
