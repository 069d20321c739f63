"""Build asynclint's index of async libraries (`src/asynclint/model/libraries/`) from their released wheels.

    uv run python scripts/build_library_index.py                      # the pinned releases below
    uv run python scripts/build_library_index.py --wheels DIR         # wheels already downloaded (offline)
    uv run python scripts/build_library_index.py httpx==0.28.1 ...    # other packages or releases

Each pinned release is downloaded with `pip download --no-deps` into a temporary folder, and the package is
unpacked there from the wheel as an environment would hold it. Nothing is imported or run: the modules are
read as source by asynclint's own coroutine index (`CoroutineIndex` over that folder, `read_shape` for each
file), so the index says exactly what an installed copy would. Only facts are kept: module, class and function
names, which are `async def`, the bases of classes, what `__aenter__` returns, line numbers for messages.

To stay small, a module is kept only when something asynclint can report depends on it: an `async def`, a
class with coroutine methods, a function or method whose call gives one (`redis.asyncio.from_url()`,
`aiosqlite.connect()`: asynclint follows what a call returns), and every module read on the way to them
(re-exports, bases, attribute types, return values). The index is then read back the way asynclint reads it,
with nothing installed, and every name of every module must resolve as it does on the installed copy (or, for
a name that leads to nothing reportable, not at all); a module whose absence would change an answer is kept.

Each file records its provenance: the package and version (from the wheel's METADATA), the wheel's name and
SHA-256, the date (`--date`, else `SOURCE_DATE_EPOCH`, else today) and this command line. The same wheels and
date give the same bytes.

This script is part of asynclint's repository, not of the installed package: the wheel ships only its output.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

from asynclint.model import library_index
from asynclint.model.coroutines import (
    CoroutineFunction,
    CoroutineIndex,
    FunctionRef,
    Instance,
    KnownClass,
    ModuleRef,
    Resolved,
    ShapeCache,
)
from asynclint.model.shapes import SHAPE_FORMAT, Binding

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPOSITORY / "src" / "asynclint" / "model" / "libraries"


@dataclass(frozen=True)
class Pin:
    """A release to index: its distribution name, version and the top-level packages it installs."""

    name: str
    version: str
    packages: tuple[str, ...]


#: The indexed releases. Raise a version here and run the script again to refresh the index.
PINS = (
    Pin("httpx", "0.29.0", ("httpx",)),
    Pin("aiohttp", "3.14.5", ("aiohttp",)),
    Pin("asyncpg", "0.32.0", ("asyncpg",)),
    Pin("redis", "8.2.0", ("redis",)),
    Pin("motor", "3.7.1", ("motor",)),
    Pin("SQLAlchemy", "2.1.9", ("sqlalchemy",)),
    Pin("anyio", "4.16.0", ("anyio",)),
    Pin("aiofiles", "25.1.0", ("aiofiles",)),
    Pin("openai", "3.63.0", ("openai",)),
    Pin("anthropic", "2.17.0", ("anthropic",)),
    Pin("aiosqlite", "0.22.1", ("aiosqlite",)),
    Pin("aiomysql", "0.3.2", ("aiomysql",)),
    Pin("elasticsearch", "9.5.1", ("elasticsearch",)),
    # PyMongo's own asyncio API (`AsyncMongoClient`), which replaces motor.
    Pin("pymongo", "4.20.1", ("pymongo",)),
    Pin("aiobotocore", "3.10.0", ("aiobotocore",)),
    Pin("aiokafka", "0.14.0", ("aiokafka",)),
    Pin("aio-pika", "10.2.1", ("aio_pika",)),
    # Test support of older asyncio suites: `@asyncio.coroutine` helpers and `ClockedTestCase.advance`.
    Pin("asynctest", "0.13.0", ("asynctest",)),
)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


# -- getting the sources -----------------------------------------------------------------------------------


def pip_command(given: str | None) -> list[str]:
    """`--pip`, else pip of this interpreter, else `pip3` or `pip` on PATH (a uv environment has no pip)."""
    if given:
        return shlex.split(given)
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    pip = shutil.which("pip3") or shutil.which("pip")
    if pip is None:
        raise SystemExit("no pip found: pass --pip, or run this script with an interpreter that has pip")
    return [pip]


def download(pins: Sequence[Pin], folder: Path, pip: list[str]) -> None:
    """The pinned wheels, without their dependencies, into `folder` (pip only downloads: nothing is built)."""
    command = [*pip, "download", "--no-deps", "--only-binary=:all:", "--dest", str(folder)]
    subprocess.run([*command, *(f"{pin.name}=={pin.version}" for pin in pins)], check=True)


def find_wheel(pin: Pin, folder: Path) -> Path:
    """The wheel of the pinned release in `folder` (wheel names start with `name-version-`)."""
    found = sorted(
        path
        for path in folder.glob("*.whl")
        if [normalized(part) for part in path.name.split("-")[:2]] == [normalized(pin.name), normalized(pin.version)]
    )
    if not found:
        raise SystemExit(f"no wheel of {pin.name} {pin.version} in {folder}")
    return found[0]


@dataclass(frozen=True)
class Unpacked:
    pin: Pin
    #: Name and version as the wheel's METADATA gives them.
    name: str
    version: str
    wheel: str
    sha256: str


def unpack(pin: Pin, wheel: Path, site: Path) -> Unpacked:
    """The package's files from the wheel into `site`, as an installer lays them out (its `.py` files only:
    nothing else is read), and the wheel's METADATA."""
    metadata: dict[str, str] = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            path = PurePosixPath(member.filename)
            if len(path.parts) == 2 and path.parts[0].endswith(".dist-info") and path.name == "METADATA":
                headers = HeaderParser().parsestr(archive.read(member).decode("utf-8"))
                metadata = {"Name": headers["Name"], "Version": headers["Version"]}
            if path.parts[0] not in pin.packages or path.suffix != ".py" or ".." in path.parts:
                continue
            target = site.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
    if not metadata:
        raise SystemExit(f"{wheel.name} has no METADATA")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    return Unpacked(pin, metadata["Name"], metadata["Version"], wheel.name, digest)


