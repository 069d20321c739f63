"""Where a module's file is, and what a module's text imports, found the way pytest's import would find them
but never importing anything: by the import roots (`rootdir`, `pythonpath`, `src/`) and the importing file's
base folder (pytest's prepend import mode), and by a text scan of the import lines (parsing every module would
cost as much as linting it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from asynclint import inputs

#: An import statement, from the start of its line: `from M import names` (groups 1, 2) or `import names` (3).
_IMPORT_STATEMENT = re.compile(
    r"[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n\\]*(?:\\\r?\n[^\n\\]*)*)"
    r"|import[ \t]+([^\n\\]*(?:\\\r?\n[^\n\\]*)*))"
)


def import_statements(text: str) -> Iterator[re.Match[str]]:
    """The import statements of a module's source, found from the word `import` (much faster than matching at
    every line start)."""
    start = 0
    while (index := text.find("import", start)) >= 0:
        match = _IMPORT_STATEMENT.match(text, text.rfind("\n", 0, index) + 1)
        if match is not None and match.end() > index:
            yield match
            start = match.end()
        else:
            start = index + len("import")


def import_list(text: str) -> Iterator[tuple[str, str]]:
    """(name, bound as) for each item of an import list: `a as b, c` gives (a, b) and (c, c)."""
    text = re.sub(r"#[^\n]*", "", text).partition(";")[0].replace("\\", " ").strip("() \t\r\n")
    for part in text.split(","):
        words = part.split()
        if len(words) == 1:
            yield words[0], words[0]
        elif len(words) == 3 and words[1] == "as":
            yield words[0], words[2]


def basedir(path: Path) -> Path:
    """The first folder upwards without `__init__.py`: what pytest's prepend import mode puts on sys.path."""
    directory = path.parent
    while inputs.is_file(directory / "__init__.py") and directory.parent != directory:
        directory = directory.parent
    return directory


def module_path(dotted: str, importer: Path, roots: Sequence[str]) -> Path | None:
    """The file a module name refers to from `importer` (relative, or under the import roots and the importer's
    base folder); never imports anything."""
    if not dotted.startswith("."):
        return resolve_module_path(dotted, (*roots, str(basedir(importer))))
    level = len(dotted) - len(dotted.lstrip("."))
    base = importer.parent
    for _ in range(level - 1):
        base = base.parent
    rest = dotted.lstrip(".")
    if not rest:
        return base / "__init__.py" if inputs.is_file(base / "__init__.py") else None
    return _module_file(base.joinpath(*rest.split(".")))


def resolve_module_path(dotted: str, roots: Iterable[str]) -> Path | None:
    """The file a dotted module name refers to under the given import roots."""
    if not dotted or dotted.startswith(".") or "<" in dotted:
        return None
    for root in roots:
        found = _module_file(Path(root).joinpath(*dotted.split(".")))
        if found is not None:
            return found
    return None


def _module_file(base: Path) -> Path | None:
    """`base.py`, or the package `base/__init__.py`."""
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if inputs.is_file(candidate):
            return candidate
    return None
