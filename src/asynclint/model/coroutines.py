"""The coroutine index: which dotted names are coroutine functions, classes, or instances of classes.

It is built lazily from module shapes (`model.shapes`): the project's own modules found through pytest's
import roots, third-party packages read as source from the project's environment (never imported), and a
curated table of the standard library's coroutine functions. Resolution is conservative: anything it cannot
pin down (a name bound twice, a base class it cannot read, a decorator it does not know, a module-level
`__getattr__`) resolves to None, and the rules stay silent about it.

Shapes of the modules it reads (installed packages and the project's own helpers, not the linted files) are
cached on disk between runs (`ShapeCache`), keyed by file size and mtime.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asynclint import __version__, inputs
from asynclint.cache import write_whole
from asynclint.files import read_source
from asynclint.model.shapes import Binding, ClassShape, ModuleShape, read_shape

#: Coroutine functions of the standard library (`async def` there, so a call does nothing until awaited).
STDLIB_COROUTINES = frozenset(
    {
        f"asyncio.{name}"
        for name in (
            "sleep",
            "wait_for",
            "wait",
            "open_connection",
            "start_server",
            "open_unix_connection",
            "start_unix_server",
            "create_subprocess_exec",
            "create_subprocess_shell",
            "to_thread",
            "staggered.staggered_race",
            "tasks.sleep",
            "tasks.wait_for",
            "tasks.wait",
            "streams.open_connection",
            "streams.start_server",
            "subprocess.create_subprocess_exec",
            "subprocess.create_subprocess_shell",
            "threads.to_thread",
        )
    }
)
_QUEUE = frozenset({"get", "put", "join"})
_LOOP = frozenset(
    {
        "sock_recv",
        "sock_recv_into",
        "sock_recvfrom",
        "sock_sendall",
        "sock_sendto",
        "sock_connect",
        "sock_accept",
        "sock_sendfile",
        "getaddrinfo",
        "getnameinfo",
        "create_connection",
        "create_server",
        "create_unix_connection",
        "create_unix_server",
        "create_datagram_endpoint",
        "connect_read_pipe",
        "connect_write_pipe",
        "subprocess_exec",
        "subprocess_shell",
        "shutdown_asyncgens",
        "shutdown_default_executor",
        "start_tls",
        "sendfile",
        "connect_accepted_socket",
    }
)
#: Standard library classes and their coroutine methods (only these methods are known).
STDLIB_CLASSES: dict[str, frozenset[str]] = {
    "asyncio.Queue": _QUEUE,
    "asyncio.PriorityQueue": _QUEUE,
    "asyncio.LifoQueue": _QUEUE,
    "asyncio.queues.Queue": _QUEUE,
    "asyncio.Lock": frozenset({"acquire"}),
    "asyncio.Event": frozenset({"wait"}),
    "asyncio.Condition": frozenset({"acquire", "wait", "wait_for"}),
    "asyncio.Semaphore": frozenset({"acquire"}),
    "asyncio.BoundedSemaphore": frozenset({"acquire"}),
    "asyncio.Barrier": frozenset({"wait", "reset", "abort"}),
    "asyncio.StreamReader": frozenset({"read", "readline", "readexactly", "readuntil"}),
    "asyncio.StreamWriter": frozenset({"drain", "wait_closed", "start_tls"}),
    "asyncio.AbstractEventLoop": _LOOP,
    "asyncio.BaseEventLoop": _LOOP,
    "asyncio.subprocess.Process": frozenset({"wait", "communicate"}),
    "unittest.mock.AsyncMock": frozenset(),
    "mock.AsyncMock": frozenset(),
}
ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock", "asynctest.CoroutineMock"})
#: Calls that return the running loop: `loop = asyncio.get_running_loop()` is an `AbstractEventLoop`.
LOOP_GETTERS = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"})
#: Bases that add no methods asynclint cares about.
NEUTRAL_BASES = frozenset(
    {"object", "Generic", "Protocol", "ABC", "Exception", "BaseException", "NamedTuple", "TypedDict"}
)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"asyncio", "unittest", "typing"}
#: Installed packages whose API holds no coroutine function a test calls: judging a call into them needs no
#: environment (pytest's own API, pytest-asyncio's, pytest-mock's `mocker`, the `mock` backport).
_NO_COROUTINES = frozenset({"pytest", "_pytest", "pytest_asyncio", "pytest_mock", "mock"})


@dataclass(frozen=True, slots=True)
class ModuleRef:
    dotted: str
    shape: ModuleShape
    #: Path shown in messages: relative to the import root or site-packages folder it was found in.
    display: str
    is_package: bool
    third_party: bool = False


@dataclass(frozen=True, slots=True)
class CoroutineFunction:
    """A callee known to be a coroutine function; `where` says how it was resolved."""

    name: str
    where: str


@dataclass(frozen=True, slots=True)
class KnownClass:
    dotted: str
    shape: ClassShape | None
    module: ModuleRef | None
    #: For curated standard-library classes: the coroutine methods.
    stdlib_methods: frozenset[str] = frozenset()

    @property
    def is_async_mock(self) -> bool:
        return self.dotted in ASYNC_MOCKS

    @property
    def short_name(self) -> str:
        return self.dotted.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class Instance:
    cls: KnownClass


Resolved = CoroutineFunction | KnownClass | Instance | ModuleRef


def default_cache_dir() -> Path:
    explicit = os.environ.get("ASYNCLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "asynclint"


class ShapeCache:
    """Shapes of installed modules on disk, one small file each, valid while the source's size and mtime hold."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        if directory is not None:
            inputs.ignore_below(directory)

    def _entry(self, path: Path) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha1(f"{__version__}:{path}".encode()).hexdigest()
        return self.directory / "shapes" / digest[:2] / f"{digest}.pickle"

    def get(self, path: Path) -> ModuleShape | None:
        inputs.note(path)  # the shape stands for the source, whether it comes from here or from the source
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_size, stat.st_mtime_ns)
        entry = self._entry(path)
        if entry is not None:
            try:
                with entry.open("rb") as handle:
                    cached_stamp, shape = pickle.load(handle)
                if cached_stamp == stamp and (shape is None or isinstance(shape, ModuleShape)):
                    return shape
            except Exception:  # missing, truncated or from another version: read the source again
                pass
        shape = _read(path)
        if entry is not None:
            write_whole(entry, pickle.dumps((stamp, shape), protocol=pickle.HIGHEST_PROTOCOL))
        return shape