# -- what asynclint can say about the installed copy --------------------------------------------------------

#: What an answer read: a module (`(module, None)`) or a module-level name of one (`(module, name)`).
Read = tuple[str, str | None]


class TracingNames(Mapping[str, Binding]):
    """A module's names that note each one read (all of them when listed) into a trace."""

    def __init__(self, names: Mapping[str, Binding], module: str, trace: Callable[[], set[Read]]) -> None:
        self.names = names
        self.module = module
        self.trace = trace

    def __getitem__(self, name: str) -> Binding:
        found = self.names[name]
        self.trace().add((self.module, name))
        return found

    def __iter__(self) -> Iterator[str]:
        self.trace().update((self.module, name) for name in self.names)
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class TracingIndex(CoroutineIndex):
    """A coroutine index that notes every module and module-level name it reads, however it reads them, to
    learn what an answer depends on."""

    trace: set[Read]

    def module(self, dotted: str) -> ModuleRef | None:
        found = super().module(dotted)
        if found is None:
            return None
        if not isinstance(found.shape.names, TracingNames):
            names = TracingNames(found.shape.names, dotted, lambda: self.trace)
            found = replace(found, shape=replace(found.shape, names=names))
            self._modules[dotted] = found
        self.trace.add((dotted, None))
        return found

    def start(self, trace: set[Read]) -> None:
        """Trace a new answer from a clean slate: the index's memos (decorators judged, heads probed...) would
        hide from this answer what an earlier one read. Modules stay: finding one is traced every time."""
        self.trace = trace
        for item in fields(self):
            memo = getattr(self, item.name)
            if item.name not in {"_shapes", "_modules"} and isinstance(memo, dict):
                memo.clear()


