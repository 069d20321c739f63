"""Module shapes of widely used async libraries, for projects whose environment does not hold them.

A pre-commit hook or a CI job that did not install the project's dependencies gives asynclint no installed
httpx, asyncpg or aiohttp to read, so `client.get(...)` without `await` would go unreported. The files in
`libraries/` (one per top-level package, `httpx.json.gz`) hold the shapes asynclint's own reader
(`model.shapes.read_shape`) made of one release of each library, read as source from its wheel by
`scripts/build_library_index.py`: module, class and function names, which are `async def`, what classes
methods belong to and whether `__aenter__` returns self. No code of the libraries is kept. Each file says
where its facts come from: the package and version, the wheel and its digest, the date and the command.

The coroutine index asks for a module here only when the package is not installed where it looks (the
project's own import roots and the site-packages of its environment): an installed copy always wins. A
package's file is read the first time one of its modules is asked for, and each module is decoded when
first used, so a run that never meets one of these libraries reads none of it.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from asynclint import inputs
from asynclint.model.shapes import SHAPE_FORMAT, ModuleShape

#: Version of the file layout below; a file of another layout is not used.
FORMAT = 1
#: Where the shipped files are.
FOLDER = Path(__file__).with_name("libraries")
SUFFIX = ".json.gz"


class IndexedModule(NamedTuple):
    """A module of an indexed library, as the coroutine index needs it (a named tuple: cheaper to define
    than a dataclass, for a module every run imports)."""

    shape: ModuleShape
    #: Its path inside the package, as an installed copy would show it (`httpx/_client.py`).
    display: str
    is_package: bool
    #: Which release the facts come from, for messages: "httpx 0.28.1, from asynclint's index: ...".
    origin: str


# -- encoding ----------------------------------------------------------------------------------------------
# Shapes are frozen dataclasses; each is stored as the list of its field values in field order, without the
# trailing ones that hold their default, and the file names the fields of each class (its schema). Reading
# goes by the field types, so a field added to a shape class later reads as its default from older files.


def schema() -> dict[str, list[str]]:
    """The field names of every dataclass a `ModuleShape` is made of."""
    found: dict[str, list[str]] = {}
    pending: list[type] = [ModuleShape]
    while pending:
        cls = pending.pop()
        if cls.__name__ in found:
            continue
        found[cls.__name__] = [f.name for f in dataclasses.fields(cls)]
        for hint in typing.get_type_hints(cls).values():
            pending.extend(_dataclasses_in(hint))
    return dict(sorted(found.items()))


def _dataclasses_in(hint: object) -> list[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]
    return [cls for arg in typing.get_args(hint) for cls in _dataclasses_in(arg)]


def encode(value: object) -> object:
    """A shape as JSON values (see above)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        values = [getattr(value, item.name) for item in fields]
        while values and _is_default(fields[len(values) - 1], values[-1]):
            values.pop()
        return [encode(item) for item in values]
    if isinstance(value, Mapping):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} in a library index")


def _has_default(item: dataclasses.Field[object]) -> bool:
    return item.default is not dataclasses.MISSING or item.default_factory is not dataclasses.MISSING


def _is_default(item: dataclasses.Field[object], value: object) -> bool:
    if item.default is not dataclasses.MISSING:
        return bool(value == item.default)
    if item.default_factory is not dataclasses.MISSING:
        return bool(value == item.default_factory())
    return False


Reader = Callable[[object], object]


class _Decoder:
    """Reads encoded shapes written with `stored` field names; raises ValueError when they cannot fit."""

    def __init__(self, stored: Mapping[str, list[str]]) -> None:
        self.stored = stored
        self._readers: dict[object, Reader] = {}

    def module(self, encoded: object) -> ModuleShape:
        shape = self.reader(ModuleShape)(encoded)
        assert isinstance(shape, ModuleShape)
        return shape

    def reader(self, hint: object) -> Reader:
        key = hint
        if key not in self._readers:
            # A type holding itself (a tuple's `Value.elements`) meets its own reader while that is being made:
            # it gets one that looks the finished reader up when called.
            self._readers[key] = lambda value: self._readers[key](value)
            self._readers[key] = self._make(hint)
        return self._readers[key]

    def _make(self, hint: object) -> Reader:
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self._dataclass(hint)
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            present = [arg for arg in args if arg is not type(None)]
            if len(present) != 1:
                raise ValueError(f"cannot read {hint}")
            inner = self.reader(present[0])
            return lambda value: None if value is None else inner(value)
        if origin in (Mapping, dict):
            read_value = self.reader(args[1])
            return lambda value: {key: read_value(item) for key, item in _items(value)}
        if origin is tuple:
            if len(args) != 2 or args[1] is not Ellipsis:
                raise ValueError(f"cannot read {hint}")
            read_item = self.reader(args[0])
            return lambda value: tuple(read_item(item) for item in _list(value))
        if hint in _SCALARS:
            return _plain(hint)
        raise ValueError(f"cannot read {hint}")

    def _dataclass(self, cls: type) -> Reader:
        names = self.stored.get(cls.__name__)
        if names is None:
            raise ValueError(f"the index has no schema for {cls.__name__}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = [name for name in names if name not in fields]
        if unknown:
            raise ValueError(f"the index holds fields {cls.__name__} no longer has: {unknown}")
        hints = typing.get_type_hints(cls)
        # A field the file does not store must have a default; so must a trailing one it left out.
        for name, item in fields.items():
            if name not in names and not _has_default(item):
                raise ValueError(f"the index has no value for {cls.__name__}.{name}")
        readers = [(name, self.reader(hints[name])) for name in names]

        def read(value: object) -> object:
            values = _list(value)
            return cls(**{name: reader(item) for (name, reader), item in zip(readers, values, strict=False)})

        return read


#: The JSON values each scalar field type accepts.
_SCALARS: dict[object, tuple[type, ...]] = {str: (str,), bool: (bool,), int: (int,), float: (int, float)}


def _plain(hint: object) -> Reader:
    """A reader of a JSON scalar that checks its type: a damaged file must fail here, as unknown, not later in
    a rule that splits a name it takes for a string."""
    accepted = _SCALARS[hint]

    def read(value: object) -> object:
        if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in accepted):
            raise ValueError("malformed library index")
        return value

    return read


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("malformed library index")
    return value