def _read(path: Path) -> ModuleShape | None:
    try:
        source = read_source(path)
    except OSError:
        return None
    return read_shape(source, str(path))


def module_name(path: Path) -> tuple[str, bool]:
    """The dotted name pytest's import gives a file (its package chain), and whether it is a package."""
    root = path.parent
    parts = [path.stem] if path.stem != "__init__" else []
    while inputs.is_file(root / "__init__.py") and root.parent != root:
        parts.insert(0, root.name)
        root = root.parent
    return ".".join(parts) or path.parent.name, path.name == "__init__.py"


def absolute_name(dotted: str, is_package: bool, target: str) -> str | None:
    """An import target made absolute from inside module `dotted`: `..base.Client` -> `pkg.base.Client`."""
    if not target.startswith("."):
        return target
    level = len(target) - len(target.lstrip("."))
    package = dotted.split(".")
    if not is_package:
        package = package[:-1]
    if level - 1 > len(package):
        return None
    if level > 1:
        package = package[: len(package) - (level - 1)]
    rest = target.lstrip(".")
    joined = ".".join([*package, rest] if rest else package)
    return joined or None


@dataclass
class CoroutineIndex:
    """Resolves dotted names for the modules of one set of import roots."""

    roots: Sequence[str]
    site_packages: Sequence[str]
    cache: ShapeCache = field(compare=False)
    #: Shapes by file path; indexes of one run share it. Memos, not part of what the index is.
    _shapes: dict[str, ModuleShape | None] = field(default_factory=dict, compare=False)
    _modules: dict[str, ModuleRef | None] = field(default_factory=dict, compare=False)
    _file_modules: dict[str, ModuleRef | None] = field(default_factory=dict, compare=False)
    _project_heads: dict[str, bool] = field(default_factory=dict, compare=False)
    #: Names that did not resolve because the project has no environment to read installed packages from:
    #: how many so far, and the package of the last one. A caller compares the count before and after a
    #: resolution to learn whether that one needed the environment (see `analysis.awaiting`).
    unreadable: int = field(default=0, compare=False)
    last_unreadable: str | None = field(default=None, compare=False)

    # -- modules -----------------------------------------------------------------------------------------

    def _shape(self, path: Path) -> ModuleShape | None:
        key = str(path)
        if key not in self._shapes:
            # The project's modules change more often, but size and mtime tell that just as well.
            self._shapes[key] = self.cache.get(path)
        return self._shapes[key]

    def module(self, dotted: str) -> ModuleRef | None:
        if dotted in self._modules:
            return self._modules[dotted]
        found: ModuleRef | None = None
        if dotted and not dotted.startswith(".") and dotted.partition(".")[0] not in _STDLIB:
            parts = dotted.split(".")
            for third_party, roots in ((False, self.roots), (True, self.site_packages)):
                for root in roots:
                    base = Path(root).joinpath(*parts)
                    for candidate, is_package in ((base.with_suffix(".py"), False), (base / "__init__.py", True)):
                        if inputs.is_file(candidate):
                            shape = self._shape(candidate)
                            if shape is not None:
                                display = candidate.relative_to(root).as_posix()
                                found = ModuleRef(dotted, shape, display, is_package, third_party)
                            break
                    if found is not None:
                        break
                if found is not None:
                    break
        self._modules[dotted] = found
        return found

    def module_for_file(self, path: Path, shape: ModuleShape) -> ModuleRef:
        """The linted file itself, named as pytest's import would name it."""
        dotted, is_package = module_name(path)
        root = path.parent
        for _ in range(dotted.count(".") + (1 if is_package else 0)):
            root = root.parent
        try:
            display = path.relative_to(root).as_posix()
        except ValueError:
            display = path.name
        return ModuleRef(dotted, shape, display, is_package)

    def file_module(self, path: str) -> ModuleRef | None:
        """A project file named by path (a conftest holding a fixture)."""
        # Asked once per use of a fixture: naming the module looks for `__init__.py` files up the tree.
        if path not in self._file_modules:
            file = Path(path)
            shape = self._shape(file)
            self._file_modules[path] = self.module_for_file(file, shape) if shape is not None else None
        return self._file_modules[path]

    # -- names -------------------------------------------------------------------------------------------

    def resolve(self, dotted: str, depth: int = 0) -> Resolved | None:
        """What an absolute dotted name refers to, or None when unknown (or not interesting)."""
        if depth > 12:
            return None
        head = dotted.partition(".")[0]
        if head in _STDLIB:
            if dotted in STDLIB_COROUTINES:
                return CoroutineFunction(dotted, "the standard library")
            if dotted in STDLIB_CLASSES:
                return KnownClass(dotted, None, None, STDLIB_CLASSES[dotted])
            return None
        if dotted in ASYNC_MOCKS:
            return KnownClass(dotted, None, None)
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = self.module(".".join(parts[:cut]))
            if module is not None:
                return self.resolve_in(module, parts[cut:], depth + 1) if cut < len(parts) else module
        self._note_unreadable(head)
        return None

    def _note_unreadable(self, head: str) -> None:
        """A name of no module of the project nor of the standard library: an installed package's, which
        asynclint would have read had it found the project's environment (`site_packages` is empty)."""
        if self.site_packages or head in _NO_COROUTINES:
            return
        if head not in self._project_heads:
            # A project module that could not be read, or a namespace package: the project's, not installed.
            self._project_heads[head] = any(
                inputs.is_dir(Path(root) / head) or inputs.is_file(Path(root) / f"{head}.py") for root in self.roots
            )
        if not self._project_heads[head]:
            self.unreadable += 1
            self.last_unreadable = head

    def resolve_in(self, module: ModuleRef, path: Sequence[str], depth: int = 0) -> Resolved | None:
        """What `name.attr...` means inside `module`."""
        if depth > 12 or not path:
            return module if not path else None
        name, rest = path[0], list(path[1:])
        binding = module.shape.names.get(name)
        if binding is None:
            if module.is_package:
                submodule = self.module(f"{module.dotted}.{name}")
                if submodule is not None:
                    return self.resolve_in(submodule, rest, depth + 1) if rest else submodule
            for star in module.shape.star_imports:
                target = self.absolute(module, star)
                star_module = self.module(target) if target is not None else None
                if star_module is not None:
                    found = self.resolve_in(star_module, path, depth + 1)
                    if found is not None:
                        return found
            return None
        return self._binding(module, name, binding, rest, depth)

    def _binding(self, module: ModuleRef, name: str, binding: Binding, rest: list[str], depth: int) -> Resolved | None:
        if binding.function is not None:
            if rest or binding.function.kind != "async":
                return None
            return CoroutineFunction(name, f"{module.display}:{binding.function.line}")
        if binding.klass is not None:
            cls = KnownClass(f"{module.dotted}.{name}", binding.klass, module)
            if not rest:
                return cls
            if len(rest) == 1:
                return self.method(cls, rest[0])
            return None
        if binding.imported is not None:
            if binding.imported.startswith("<alias>"):
                written = binding.imported[len("<alias>") :]
                if written.partition(".")[0] == name:
                    return None
                return self.resolve_in(module, [*written.split("."), *rest], depth + 1)
            target = self.absolute(module, binding.imported)
            if target is None:
                return None
            return self.resolve(".".join([target, *rest]), depth + 1)
        if binding.instance_of is not None:
            cls_found = self.resolve_in(module, binding.instance_of.split("."), depth + 1)
            if not isinstance(cls_found, KnownClass):
                return None
            if not rest:
                return Instance(cls_found)
            return self.method(cls_found, rest[0]) if len(rest) == 1 else None
        return None

    def absolute(self, module: ModuleRef, target: str) -> str | None:
        """An import target made absolute: `..base.Client` inside `pkg.sub.mod` is `pkg.base.Client`."""
        return absolute_name(module.dotted, module.is_package, target)

    # -- classes -----------------------------------------------------------------------------------------

    def method(self, cls: KnownClass, name: str, depth: int = 0) -> CoroutineFunction | None:
        """`name` looked up on `cls` and its bases: a coroutine function, or None (not one, or unknown)."""
        if depth > 10:
            return None
        if cls.shape is None:
            if name in cls.stdlib_methods:
                return CoroutineFunction(f"{cls.short_name}.{name}", "the standard library")
            return None
        shape = cls.shape
        if shape.dynamic:
            return None
        if name in shape.members:
            member = shape.members[name]
            if member is None or member.kind != "async" or cls.module is None:
                return None
            return CoroutineFunction(f"{shape.name}.{name}", f"{cls.module.display}:{member.line}")
        for base in shape.bases:
            if base is None or cls.module is None:
                return None
            if base.rpartition(".")[2] in NEUTRAL_BASES:
                continue
            found = self.resolve_in(cls.module, base.split("."))
            if not isinstance(found, KnownClass):
                return None  # a base asynclint cannot read may define the method any way it likes
            method = self.method(found, name, depth + 1)
            if method is not None:
                return method
            if found.shape is None or found.shape.dynamic or not self._defines_no(found, name, depth + 1):
                return None
        return None

    def _defines_no(self, cls: KnownClass, name: str, depth: int) -> bool:
        """True when neither `cls` nor any base defines `name` (all of them readable)."""
        if depth > 10 or cls.shape is None or cls.shape.dynamic or cls.module is None:
            return False
        if name in cls.shape.members:
            return False
        for base in cls.shape.bases:
            if base is None:
                return False
            if base.rpartition(".")[2] in NEUTRAL_BASES:
                continue
            found = self.resolve_in(cls.module, base.split("."))
            if not isinstance(found, KnownClass) or not self._defines_no(found, name, depth + 1):
                return False
        return True

    def attribute_class(self, cls: KnownClass, attribute: str) -> KnownClass | None:
        """The class of `self.<attribute>` as set up by the class's setup methods (or a base's)."""
        if cls.shape is None or cls.module is None:
            return None
        written = cls.shape.attribute_types.get(attribute)
        if written is not None:
            found = self.resolve_in(cls.module, written.split("."))
            return found if isinstance(found, KnownClass) else None
        return None