def tracing_index(site_packages: Sequence[str], libraries: library_index.LibraryIndex | None) -> TracingIndex:
    index = TracingIndex((), tuple(site_packages), ShapeCache(None), libraries=libraries)
    index.trace = set()
    return index


#: ("name", module, name): a module-level name; ("method" | "attribute", class, name): a method, or the class
#: of an attribute set up in `__init__`; ("member", class, name): the method as `Cls.make()` or `await
#: obj.fetch()` look it up, whatever its kind, for what a call gives.
Query = tuple[str, str, str]
#: An attribute name no class defines, asked of classes with a `__getattr__` of their own.
LOOKED_UP = "asynclint_looked_up"
#: An answer as facts (`describe`); a function's and a coroutine function's hold what a call gives, nested.
Answer = tuple[object, ...] | None


def module_names(site: Path, packages: Iterable[str]) -> list[str]:
    """Every dotted module name the packages' files give, as an import would name them."""
    names: set[str] = set()
    for package in packages:
        for path in (site / package).rglob("*.py"):
            parts = list(path.relative_to(site).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if all(part.isidentifier() for part in parts):
                names.add(".".join(parts))
    return sorted(names)


def queries(index: CoroutineIndex, modules: Sequence[str]) -> list[Query]:
    """Every question asynclint can ask about the modules: each module-level name, and each method and
    attribute of each class they define (the names the class and its readable bases define)."""
    asked: list[Query] = []
    classes: dict[str, KnownClass] = {}
    for dotted in modules:
        module = index.module(dotted)
        if module is None:
            continue
        for name, binding in module.shape.names.items():
            asked.append(("name", dotted, name))
            if binding.klass is not None:
                classes[f"{dotted}.{name}"] = KnownClass(f"{dotted}.{name}", binding.klass, module)
        # `from ._client import *` in `httpx/__init__.py`: `httpx.AsyncClient` is asked of `httpx` too.
        asked.extend(("name", dotted, name) for name in sorted(_star_names(index, module) - set(module.shape.names)))
    for dotted, cls in sorted(classes.items()):
        assert cls.shape is not None
        members = sorted(_member_names(index, cls))
        asked.extend(("method", dotted, name) for name in members)
        asked.extend(("member", dotted, name) for name in members)
        asked.extend(("attribute", dotted, name) for name in sorted(cls.shape.attribute_types))
        # `client.mydb` through the class's own `__getattr__`, `client["mydb"]` through `__getitem__`.
        if "__getattr__" in cls.shape.members:
            asked.append(("looked-up", dotted, LOOKED_UP))
        if "__getitem__" in members:
            asked.append(("item", dotted, ""))
    return asked


def _star_names(index: CoroutineIndex, module: ModuleRef, depth: int = 0) -> set[str]:
    """The names a module's star imports bring in (public names only, as `import *` without `__all__`)."""
    names: set[str] = set()
    if depth > 10:
        return names
    for star in module.shape.star_imports:
        target = index.absolute(module, star)
        found = index.module(target) if target is not None else None
        if found is not None:
            names |= {name for name in found.shape.names if not name.startswith("_")}
            names |= _star_names(index, found, depth + 1)
    return names


def _member_names(index: CoroutineIndex, cls: KnownClass, depth: int = 0) -> set[str]:
    if cls.shape is None or cls.module is None or depth > 10:
        return set()
    names = set(cls.shape.members)
    for base in cls.shape.bases:
        found = index.resolve_in(cls.module, base.split(".")) if base is not None else None
        if isinstance(found, KnownClass):
            names |= _member_names(index, found, depth + 1)
    return names


class Answers:
    """One coroutine index's answers to the queries, with what each answer read: `traces` for the answer
    itself, `value_traces` with what working out the values of calls read as well."""

    def __init__(self, index: TracingIndex, asked: Sequence[Query]) -> None:
        self.answers: dict[Query, Answer] = {}
        self.traces: dict[Query, frozenset[Read]] = {}
        self.value_traces: dict[Query, frozenset[Read]] = {}
        owners: dict[str, tuple[Resolved | None, frozenset[Read]]] = {}
        for query in asked:
            kind, owner, _ = query
            if kind != "name" and owner not in owners:
                # The class as this index reaches it (one whose module it lacks is out of reach), and what
                # reaching it read: part of what each answer about it depends on.
                index.start(set())
                owners[owner] = (index.resolve(owner), frozenset(index.trace))
            found, reached = owners.get(owner, (None, frozenset()))
            index.start(set(reached))
            asked_for = _ask(index, query, found)
            self.traces[query] = frozenset(index.trace)
            self.answers[query] = describe(index, asked_for)
            self.value_traces[query] = frozenset(index.trace)
        self.classes = self._reportable_classes()

    def _reportable_classes(self) -> set[str]:
        """The classes asynclint can report on: with a coroutine method, an attribute of such a class, or a
        method whose call gives something reportable (`Redis.from_url()`). Found from the classes with a
        coroutine method, through what leads to them (class graphs have cycles: `Select.where()` gives a
        `Select`)."""
        found: set[str] = set()
        leading: dict[str, set[str]] = {}  # a class -> the classes with an answer that leads to it
        for (kind, owner, _), answer in self.answers.items():
            if kind not in {"method", "attribute", "member", "looked-up", "item"}:
                continue
            end = _leads_to(answer)
            if end is True:
                found.add(owner)
            elif isinstance(end, str):
                leading.setdefault(end, set()).add(owner)
        pending = list(found)
        while pending:
            for owner in leading.get(pending.pop(), ()):
                if owner not in found:
                    found.add(owner)
                    pending.append(owner)
        return found

    def answer_is(self, answer: Answer) -> bool:
        """Whether asynclint can report on an answer: a coroutine function, a reportable class (or an instance
        of one), or a function whose call gives one of these (`aiosqlite.connect()`)."""
        end = _leads_to(answer)
        return end is True or (isinstance(end, str) and end in self.classes)

    def reportable(self) -> set[Query]:
        """Queries whose answer asynclint can report on (`answer_is`)."""
        return {query for query, answer in self.answers.items() if self.answer_is(answer)}

    def essence(self, answer: Answer) -> Answer:
        """An answer with what a call gives left out where asynclint could report nothing on it: the part two
        indexes must agree on."""
        if answer is None or answer[0] not in {"coroutine", "function"}:
            return answer
        value = _value_of(answer)
        return (*answer[:-1], self.essence(value) if self.answer_is(value) else None)

    def depends(self, query: Query) -> frozenset[Read]:
        """What the essence of an answer read: with the values of calls only when they count."""
        answer = self.essence(self.answers[query])
        if answer is not None and answer[0] in {"coroutine", "function"} and _value_of(answer) is not None:
            return self.value_traces[query]
        return self.traces[query]


def _ask(index: CoroutineIndex, query: Query, owner: Resolved | None) -> Resolved | None:
    kind, dotted, name = query
    if kind == "name":
        return index.resolve(f"{dotted}.{name}")
    if not isinstance(owner, KnownClass) or owner.dotted != dotted:
        return None
    if kind == "looked-up":
        return index.attribute_value(Instance(owner), name)
    if kind == "item":
        return index.item_value(Instance(owner))
    if kind == "member":
        return index.member(owner, name)
    return index.method(owner, name) if kind == "method" else index.attribute_class(owner, name)


def _value_of(answer: tuple[object, ...]) -> Answer:
    value = answer[-1]
    return value if isinstance(value, tuple) else None


def _leads_to(answer: Answer) -> bool | str | None:
    """Where an answer ends, through what calls give: True at a coroutine function, a class's dotted name at a
    class or an instance, else None."""
    while answer is not None and answer[0] == "function":
        answer = _value_of(answer)
    if answer is None:
        return None
    if answer[0] == "coroutine":
        return True
    return str(answer[1]) if answer[0] in {"class", "instance"} else None


def describe(index: CoroutineIndex, found: Resolved | None, depth: int = 0) -> Answer:
    """An answer as facts to compare (a function's place without the index's note of origin). A function's and
    a coroutine function's end with what a call gives, as asynclint follows it: `x = make()`, `x = await
    fetch()` (a factory handed out is described in turn, a few levels deep)."""
    if isinstance(found, CoroutineFunction):
        value = None
        if found.function is not None:
            value = _handed(index, index.call_value(found.function, awaited=True), depth)
        return ("coroutine", found.name, found.where.partition(" of ")[0], value)
    if isinstance(found, FunctionRef):
        made = index.call_value(found, awaited=found.shape.kind == "async")
        return ("function", found.name, f"{found.module.display}:{found.shape.line}", _handed(index, made, depth))
    if isinstance(found, KnownClass):
        return ("class", found.dotted)
    if isinstance(found, Instance):
        return ("instance", found.cls.dotted)
    if isinstance(found, ModuleRef):
        return ("module", found.dotted)
    return None


def _handed(index: CoroutineIndex, made: Resolved | None, depth: int) -> Answer:
    return describe(index, made, depth + 1) if made is not None and depth < 3 else None


# -- writing ---------------------------------------------------------------------------------------------


def package_file(unpacked: Unpacked, kept: Sequence[tuple[str, ModuleRef]], date: str, command: str) -> bytes:
    modules: dict[str, object] = {
        dotted: [1 if module.is_package else 0, library_index.encode(module.shape)] for dotted, module in kept
    }
    data = {
        "format": library_index.FORMAT,
        "package": unpacked.name,
        "version": unpacked.version,
        "wheel": unpacked.wheel,
        "sha256": unpacked.sha256,
        "generated": date,
        "command": command,
        "shape_format": SHAPE_FORMAT,
        "schema": library_index.schema(),
        "modules": modules,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(text, compresslevel=9, mtime=0)


def write_index(
    packages: Sequence[Unpacked], kept: set[Read], index: CoroutineIndex, output: Path, date: str, command: str
) -> dict[str, int]:
    """One file per top-level package into `output` (replacing the files of an earlier run), each module with
    the names answers read; the sizes of the files."""
    output.mkdir(parents=True, exist_ok=True)
    for old in output.glob(f"*{library_index.SUFFIX}"):
        old.unlink()
    names: dict[str, set[str]] = {}
    for dotted, name in kept:
        names.setdefault(dotted, set())
        if name is not None:
            names[dotted].add(name)
    sizes: dict[str, int] = {}
    for unpacked in packages:
        for head in unpacked.pin.packages:
            mine: list[tuple[str, ModuleRef]] = []
            for dotted in sorted(name for name in names if name.partition(".")[0] == head):
                module = index.module(dotted)
                assert module is not None
                shape = module.shape
                reduced = {
                    name: _without_parameters(binding) for name, binding in shape.names.items() if name in names[dotted]
                }
                # No path: the folder it was read from is of this run only (the index shows `display`).
                mine.append((dotted, replace(module, shape=replace(shape, path="", names=reduced))))
            if mine:
                path = output / f"{head}{library_index.SUFFIX}"
                path.write_bytes(package_file(unpacked, mine, date, command))
                sizes[path.name] = path.stat().st_size
    return sizes


def _without_parameters(binding: Binding) -> Binding:
    """The binding without its functions' parameter types: the index holds which names are async, and a
    library's parameters are mostly unions and aliases that never exclude a coroutine (they would double its size)."""
    if binding.function is not None and binding.function.parameters:
        return replace(binding, function=replace(binding.function, parameters=()))
    if binding.klass is not None:
        members = {
            name: replace(member, parameters=()) if member is not None and member.parameters else member
            for name, member in binding.klass.members.items()
        }
        return replace(binding, klass=replace(binding.klass, members=members))
    return binding


# -- the whole run ---------------------------------------------------------------------------------------


def build(packages: Sequence[Unpacked], site: Path, output: Path, date: str, command: str) -> dict[str, object]:
    """Read the unpacked packages, keep what reportable answers read, check it and write it to `output`."""
    heads = [head for unpacked in packages for head in unpacked.pin.packages]
    modules = module_names(site, heads)
    installed = tracing_index([str(site)], None)
    asked = queries(installed, modules)
    full = Answers(installed, asked)
    reportable = full.reportable()
    kept: set[Read] = set()
    for query in reportable:
        kept |= full.depends(query)
    with tempfile.TemporaryDirectory() as scratch:
        # Read back as asynclint reads it with nothing installed; keep what any changed answer read.
        for _ in range(20):
            write_index(packages, kept, installed, Path(scratch), date, command)
            pruned = Answers(tracing_index([], library_index.LibraryIndex(Path(scratch))), asked)
            # Compared as essences (judged by the installed copies' answers): a call's value asynclint could
            # report nothing on need not be kept.
            wrong = [
                query
                for query, answer in full.answers.items()
                if full.essence(pruned.answers[query]) != full.essence(answer)
                and (query in reportable or pruned.answers[query] is not None)
            ]
            if not wrong:
                break
            missing: set[Read] = set()
            for query in wrong:
                missing |= full.depends(query) - kept
            if not missing:
                shown = [
                    f"{query}: {full.essence(full.answers[query])} != {full.essence(pruned.answers[query])}"
                    for query in sorted(wrong)[:5]
                ]
                raise SystemExit("the index cannot answer as the installed copies do:\n" + "\n".join(shown))
            kept |= missing
        else:
            raise SystemExit("the index did not settle")
    sizes = write_index(packages, kept, installed, output, date, command)
    coroutines = [query for query in reportable if (full.answers[query] or ("",))[0] == "coroutine"]
    factories = [query for query in reportable if (full.answers[query] or ("",))[0] == "function"]
    return {
        "modules read": len(modules),
        "modules kept": len({dotted for dotted, _ in kept}),
        "coroutine answers": len(coroutines),
        "factory answers": len(factories),
        "files": sizes,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("packages", nargs="*", metavar="NAME==VERSION[:PACKAGE,...]", help="releases to index")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="folder to write the index to")
    parser.add_argument("--wheels", type=Path, help="a folder holding the wheels (nothing is downloaded)")
    parser.add_argument("--date", help="the date to record (default: SOURCE_DATE_EPOCH, else today)")
    parser.add_argument("--pip", help="the pip command to download with (default: this Python's pip, else pip3)")
    args = parser.parse_args(argv)
    pins = [parse_pin(text) for text in args.packages] if args.packages else list(PINS)
    date = args.date or (
        datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), datetime.timezone.utc).date().isoformat()
        if os.environ.get("SOURCE_DATE_EPOCH")
        else datetime.date.today().isoformat()
    )
    command = shlex.join(["python", "scripts/build_library_index.py", *(sys.argv[1:] if argv is None else argv)])
    with tempfile.TemporaryDirectory() as temporary:
        wheels = args.wheels
        if wheels is None:
            wheels = Path(temporary) / "wheels"
            download(pins, wheels, pip_command(args.pip))
        site = Path(temporary) / "site-packages"
        site.mkdir()
        packages = [unpack(pin, find_wheel(pin, wheels), site) for pin in pins]
        summary = build(packages, site, args.output, date, command)
    print(json.dumps(summary, indent=2))
    return 0


def parse_pin(text: str) -> Pin:
    """`name==version`, with `:pkg1,pkg2` for top-level packages other than the name itself."""
    requirement, _, packages = text.partition(":")
    name, separator, version = requirement.partition("==")
    if not separator or not name or not version:
        raise SystemExit(f"not NAME==VERSION: {text}")
    tops = tuple(packages.split(",")) if packages else (normalized(name),)
    return Pin(name, version, tops)


if __name__ == "__main__":
    sys.exit(main())
