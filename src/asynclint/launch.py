"""The `asynclint` command's entry point: it starts the CLI with a compile cache for dataclass methods.

`dataclasses` writes each method it generates (`__init__`, `__eq__`, `__repr__`, `__hash__`, the frozen
`__setattr__`, ...) as Python source and compiles it when the class is created. LibCST defines about 260
frozen dataclasses, so without help every run compiles the same ~950 small functions again: a third of the
time it takes to import LibCST, and most of what `asynclint check one_file.py` spends before linting.

Like the interpreter's own bytecode cache, the compiled code is kept beside asynclint's modules (in
`__pycache__`, under the interpreter's cache tag, not written under PYTHONDONTWRITEBYTECODE). An entry is the
exact source text and its code object compiled the way `exec` would have compiled it, so running it is
running that text. A cache from another interpreter, or one that cannot be read, is ignored.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import gc
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

#: Names the file's format; a file with another header is ignored.
_HEADER = b"asynclint dataclass code 1\n" + importlib.util.MAGIC_NUMBER
#: Entries kept across upgrades before the file is rewritten with only what a run used.
_MAX_ENTRIES = 5000


class DataclassCodeCache:
    """Stands in for `exec` inside the `dataclasses` module while installed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = _load(path) if path is not None else {}
        self.used: set[str] = set()
        self.compiled = 0

    def __call__(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        if type(source) is str:
            code = self.codes.get(source)
            if code is None:
                # dont_inherit: the flags of `exec(text)` in `dataclasses`, which has no __future__ imports.
                code = self.codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
            self.used.add(source)
            source = code
        builtins.exec(source, globals, locals)

    def install(self) -> None:
        # A module global shadows the builtin for the module's own functions, and only for them.
        dataclasses.exec = self  # type: ignore[attr-defined]

    def uninstall(self) -> None:
        if dataclasses.__dict__.get("exec") is self:
            del dataclasses.exec  # type: ignore[attr-defined]

    def save(self) -> None:
        """Write the cache when this run compiled something new; never fail the run over it."""
        if self.path is None or not self.compiled or sys.dont_write_bytecode:
            return
        from asynclint.cache import write_whole  # only on the run that writes

        kept = self.codes if len(self.codes) <= _MAX_ENTRIES else {s: self.codes[s] for s in self.used}
        write_whole(self.path, _HEADER + marshal.dumps(kept))


def default_path() -> Path | None:
    """Beside this module's own bytecode (honouring PYTHONPYCACHEPREFIX), or None without a cache tag."""
    try:
        return Path(importlib.util.cache_from_source(__file__)).with_suffix(".dataclasses")
    except (NotImplementedError, ValueError):
        return None


def _load(path: Path) -> dict[str, CodeType]:
    try:
        data = path.read_bytes()
        if not data.startswith(_HEADER):
            return {}
        codes = marshal.loads(data[len(_HEADER) :])
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(codes, dict):
        return {}
    return {s: c for s, c in codes.items() if type(s) is str and type(c) is CodeType}


#: Collections of young objects every this many allocations (Python's default: 700). A run allocates
#: millions of objects that live on (imported classes, syntax trees) and few reference cycles: collecting
#: less often saves about a tenth of starting up and 3% of linting, for a few MB.
_YOUNG_COLLECTION_EVERY = 50_000


def main() -> None:
    gc.set_threshold(_YOUNG_COLLECTION_EVERY, 20, 10)
    cache = DataclassCodeCache(default_path())
    cache.install()
    try:
        from asynclint.cli import main as cli

        cli()
        status: object = 0
    except SystemExit as stop:
        status = stop.code
    finally:
        cache.uninstall()
        cache.save()
    # The run is over: its files are written and closed, its workers joined. Tearing down the interpreter
    # (every LibCST class, every module) would take a quarter of a short run, so the process ends here,
    # after its output is flushed, with the status `sys.exit` would have given.
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`asynclint check | head`)
            stream.flush()
    os._exit(status)
