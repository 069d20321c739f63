"""What a run read from disk, so that its results can be reused while none of it changes.

Every file asynclint opens for reading and every folder it lists is noted through Python's audit hooks
(`open`, `os.listdir`, `os.scandir`), so no reading site can be forgotten; the existence checks that decide
what a name refers to (`is_file`, `exists`, `is_dir`) go through the helpers below, which note the path
whether or not it exists. A note is the path's stamp: its kind, size and modification time, or None when it
is missing. A cached result is valid while every stamp it was made from is unchanged.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

#: (file type bits, size, mtime in ns); None: the path does not exist. A path only checked for existence
#: has size and mtime -1: a folder gaining files does not change what `is_dir` said.
Stamp = tuple[int, int, int] | None
PROBED = -1


def stamp_of(path: str, *, probe: bool = False) -> Stamp:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    if probe:
        return (stat.S_IFMT(status.st_mode), PROBED, PROBED)
    return (stat.S_IFMT(status.st_mode), status.st_size, status.st_mtime_ns)


def _is_probe(found: Stamp) -> bool:
    return found is not None and found[1] == PROBED


class Inputs:
    """The stamps of the paths read while it was recording."""

    def __init__(self) -> None:
        self.stamps: dict[str, Stamp] = {}

    def note(self, path: str, found: Stamp) -> None:
        known = self.stamps.get(path, found)
        # A full stamp (the path was read) says more than a probe's: keep the full one.
        self.stamps[path] = found if _is_probe(known) and not _is_probe(found) else known

    def merge(self, stamps: Mapping[str, Stamp]) -> None:
        for path, found in stamps.items():
            self.note(path, found)


_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})
_recording: list[Inputs] = []
_paused = 0
_ignored_prefixes: list[str] = []
_hooked = False


def note(path: str | os.PathLike[str], *, probe: bool = False) -> None:
    """Note a path as read (or, with `probe`, checked for existence) by every active recording."""
    if not _recording or _paused:
        return
    key = os.path.abspath(os.fspath(path))
    if any(key.startswith(prefix) for prefix in _ignored_prefixes):
        return
    found = stamp_of(key, probe=probe)
    for inputs in _recording:
        inputs.note(key, found)


def _importing() -> bool:
    """Whether the import system is at work (loading asynclint's own modules is not reading the project)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _recording or _paused or event not in _EVENTS or _importing():
        return
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, (str, os.PathLike)) and (mode is None or (isinstance(mode, str) and "r" in mode)):
            note(path)
    elif event in ("os.listdir", "os.scandir"):
        path = args[0]
        if isinstance(path, (str, os.PathLike)):
            note(path)
        elif path is None:
            note(".")


@contextmanager
def recording(inputs: Inputs | None = None) -> Iterator[Inputs]:
    """Record what is read inside the block (recordings nest: an inner one's reads count for the outer)."""
    _install()
    inputs = inputs if inputs is not None else Inputs()
    _recording.append(inputs)
    try:
        yield inputs
    finally:
        _recording.remove(inputs)


def _install() -> None:
    global _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # audit hooks cannot be removed: it does nothing while nothing records
        _hooked = True


def start(inputs: Inputs) -> None:
    """Record from now on, for the life of the process (a worker's recording)."""
    _install()
    _recording.append(inputs)


def reset() -> None:
    """Stop every recording (a forked process must not record into copies of its parent's)."""
    _recording.clear()


@contextmanager
def paused() -> Iterator[None]:
    """Reads inside the block are not dependencies (the linted file's own bytes, which its key holds)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def ignore_below(directory: Path) -> None:
    """Never note paths below `directory` (the caches asynclint itself reads and writes)."""
    prefix = os.path.join(os.path.abspath(directory), "")
    if prefix not in _ignored_prefixes:
        _ignored_prefixes.append(prefix)


def still_valid(stamps: Mapping[str, Stamp]) -> bool:
    """Whether every path still has the stamp it was recorded with."""
    return all(stamp_of(path, probe=_is_probe(found)) == found for path, found in stamps.items())


# `os.path`'s checks, not `Path`'s: a folder the user may not enter (`/root/.virtualenvs` for another user)
# makes `Path.is_dir` raise, while for asynclint it only means there is nothing there to read.


def is_file(path: Path) -> bool:
    note(path, probe=True)
    return os.path.isfile(path)


def is_dir(path: Path) -> bool:
    note(path, probe=True)
    return os.path.isdir(path)


def exists(path: Path) -> bool:
    note(path, probe=True)
    return os.path.exists(path)
