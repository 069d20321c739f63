"""Config files as an editor holds them: while `editing` is in effect (in this thread), reading one of the
files it names gives the editor's unsaved text instead of the file's, so the language server can check a
pytest config file as the command line would check it with that text saved.

Only the readers of config files (pytest's, asynclint's own settings, the config rules) read through here:
Python files reach the linter as source already.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import iniconfig

_texts: ContextVar[Mapping[str, str] | None] = ContextVar("unsaved_texts", default=None)


@contextmanager
def editing(texts: Mapping[Path, str]) -> Iterator[None]:
    """Read `texts` in place of those files inside the block."""
    token = _texts.set({os.path.abspath(path): text for path, text in texts.items()})
    try:
        yield
    finally:
        _texts.reset(token)


def _unsaved(path: Path | str) -> str | None:
    texts = _texts.get()
    return texts.get(os.path.abspath(path)) if texts else None


def read_text(path: Path, *, errors: str = "strict") -> str:
    """`path.read_text(encoding="utf-8")`, or the editor's text for it."""
    text = _unsaved(path)
    return text if text is not None else path.read_text(encoding="utf-8", errors=errors)


def ini_config(path: Path | str) -> iniconfig.IniConfig:
    """`iniconfig.IniConfig(path)`, parsing the editor's text for it when there is one."""
    text = _unsaved(path)
    return iniconfig.IniConfig(str(path), data=text) if text is not None else iniconfig.IniConfig(str(path))