def _items(value: object) -> list[tuple[str, object]]:
    if not isinstance(value, dict):
        raise ValueError("malformed library index")
    return list(value.items())


# -- reading -----------------------------------------------------------------------------------------------


class _Package:
    """One package's file, its modules decoded on first use."""

    def __init__(self, data: Mapping[str, object]) -> None:
        if data.get("format") != FORMAT or data.get("shape_format") != SHAPE_FORMAT:
            # Made by another version of the shape reader: its facts may not be what this one would read.
            raise ValueError("another index format")
        stored = data["schema"]
        modules = data["modules"]
        if not isinstance(stored, dict) or not isinstance(modules, dict):
            raise ValueError("malformed library index")
        self.decoder = _Decoder(stored)
        self.decoder.reader(ModuleShape)  # a schema that cannot fit fails here, before any module is used
        self.raw: dict[str, object] = modules
        self.name = str(data["package"])
        self.version = str(data["version"])
        self.decoded: dict[str, IndexedModule | None] = {}

    def module(self, dotted: str) -> IndexedModule | None:
        if dotted not in self.decoded:
            found: IndexedModule | None = None
            entry = self.raw.get(dotted)
            if isinstance(entry, list) and len(entry) == 2:
                is_package = bool(entry[0])
                shape = self.decoder.module(entry[1])
                display = dotted.replace(".", "/") + ("/__init__.py" if is_package else ".py")
                origin = f"{self.name} {self.version}, from asynclint's index: no installed {self.name} was found"
                found = IndexedModule(dataclasses.replace(shape, path=display), display, is_package, origin)
            self.decoded[dotted] = found
        return self.decoded[dotted]


class LibraryIndex:
    """The index files of one folder (the shipped `libraries/`, or one a test or the generator writes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._covers: dict[str, bool] = {}
        self._packages: dict[str, _Package | None] = {}

    def __reduce__(self) -> tuple[type[LibraryIndex], tuple[Path]]:
        # Sent to worker processes with the project model: the folder only, each process reads what it needs
        # (decoded modules hold decoders that cannot be pickled).
        return (LibraryIndex, (self.folder,))

    def path(self, head: str) -> Path:
        return self.folder / f"{head}{SUFFIX}"

    def covers(self, head: str) -> bool:
        """Whether the index holds the top-level package `head` (a file check; nothing is read)."""
        if head not in self._covers:
            # Whether asynclint ships a file, not what the project holds: not an input of the run.
            self._covers[head] = head.isidentifier() and os.path.isfile(self.path(head))
        return self._covers[head]

    def module(self, dotted: str) -> IndexedModule | None:
        head = dotted.partition(".")[0]
        if not self.covers(head):
            return None
        package = self._package(head)
        if package is None:
            return None
        # Noted each time a run uses it, as installed packages are (`ShapeCache.get`).
        inputs.note(self.path(head))
        try:
            return package.module(dotted)
        except (ValueError, TypeError, KeyError):
            return None  # a malformed entry: unknown, as an unreadable installed module would be

    def release(self, head: str) -> tuple[str, str] | None:
        """The distribution name and version the facts on `head` were read from (`("aiohttp", "3.11.18")`)."""
        package = self._package(head) if self.covers(head) else None
        return (package.name, package.version) if package is not None else None

    def _package(self, head: str) -> _Package | None:
        if head not in self._packages:
            package: _Package | None
            import gzip  # here: most runs never need it
            import json

            try:
                with gzip.open(self.path(head), "rb") as stream:
                    data = json.loads(stream.read())
                if not isinstance(data, dict):
                    raise ValueError("malformed library index")  # JSON, but not a package's file
                package = _Package(data)
            except (OSError, EOFError, ValueError, TypeError, KeyError):
                package = None  # missing, truncated, or of another layout: the library stays unknown
            self._packages[head] = package
        return self._packages[head]


#: The index shipped with asynclint; its files are read only when a library they hold is needed.
SHIPPED = LibraryIndex(FOLDER)
