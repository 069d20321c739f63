"""The coroutine index: which dotted names are coroutine functions, classes, or instances of classes, and what
functions hand out (`value`): instances (with what they were given and what was set on them), factories, tuples,
and coroutines a plain function returns without awaiting them.

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asynclint import __version__, inputs
from asynclint.cache import write_whole
from asynclint.files import read_source
from asynclint.model.decorators import (
    ASYNCIO_COROUTINE,
    CURATED,
    DELEGATE,
    DELEGATE_CALLED,
    IDENTITY,
    LOOP_CHECKS,
    LOOP_DEPENDENT,
    Decorator,
    Outcome,
    apply,
    undecorated,
)
from asynclint.model.library_index import SHIPPED as SHIPPED_LIBRARIES
from asynclint.model.library_index import LibraryIndex
from asynclint.model.shapes import SHAPE_FORMAT, Binding, ClassShape, FunctionShape, ModuleShape, read_shape
from asynclint.model.values import (
    ASYNC_MOCK_MAKERS,
    ATTRIBUTE,
    AWAIT,
    AWAITED,
    CALL,
    ELEMENT,
    ENTER,
    INSTANCE,
    ITEMS,
    MAPPING_ANNOTATIONS,
    MOCK,
    MOCK_CLASSES,
    MOCK_SETTINGS,
    MOCK_SPECS,
    PLAIN_MOCK_MAKERS,
    SELF,
    SEQUENCE_ANNOTATIONS,
    Value,
)
from asynclint.model.versions import PackageVersion, canonicalize_name

#: Marks: `@pytest.mark.name` and `@pytest.mark.name(...)` return the function they are given.
PYTEST_MARKS = ("pytest.mark.", "_pytest.mark.")

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
    "asyncio.Server": frozenset({"wait_closed", "serve_forever", "start_serving"}),
    "unittest.IsolatedAsyncioTestCase": frozenset({"asyncSetUp", "asyncTearDown"}),
    "unittest.async_case.IsolatedAsyncioTestCase": frozenset({"asyncSetUp", "asyncTearDown"}),
    "unittest.mock.AsyncMock": frozenset(),
    "mock.AsyncMock": frozenset(),
}
ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock", "asynctest.CoroutineMock"})
PLAIN_MOCK = "unittest.mock.MagicMock"
#: Calls that return the running loop: `loop = asyncio.get_running_loop()` is an `AbstractEventLoop`.
LOOP_GETTERS = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"})
#: Bases that add no methods asynclint cares about.
NEUTRAL_BASES = frozenset(
    {"object", "Generic", "Protocol", "ABC", "Exception", "BaseException", "NamedTuple", "TypedDict"}
)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"asyncio", "unittest", "typing"}
#: Builtin classes a coroutine object is never an instance of.
_NOT_COROUTINE_BUILTINS = frozenset(
    {"int", "float", "complex", "str", "bytes", "bytearray", "bool", "list", "dict", "set", "frozenset", "tuple"}
)
#: Standard-library modules whose classes a coroutine object may be an instance of, or that name protocols a
#: coroutine satisfies (`Hashable`, `Awaitable`): a parameter annotated with one of theirs may take one.
_AWAITABLE_MODULES = frozenset(
    {"typing", "typing_extensions", "collections", "abc", "types", "asyncio", "concurrent", "inspect", "builtins"}
)
#: Abstract and generic containers from those modules that a coroutine object is not.
_NOT_COROUTINE_CONTAINERS = frozenset(
    f"{module}.{name}"
    for module in ("typing", "typing_extensions", "collections.abc")
    for name in (
        "List",
        "Dict",
        "Set",
        "FrozenSet",
        "Tuple",
        "Sequence",
        "MutableSequence",
        "Mapping",
        "MutableMapping",
        "AbstractSet",
        "MutableSet",
        "Deque",
        "DefaultDict",
        "OrderedDict",
        "Counter",
    )
) | {"collections.deque", "collections.defaultdict", "collections.OrderedDict", "collections.Counter"}
#: Bases a class may have (as written, by last name) and still never be awaitable.
_PLAIN_BASES = (
    NEUTRAL_BASES - {"Protocol"} | _NOT_COROUTINE_BUILTINS | {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"}
)
#: Bases that make a class's instances awaitable, or let a coroutine object pass for one.
_AWAITABLE_BASES = frozenset({"Protocol", "Awaitable", "Coroutine", "Generator", "Any"})
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
    #: For a module of asynclint's library index (`model.library_index`): the release its facts come from.
    origin: str | None = None

    def where(self, line: int) -> str:
        """A line of the module, as messages show it."""
        return f"{self.display}:{line}" if self.origin is None else f"{self.display}:{line} of {self.origin}"


@dataclass(frozen=True, slots=True)
class CoroutineFunction:
    """A callee known to be a coroutine function; `where` says how it was resolved."""

    name: str
    where: str
    #: The function itself, when asynclint read it: what awaiting a call gives (`CoroutineIndex.call_value`).
    function: FunctionRef | None = field(default=None, compare=False, repr=False)
    #: What a call returns: "coroutine"; for a decorated function (`model.decorators`) also "awaitable" (its
    #: annotations say no more), "future" (Tornado's `gen.coroutine`) or "generator" (generator-based).
    returns: str = "coroutine"
    #: `inspect.iscoroutinefunction` holds for it (`mock.patch` then makes an `AsyncMock`).
    native: bool = True
    #: A coroutine only when called while an event loop runs (in an `async def`).
    only_in_async: bool = False
    #: Under `@asyncio.coroutine`, which Python 3.11 removed.
    legacy_asyncio: bool = False
    #: What the `def` itself is ("async", "generator", "sync") and what each decorator does to it, outermost
    #: first, when decorators were read to know it (`CoroutineIndex.decorated`).
    plain: str = "async"
    decorated: tuple[str, ...] = ()
    #: For a plain function that returns an awaitable when a loop runs: what it returns and how it checks.
    when_running: str | None = None
    #: A method under `@abstractmethod` (`FunctionShape.abstract`): a call runs an override.
    abstract: bool = False

    @property
    def how(self) -> str:
        """How asynclint knows, for messages."""
        if self.when_running is not None:
            return f"`{self.name}` is a function in {self.where} that {self.when_running}"
        if not self.decorated:
            return f"`{self.name}` is `async def` in {self.where}"
        what = {"async": "is `async def`", "generator": "is a generator function"}.get(self.plain, "is a function")
        return f"`{self.name}` {what} in {self.where}, and " + "; ".join(self.decorated)


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A function asynclint read that is not known to be a coroutine function (a plain `def`, a method looked
    up on a class), or one that is (`CoroutineFunction.function`): what a call gives is its shape's `value`."""

    name: str
    shape: FunctionShape
    #: The module its body is in: the names its `value` mentions are that module's.
    module: ModuleRef
    #: For a method, the class it was looked up on (`Sub.create()` when `Base` defines `create`): the class
    #: `cls(...)` and `-> Self` make.
    owner: KnownClass | None = None


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
    def is_mock(self) -> bool:
        """A plain mock (`MagicMock()`, `mock.sentinel.x`): its attributes and what its methods give are mocks."""
        return self.dotted == PLAIN_MOCK

    @property
    def short_name(self) -> str:
        return self.dotted.rpartition(".")[2]


def _stdlib_instance(dotted: str) -> Instance:
    return Instance(KnownClass(dotted, None, None, STDLIB_CLASSES[dotted]))


_STREAMS = ("asyncio.StreamReader", "asyncio.StreamWriter")
#: What awaiting a standard-library coroutine function gives, where it is an object with coroutine methods:
#: `reader, writer = await asyncio.open_connection(...)`, `proc = await asyncio.create_subprocess_exec(...)`.
STDLIB_AWAITED: dict[str, tuple[str, ...]] = {
    **{f"asyncio.{module}{name}": _STREAMS for module in ("", "streams.") for name in ("open_connection",)},
    **{f"asyncio.{module}open_unix_connection": _STREAMS for module in ("", "streams.")},
    **{f"asyncio.{module}start_server": ("asyncio.Server",) for module in ("", "streams.")},
    **{f"asyncio.{module}start_unix_server": ("asyncio.Server",) for module in ("", "streams.")},
    **{
        f"asyncio.{module}{name}": ("asyncio.subprocess.Process",)
        for module in ("", "subprocess.")
        for name in ("create_subprocess_exec", "create_subprocess_shell")
    },
}


def stdlib_awaited(dotted: str) -> Handed | None:
    """What `await <dotted>(...)` gives, for the standard-library functions of `STDLIB_AWAITED`."""
    classes = STDLIB_AWAITED.get(dotted)
    if classes is None:
        return None
    if len(classes) == 1:
        return _stdlib_instance(classes[0])
    return Items(tuple(_stdlib_instance(cls) for cls in classes))


MOCK_CLASS = KnownClass(PLAIN_MOCK, None, None)
#: `CoroutineIndex._set_up_by`: the class itself says nothing of the attribute; its bases may.
_NOT_HERE = object()
#: An object of a class not known, of which only the attributes a test put on it are known.
PUT_OBJECT = KnownClass("builtins.object", None, None)
ASYNC_MOCK_CLASS = KnownClass("unittest.mock.AsyncMock", None, None)


@dataclass(frozen=True, slots=True)
class Instance:
    cls: KnownClass
    #: Attributes set on this very object where it was made (`obj.client = FakeClient()` in a fixture), and
    #: what each holds (None: not known); they win over what the class declares.
    attributes: tuple[tuple[str, Handed | None], ...] = ()
    #: Made with a mock among the constructor's arguments: any other attribute may hold a mock (`Endpoint(
    #: MagicMock())`), so only `attributes` are known.
    mocked: bool = False
    #: An `AsyncMock` made without a spec: every attribute not in `attributes` (and not part of the mock's own
    #: interface) is an `AsyncMock` too, made on first access, so calling it returns a coroutine.
    children: bool = False
    #: One of those attributes (`client.send` of `client = AsyncMock()`).
    child: bool = False
    #: For an instance of a generic class (`_BaseRequestContextManager[ClientResponse]`): what fills each of
    #: its `type_parameters`, None where not known. A method annotated with the parameter gives that.
    type_arguments: tuple[Handed | None, ...] = ()

    def attribute(self, name: str) -> tuple[bool, Handed | None]:
        """(whether `name` was set on the object, what it holds)."""
        for attribute, held in self.attributes:
            if attribute == name:
                return True, held
        return False, None


@dataclass(frozen=True, slots=True)
class Items:
    """A tuple of a fixed length handed out (`yield client, server`): what each element is, None for one not
    known. It has no methods of its own: only unpacking it (or a constant index) reaches the elements."""

    elements: tuple[Handed | None, ...]


@dataclass(frozen=True, slots=True)
class Coroutine:
    """A coroutine object handed out: a function returns a call of a coroutine function without awaiting it
    (`def request(self): return self.device.request(...)`), so calling it gives a coroutine to await."""

    #: The call returned, as written in the function (`self.device.request`).
    written: str
    #: The coroutine function called; None for an `AsyncMock` set on the object where it was made.
    function: CoroutineFunction | None
    #: The call of the coroutine function itself, when the returned call hands out what another call returns.
    inner: str = ""

    @property
    def how(self) -> str:
        """How the call gives a coroutine, for messages."""
        through = f", which returns `{self.inner}(...)`" if self.inner and self.inner != self.written else ""
        called = self.inner or self.written
        how = self.function.how if self.function is not None else f"`{called}` is an `AsyncMock` set where it was made"
        return f"returns `{self.written}(...)`{through} without awaiting it, and {how}"


@dataclass(frozen=True, slots=True)
class Many:
    """A sequence of any length whose elements are all the same (`list[Client]` as annotated): unpacking it
    (`[client] = clients`) binds that element, whatever the target's length. `keyed`: a mapping whose values
    are that element (`dict[str, Client]`): indexing it or iterating its `values()` gives one, but iterating or
    unpacking it gives its keys."""

    element: Handed | None
    keyed: bool = False


@dataclass(frozen=True, slots=True)
class GenericAlias:
    """A module-level name for a generic class with its type arguments (`_RequestContextManager =
    _BaseRequestContextManager[ClientResponse]`): an annotation naming it means an instance with those."""

    cls: KnownClass
    arguments: tuple[Handed | None, ...]


Resolved = CoroutineFunction | FunctionRef | KnownClass | Instance | ModuleRef | Items | Coroutine | Many | GenericAlias
#: What a function hands out, resolved: an instance, a function (a factory), a coroutine, or a sequence of those.
Handed = Instance | FunctionRef | CoroutineFunction | Items | Coroutine | Many
#: How many calls deep a value is followed (`return make()` where `make` returns `build()`...).
VALUE_DEPTH = 8


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
        digest = hashlib.sha1(f"{__version__}:{SHAPE_FORMAT}:{path}".encode()).hexdigest()
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


_DECORATOR_EFFECTS = {
    "identity": "returns it unchanged",
    "awaiting": "returns an `async def` wrapper that awaits it",
    "coroutine-typed": "is annotated to return a coroutine function",
    "awaitable-typed": "is annotated to return a function that returns an awaitable",
    "same-typed": "is annotated to return the function it is given",
    "loop-dependent": "returns its coroutine when called with an event loop running",
    "forwarding": "returns a wrapper that returns its call, the coroutine",
    "native-dispatch": "returns an `async def` wrapper that awaits it, as it does for every coroutine function",
    "tornado-coroutine": "runs it up to its first `yield` and returns a Future",
}


def _decorator_note(decorator: Decorator, kind: str, where: str | None, before: Outcome, after: Outcome) -> str:
    """What one decorator does, for messages: "`@retry(...)` (app/retry.py:3) returns an `async def` ..."."""
    if kind in _DECORATOR_EFFECTS:
        what = _DECORATOR_EFFECTS[kind]
    elif after.returns == "generator" and before.returns != "generator":
        what = "makes it a generator-based coroutine"
    else:
        what = "returns an `async def` unchanged"
    if kind == ASYNCIO_COROUTINE:
        what += " (up to Python 3.10; it was removed in 3.11)"
    return f"{decorator.shown} ({where}) {what}" if where is not None else f"{decorator.shown} {what}"


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
    #: Shapes of async libraries for when they are not installed; None: installed packages only.
    libraries: LibraryIndex | None = field(default=SHIPPED_LIBRARIES, compare=False)
    #: The project's versions of its packages (lock, pins, declared ranges), by canonical name: the library
    #: index is used for a package only where they allow the release it was read from.
    project_packages: Mapping[str, PackageVersion] = field(default_factory=dict, compare=False)
    _installed_heads: dict[str, bool] = field(default_factory=dict, compare=False)
    #: What decorators do, by (module file, module, decorator as written, called).
    _decorators: dict[tuple[str, str, str, bool], tuple[str, str | None] | None] = field(
        default_factory=dict, compare=False
    )
    #: What values resolve to (`value`), by the identity of the module shape they are written in (kept with the
    #: result: a file being fixed gets a new shape on each pass) and the value.
    _values: dict[tuple[int, Value, str | None], tuple[ModuleShape, Handed | None]] = field(
        default_factory=dict, compare=False
    )
    #: Whether a class's methods may not be as written (`_rewritten`), by the identity of its shape (kept).
    _rewritten_classes: dict[int, tuple[ClassShape, bool]] = field(default_factory=dict, compare=False)

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
            if found is None:
                found = self._indexed(dotted, parts[0])
        self._modules[dotted] = found
        return found

    def _indexed(self, dotted: str, head: str) -> ModuleRef | None:
        """A module of a library in asynclint's index (`model.library_index`), used only when the package is
        not installed where asynclint looks: neither among the project's modules nor in its environment."""
        if self.libraries is None or not self.libraries.covers(head):
            return None
        if head not in self._installed_heads:
            self._installed_heads[head] = any(
                inputs.is_dir(Path(root) / head) or inputs.is_file(Path(root) / f"{head}.py")
                for root in (*self.roots, *self.site_packages)
            )
        if self._installed_heads[head]:
            return None  # an installed copy says what its module holds, even that it has none of this name
        release = self.libraries.release(head)
        if release is None:
            return None
        declared = self.project_packages.get(canonicalize_name(release[0]))
        if declared is not None and not declared.allows_series_of(release[1]):
            return None  # `aiohttp<3`: what the index says of 3.x is not what the project runs
        indexed = self.libraries.module(dotted)
        if indexed is None:
            return None
        return ModuleRef(dotted, indexed.shape, indexed.display, indexed.is_package, True, indexed.origin)

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
            if not rest and binding.function.kind == "unknown":
                if binding.function.context_manager:
                    # `@asynccontextmanager`: what `async with f() as x` binds is its value (`_value`).
                    return FunctionRef(name, binding.function, module)
                return self.decorated(module, name, binding.function)
            function = binding.function
            if rest or function.kind not in {"async", "sync"}:
                return None
            if function.loop_dependent is not None:
                found = self.loop_dependent(module, name, function)
                if found is not None:
                    return found
            ref = FunctionRef(name, function, module)
            return CoroutineFunction(name, module.where(function.line), ref) if function.kind == "async" else ref
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
        if binding.generic is not None:
            generic = self.resolve_in(module, binding.generic.written.split("."), depth + 1)
            if rest or not isinstance(generic, KnownClass) or generic.shape is None:
                return None
            if len(binding.generic.type_arguments) != len(generic.shape.type_parameters):
                return None  # arguments for parameters its bases declare: not followed
            arguments = tuple(
                self.value(module, argument, None, "", depth + 1) if argument is not None else None
                for argument in binding.generic.type_arguments
            )
            return GenericAlias(generic, arguments)
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

    # -- decorated functions -----------------------------------------------------------------------------

    def decorated(
        self, module: ModuleRef, name: str, function: FunctionShape, owner: ClassShape | None = None
    ) -> CoroutineFunction | None:
        """A decorated function whose calls return something to await, as the decorators' own source says
        (`model.decorators`), read where the decorators are defined; None when any decorator is unknown."""
        if function.undecorated is None or not function.decorators:
            return None
        outcome: Outcome | None = undecorated(function.undecorated)
        notes: list[str] = []
        for decorator in reversed(function.decorators):  # the innermost is applied first
            found = self._decorator(module, decorator, owner)
            if found is None or outcome is None:
                return None
            kind, where = found
            before = outcome
            outcome = apply(outcome, kind)
            if outcome is None:
                return None
            notes.append(_decorator_note(decorator, kind, where, before, outcome))
        if outcome is None or not outcome.awaitable:
            return None
        return CoroutineFunction(
            name,
            module.where(function.line),
            returns=outcome.returns,
            native=outcome.native,
            only_in_async=outcome.only_in_async,
            legacy_asyncio=outcome.legacy_asyncio,
            plain=function.undecorated,
            decorated=tuple(reversed(notes)),
        )

    def _decorator(
        self, module: ModuleRef, decorator: Decorator, owner: ClassShape | None
    ) -> tuple[str, str | None] | None:
        """What a decorator written in `module` does (an effect of `model.decorators`), and where that is shown."""
        if decorator.name is None:
            return None
        parts = decorator.name.split(".")
        if owner is not None and parts[0] in owner.members:
            # A function of the class body, decorating a method below it.
            member = owner.members[parts[0]]
            return self._effect(module, member, decorator.called, 0) if member is not None and len(parts) == 1 else None
        key = (module.shape.path, module.dotted, decorator.name, decorator.called)
        if key not in self._decorators:
            self._decorators[key] = self._decorator_in(module, parts, decorator.called, 0)
        return self._decorators[key]

    def _decorator_in(
        self, module: ModuleRef, parts: Sequence[str], called: bool, depth: int
    ) -> tuple[str, str | None] | None:
        """What `name.attr...` means as a decorator inside `module`, following imports as `resolve_in` does."""
        if depth > 12 or not parts:
            return None
        name, rest = parts[0], list(parts[1:])
        binding = module.shape.names.get(name)
        if binding is None:
            if module.is_package and rest:
                submodule = self.module(f"{module.dotted}.{name}")
                if submodule is not None:
                    return self._decorator_in(submodule, rest, called, depth + 1)
            for star in module.shape.star_imports:
                target = self.absolute(module, star)
                star_module = self.module(target) if target is not None else None
                if star_module is not None:
                    found = self._decorator_in(star_module, parts, called, depth + 1)
                    if found is not None:
                        return found
            return None
        if binding.function is not None:
            return self._effect(module, binding.function, called, depth) if not rest else None
        if binding.imported is None:
            return None  # a class, an instance, or a name bound several ways
        if binding.imported.startswith("<alias>"):
            written = binding.imported[len("<alias>") :]
            if written.partition(".")[0] == name:
                return None
            return self._decorator_in(module, [*written.split("."), *rest], called, depth + 1)
        target = self.absolute(module, binding.imported)
        if target is None:
            return None
        dotted = ".".join([target, *rest])
        if dotted in CURATED:
            kind = CURATED[dotted][1 if called else 0]
            return (kind, None) if kind is not None else None
        if dotted.startswith(PYTEST_MARKS) and dotted.count(".") == 2:
            # `@pytest.mark.asyncio` on a helper: a mark is stored on the function, which is returned as it is.
            return IDENTITY, None
        if dotted.partition(".")[0] in _STDLIB:
            return None
        names = dotted.split(".")
        for cut in range(len(names) - 1, 0, -1):
            found_module = self.module(".".join(names[:cut]))
            if found_module is not None:
                return self._decorator_in(found_module, names[cut:], called, depth + 1)
        return None

    def _effect(
        self, module: ModuleRef, function: FunctionShape, called: bool, depth: int
    ) -> tuple[str, str | None] | None:
        """What a plain function of `module` does as `@f` or `@f(...)`, following the decorators it hands the
        work to; a decorator under decorators of its own (`wrapt`, `decorator`) is unknown."""
        if function.kind != "sync" or function.decorator is None:
            return None
        effect = function.decorator.called if called else function.decorator.direct
        if effect is None:
            return None
        if effect.kind in {DELEGATE, DELEGATE_CALLED}:
            if effect.name is None:
                return None
            return self._decorator_in(module, effect.name.split("."), effect.kind == DELEGATE_CALLED, depth + 1)
        # A loop check must be the standard library's or sniffio's, whatever the wrapper's module calls it.
        checked = self._imported_as(module, effect.name) if effect.name is not None else None
        if effect.kind == LOOP_DEPENDENT and checked not in LOOP_CHECKS:
            return None
        return effect.kind, module.where(effect.line)

    def loop_dependent(self, module: ModuleRef, name: str, function: FunctionShape) -> CoroutineFunction | None:
        """A plain function of `module` that returns an awaitable made by asyncio when an event loop runs, when
        its check is one (`LOOP_CHECKS`, or a function of the project's returning one's result) and `asyncio` is
        the standard library's; it is awaitable only where a loop runs (`only_in_async`)."""
        found = function.loop_dependent
        if found is None or self._imported_as(module, found.returned) != "asyncio." + found.returned.partition(".")[2]:
            return None
        checked = self._imported_as(module, found.check)
        if checked not in LOOP_CHECKS:
            getter = self.resolve_in(module, found.check.split("."))
            if not isinstance(getter, FunctionRef) or getter.shape.loop_getter is None:
                return None
            if self._imported_as(getter.module, getter.shape.loop_getter) not in LOOP_CHECKS:
                return None
        note = (
            f"returns `{found.returned}(...)` when an event loop is running (it checks `{found.check}()` at "
            f"line {found.line})"
        )
        return CoroutineFunction(
            name,
            module.where(function.line),
            returns="awaitable",
            native=False,
            only_in_async=True,
            plain="sync",
            when_running=note,
        )

    def _imported_as(self, module: ModuleRef, written: str) -> str | None:
        """The absolute name of an imported name as written in `module` (`asyncio.get_running_loop`)."""
        head, _, rest = written.partition(".")
        binding = module.shape.names.get(head)
        if binding is None or binding.imported is None or binding.imported.startswith("<alias>"):
            return None
        target = self.absolute(module, binding.imported)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    # -- classes -----------------------------------------------------------------------------------------

    def _rewritten(self, cls: KnownClass) -> bool:
        """The methods written in the class body may not be what it has: a metaclass, or a class decorator that
        its own source does not show returning the class it is given (`@register` doing so keeps them).

        A class under such a decorator still has `shape.dynamic` set: the decorator may add methods, so a name
        not written in the body stays unknown (`_defines_no` never says it is absent)."""
        shape, module = cls.shape, cls.module
        if shape is None or not shape.dynamic:
            return False
        if not shape.decorators or module is None:
            return True
        memo = self._rewritten_classes.get(id(shape))
        if memo is not None and memo[0] is shape:
            return memo[1]
        rewritten = False
        for decorator in shape.decorators:
            found = self._decorator(module, decorator, None)
            if found is None or found[0] != IDENTITY:
                rewritten = True
                break
        self._rewritten_classes[id(shape)] = (shape, rewritten)
        return rewritten

    def method(self, cls: KnownClass, name: str, depth: int = 0) -> CoroutineFunction | None:
        """`name` looked up on `cls` and its bases: a coroutine function, or None (not one, or unknown)."""
        if depth > 10:
            return None
        if cls.shape is None:
            if name in cls.stdlib_methods:
                return CoroutineFunction(f"{cls.short_name}.{name}", "the standard library")
            return None
        shape = cls.shape
        if self._rewritten(cls):
            return None
        if name in shape.members:
            member = shape.members[name]
            if member is not None and member.kind == "unknown" and cls.module is not None:
                return self.decorated(cls.module, f"{shape.name}.{name}", member, shape)
            if member is not None and member.loop_dependent is not None and cls.module is not None:
                return self.loop_dependent(cls.module, f"{shape.name}.{name}", member)
            if member is None or member.kind != "async" or cls.module is None:
                return None
            return CoroutineFunction(f"{shape.name}.{name}", cls.module.where(member.line), abstract=member.abstract)
        return self._method_of_bases(cls, name, depth)

    def super_method(self, cls: KnownClass, name: str) -> CoroutineFunction | None:
        """`super().name` in a method of `cls`: `name` looked up on its bases, in order, as `method` does."""
        if cls.shape is None or self._rewritten(cls):
            return None
        return self._method_of_bases(cls, name, 0)

    def _method_of_bases(self, cls: KnownClass, name: str, depth: int) -> CoroutineFunction | None:
        shape = cls.shape
        if shape is None or shape.dynamic:
            return None  # a class decorator that keeps the methods written may still add others
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
        """True when neither `cls` nor any base defines `name` (all of them readable, none under a metaclass or a
        class decorator, which may add it)."""
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
        """The class of `self.<attribute>` as the class (or the base that sets it up) declares or assigns it."""

        def declared(owner: KnownClass) -> object:
            assert owner.shape is not None
            assert owner.module is not None
            written = owner.shape.attribute_types.get(attribute)
            if written is None:
                return _NOT_HERE
            found = self.resolve_in(owner.module, written.split("."))
            if found is None and "." in written:
                # `self.cache = config.to_cache()` with `config: CacheConfig` ("CacheConfig.to_cache"): what the
                # method gives, called on an instance of the class.
                holder, _, name = written.rpartition(".")
                made_by = self.resolve_in(owner.module, holder.split("."))
                member = self.member(made_by, name) if isinstance(made_by, KnownClass) else None
                found = member if member is not None and member.shape.kind == "sync" else None
            if isinstance(found, FunctionRef):
                # `self.client = make_client()`: what the factory gives (`-> Client`, `return Client(...)`).
                made = self.call_value(found, awaited=False)
                return made.cls if isinstance(made, Instance) else None
            return found if isinstance(found, KnownClass) else None

        found = self._set_up_by(cls, attribute, declared)
        return found if isinstance(found, KnownClass) else None

    def attribute_element(self, cls: KnownClass, attribute: str) -> tuple[KnownClass, bool] | None:
        """The class of each element of `self.<attribute>`, a collection the class (or the base that sets it up)
        declares (`plugs: list[Plug]`), and whether it is a mapping holding them as values."""

        def declared(owner: KnownClass) -> object:
            assert owner.shape is not None
            assert owner.module is not None
            keyed = attribute in owner.shape.attribute_mapped
            written = (owner.shape.attribute_mapped if keyed else owner.shape.attribute_elements).get(attribute)
            if written is None:
                return _NOT_HERE
            found = self.resolve_in(owner.module, written.split("."))
            return (found, keyed) if isinstance(found, KnownClass) else None

        found = self._set_up_by(cls, attribute, declared)
        return found if isinstance(found, tuple) else None

    def _set_up_by(
        self, cls: KnownClass, attribute: str, here: Callable[[KnownClass], object], depth: int = 0
    ) -> object | None:
        """What `here` says of the attribute for `cls`, or for the base that sets it up when `cls` says nothing
        of it (`_NOT_HERE`); None when that is not known (a method or class attribute of that name, a class
        decorator or metaclass that may add it, a base that cannot be read)."""
        if depth > 10 or cls.shape is None or cls.module is None or self._rewritten(cls):
            return None
        found: object = here(cls)
        if found is not _NOT_HERE:
            return found
        if attribute in cls.shape.members or cls.shape.dynamic:
            return None  # a method, property or class attribute of its own, or one its decorator may add
        for base in cls.shape.bases:
            if base is None or base.rpartition(".")[2] in NEUTRAL_BASES:
                continue
            parent = self.resolve_in(cls.module, base.split("."))
            if not isinstance(parent, KnownClass):
                return None
            found = self._set_up_by(parent, attribute, here, depth + 1)
            if found is not None:
                return found
        return None

    def excludes_coroutines(self, module: ModuleRef, written: str) -> bool:
        """Whether a coroutine object can never be what an annotation written in `module` asks for: a builtin
        or standard-library class, or a class asynclint reads all the way down whose instances are not
        awaitable (no `__await__`, no protocol, no base it cannot read)."""
        head = written.partition(".")[0]
        if head not in module.shape.names:
            if module.shape.star_imports:
                return False  # a star import may bind it to anything
            return written in _NOT_COROUTINE_BUILTINS
        absolute = self._imported_as(module, written)
        if absolute is not None and absolute.partition(".")[0] in _STDLIB:
            if absolute in _NOT_COROUTINE_CONTAINERS:
                return True
            return absolute.partition(".")[0] not in _AWAITABLE_MODULES and absolute.count(".") >= 1
        found = self.resolve_in(module, written.split("."))
        return isinstance(found, KnownClass) and self._never_awaitable(found, 0)

    def _never_awaitable(self, cls: KnownClass, depth: int) -> bool:
        shape = cls.shape
        # A class decorator or metaclass is not read here: one that made instances awaitable would be absurd.
        if depth > 10 or shape is None or cls.module is None or "__await__" in shape.members:
            return False
        for base in shape.bases:
            if base is None:
                return False
            last = base.rpartition(".")[2]
            if last in _AWAITABLE_BASES:
                return False
            if last in _PLAIN_BASES:
                continue
            found = self.resolve_in(cls.module, base.split("."))
            if not isinstance(found, KnownClass) or not self._never_awaitable(found, depth + 1):
                return False
        return True

    # -- values ------------------------------------------------------------------------------------------

    def member(self, cls: KnownClass, name: str, owner: KnownClass | None = None, depth: int = 0) -> FunctionRef | None:
        """The function `name` looked up on `cls` and its bases, whatever its kind; None when the class that
        defines it is not read, or defines it as something else. `owner`: the class it was first looked up on."""
        shape = cls.shape
        if depth > 10 or shape is None or cls.module is None or self._rewritten(cls):
            return None
        if name in shape.members:
            defined = shape.members[name]
            return FunctionRef(f"{shape.name}.{name}", defined, cls.module, owner or cls) if defined else None
        if shape.dynamic:
            return None  # a class decorator that keeps the methods written may still add others
        for base in shape.bases:
            if base is None:
                return None
            if base.rpartition(".")[2] in NEUTRAL_BASES:
                continue
            found = self.resolve_in(cls.module, base.split("."))
            if not isinstance(found, KnownClass):
                return None
            function = self.member(found, name, owner or cls, depth + 1)
            if function is not None:
                return function
            if not self._defines_no(found, name, depth + 1):
                return None
        return None

    def awaited_instance(self, cls: KnownClass, depth: int = 0, receiver: Instance | None = None) -> Handed | None:
        """What `await Cls(...)` gives: what the class's `__await__` says (`return self.start().__await__()` with
        `start` returning `self`, `-> Generator[Any, Any, Self]`); `receiver`: the very object awaited, when
        more is known of it than its class (the type arguments of a generic one)."""
        function = self.member(cls, "__await__")
        if function is None or function.shape.kind != "sync":
            return None
        return self.value(function.module, function.shape.value, function.owner, function.name, depth + 1, receiver)

    def entered_instance(self, made: Instance, depth: int = 0) -> Handed | None:
        """What `async with obj as x` binds for an instance of a generic class: what its `__aenter__` gives, with
        the instance's type arguments (`async def __aenter__(self) -> _T` on `Context[Response]`)."""
        function = self.member(made.cls, "__aenter__")
        if function is None:
            return None
        return self.call_value(function, awaited=True, depth=depth + 1, receiver=made)

    def entered(self, function: FunctionRef, depth: int = 0) -> Handed | None:
        """What `with function(...) as x` binds, for a generator under `@contextmanager`/`@asynccontextmanager`:
        what it yields."""
        if function.shape.enters is not None:  # `-> AsyncContextManager[Connection]`
            return self.value(function.module, function.shape.enters, function.owner, function.name, depth + 1)
        if not function.shape.context_manager:
            return None
        return self.value(function.module, function.shape.value, function.owner, function.name, depth + 1)

    def call_value(
        self, function: FunctionRef, *, awaited: bool, depth: int = 0, receiver: Instance | None = None
    ) -> Handed | None:
        """What `function(...)` gives, or with `awaited` what `await function(...)` gives: a plain function's
        value, or a coroutine function's awaited; None for the other combinations (a coroutine, an awaited
        plain value) and for functions whose value is not known (generators, unknown decorators)."""
        if awaited and function.shape.kind == "sync":
            # `await session.get(url)`: a plain method handing out an instance of a generic awaitable class.
            made = self.value(function.module, function.shape.value, function.owner, function.name, depth, receiver)
            if isinstance(made, Instance) and made.type_arguments and not _is_mock(made):
                return self.awaited_instance(made.cls, depth + 1, receiver=made)
            return None
        if function.shape.kind != ("async" if awaited else "sync"):
            return None
        return self.value(function.module, function.shape.value, function.owner, function.name, depth, receiver)

    def value(
        self,
        module: ModuleRef,
        value: Value | None,
        owner: KnownClass | None = None,
        name: str = "",
        depth: int = 0,
        receiver: Instance | None = None,
    ) -> Handed | None:
        """What a value written in `module` (a function's `FunctionShape.value`) is: an instance of a class, a
        function (a factory named `name`), or a tuple of those; `owner` is the class `cls(...)` and `Self` mean,
        `receiver` the very object a method is called on, when more is known of it than its class. Followed
        through helpers, classmethods and imports, across modules, `VALUE_DEPTH` calls deep. A mock handed out
        is unknown (the test configures it, and judges its calls itself), unless the function says what its
        attributes are: an `AsyncMock` without a spec (its attributes are `AsyncMock`s), a mock whose
        `return_value` or attributes it sets."""
        found = self._held(module, value, owner, name, depth, receiver)
        if _is_mock(found) and not (isinstance(found, Instance) and (found.children or found.attributes)):
            return None
        return found

    def _held(
        self,
        module: ModuleRef,
        value: Value | None,
        owner: KnownClass | None,
        name: str,
        depth: int,
        receiver: Instance | None = None,
    ) -> Handed | None:
        """`value`, mocks included (what an attribute or an argument holds)."""
        if value is None or depth > VALUE_DEPTH or value.parameter:
            return None  # what a parameter holds is the caller's (for a fixture: `FixtureTypes`)
        if receiver is not None and not receiver.attributes and not receiver.mocked and not receiver.type_arguments:
            receiver = None  # nothing beyond its class: the memoized answer holds
        if value.factory:
            made = FunctionShape(value.factory, value.line, replace(value, factory="", line=0))
            function = FunctionRef(name, made, module, owner)
            return CoroutineFunction(name, module.where(value.line), function) if value.factory == "async" else function
        if value.kind == ITEMS:
            # Each element on its own (and memoized on its own): an unknown one leaves the others known.
            elements = tuple(self.value(module, element, owner, name, depth, receiver) for element in value.elements)
            return Items(elements) if any(element is not None for element in elements) else None
        key = (id(module.shape), value, owner.dotted if owner is not None else None)
        if receiver is None:
            known = self._values.get(key)
            if known is not None and known[0] is module.shape:
                return known[1]
            self._values[key] = (module.shape, None)  # a value defined through itself stays unknown
        found = self._value(module, value, owner, depth, receiver)
        found = self.with_attributes(module, value, found, owner, depth, receiver)
        if receiver is None:
            self._values[key] = (module.shape, found)
        return found

    def with_attributes(
        self,
        module: ModuleRef,
        value: Value,
        found: Handed | None,
        owner: KnownClass | None = None,
        depth: int = 0,
        receiver: Instance | None = None,
    ) -> Handed | None:
        """`found` with the attributes `value` says the function set on it before handing it out."""
        if not value.attribute_names:
            return found
        if not isinstance(found, Instance) or len(value.attribute_names) != len(value.attribute_values):
            return None  # attributes set on something that is not a plain instance: not followed
        held = tuple(self._held(module, item, owner, "", depth + 1, receiver) for item in value.attribute_values)
        return replace(found, attributes=(*zip(value.attribute_names, held, strict=True), *found.attributes))

    def _value(
        self, module: ModuleRef, value: Value, owner: KnownClass | None, depth: int, receiver: Instance | None
    ) -> Handed | None:
        if value.kind == SELF:
            return receiver if receiver is not None else Instance(owner) if owner is not None else None
        if value.kind == MOCK:
            return Instance(MOCK_CLASS)
        if value.kind == ELEMENT:
            whole = self.value(module, value.of, owner, "", depth + 1, receiver)
            if isinstance(whole, Items) and len(whole.elements) == value.size:
                return whole.elements[value.index]
            return None
        if value.on_self:
            return self._on_self(value, owner, depth, receiver)
        if value.kind == INSTANCE and receiver is not None and receiver.type_arguments and owner is not None:
            # `async def __aenter__(self) -> _T` on `Context[Response]`: the argument that fills `_T`.
            shape = owner.shape
            parameters = shape.type_parameters if shape is not None else ()
            if (
                shape is not None
                and value.written in parameters
                and receiver.cls.dotted == owner.dotted
                and any(member is not None and member.value is value for member in shape.members.values())
            ):
                return receiver.type_arguments[parameters.index(value.written)]
        if value.kind == CALL:
            made_mock = _mock_made(value.written)
            if made_mock is not None:
                return self._mock(module, value, made_mock, owner, depth, receiver)
        target = self._written(module, value)
        if value.kind == CALL:
            if isinstance(target, FunctionRef) and target.shape.kind == "async":
                target = CoroutineFunction(target.name, target.module.where(target.shape.line), target)
            if isinstance(target, CoroutineFunction):
                return _coroutine(value.written, target)
        if value.kind == INSTANCE:
            if isinstance(target, GenericAlias):
                return Instance(target.cls, type_arguments=target.arguments)
            if not isinstance(target, KnownClass):
                kind = value.written.rpartition(".")[2]
                keyed = kind in MAPPING_ANNOTATIONS and len(value.type_arguments) == 2
                if keyed or (kind in SEQUENCE_ANNOTATIONS and len(value.type_arguments) == 1):
                    # `-> list[Client]`: iterating or unpacking gives a Client; `-> dict[str, Client]`: indexing.
                    argument = value.type_arguments[-1]
                    element = self.value(module, argument, owner, "", depth + 1, receiver) if argument else None
                    return Many(element, keyed=keyed) if element is not None else None
                return None
            if value.type_arguments and len(value.type_arguments) == len(
                target.shape.type_parameters if target.shape else ()
            ):
                arguments = tuple(
                    self.value(module, argument, owner, "", depth + 1, receiver) if argument is not None else None
                    for argument in value.type_arguments
                )
                return Instance(target, type_arguments=arguments)
            return Instance(target)
        if value.kind == AWAIT:
            if isinstance(target, CoroutineFunction) and target.function is None:
                return stdlib_awaited(target.name)  # `await asyncio.open_connection(...)`
            if isinstance(target, KnownClass):  # `await Cls()`
                awaited = self.awaited_instance(target, depth)
                return replace(awaited, mocked=True) if isinstance(awaited, Instance) and value.mocked else awaited
            function = target.function if isinstance(target, CoroutineFunction) else target
            if not isinstance(function, FunctionRef):
                return None
            return self.call_value(function, awaited=True, depth=depth + 1)
        if isinstance(target, FunctionRef) and target.shape.context_manager:
            return self.entered(target, depth) if value.kind == ENTER else None
        if isinstance(target, FunctionRef) and target.shape.enters is not None and value.kind == ENTER:
            return self.entered(target, depth)
        made: Handed | None = None
        if isinstance(target, KnownClass):
            made = self._constructed(module, value, target, owner, depth, receiver)
        elif isinstance(target, FunctionRef):
            made = _through(value.written, self.call_value(target, awaited=False, depth=depth + 1))
        # `with` binds what `__enter__`/`__aenter__` returns: the instance itself only when it returns self.
        if value.kind == ENTER and isinstance(made, Instance) and made.type_arguments and not _is_mock(made):
            return self.entered_instance(made, depth)
        if value.kind == ENTER and not (
            isinstance(made, Instance) and made.cls.shape is not None and made.cls.shape.enter_returns_self
        ):
            return None
        return made

    def _mock(
        self,
        module: ModuleRef,
        value: Value,
        cls: KnownClass,
        owner: KnownClass | None,
        depth: int,
        receiver: Instance | None,
    ) -> Instance:
        """A mock a function makes, read as a test's own (`FileResolver._mock`): an `AsyncMock` without a spec
        has `AsyncMock`s for attributes; keywords set attributes; of a plain mock only `return_value=` is kept."""
        if value.written.rpartition(".")[2] not in MOCK_CLASSES:
            return Instance(cls)  # `create_autospec(...)`: as its spec says
        attributes = tuple(
            (name, self._held(module, item, owner, "", depth + 1, receiver))
            for name, item in zip(value.keyword_names, value.keyword_values, strict=True)
            if name == "return_value" or (cls.is_async_mock and name not in MOCK_SPECS | MOCK_SETTINGS)
        )
        if cls.is_mock:
            return Instance(cls, attributes=tuple(item for item in attributes if item[0] == "return_value"))
        return Instance(cls, attributes=attributes, children=not value.spec)

    def _constructed(
        self,
        module: ModuleRef,
        value: Value,
        cls: KnownClass,
        owner: KnownClass | None,
        depth: int,
        receiver: Instance | None,
    ) -> Instance:
        """The instance `Cls(...)` makes: the arguments its `__init__` stores as they are become the attributes
        they are stored in (`Endpoint(device)` with `self._device = device`). With a mock among the arguments
        stored elsewhere (or passed where asynclint cannot say which parameter gets it), any attribute may hold
        a mock: the instance is `mocked`."""
        if value.arguments is None:
            return Instance(cls, mocked=value.mocked)
        positional = tuple(self._held(module, item, owner, "", depth + 1, receiver) for item in value.arguments)
        keywords = {
            name: self._held(module, item, owner, "", depth + 1, receiver)
            for name, item in zip(value.keyword_names, value.keyword_values, strict=True)
        }
        return self.instance(cls, positional, keywords, mocked=value.mocked)

    def instance(
        self,
        cls: KnownClass,
        positional: Sequence[Handed | None],
        keywords: Mapping[str, Handed | None],
        *,
        mocked: bool,
    ) -> Instance:
        """The instance `Cls(*positional, **keywords)` makes, given what each argument is (None: not known) and
        whether one of them is a mock (`mocked`, whether or not it is known which)."""
        shape = cls.shape
        if shape is None or shape.init_params is None or len(positional) > len(shape.init_params):
            return Instance(cls, mocked=mocked)  # no `__init__` read, or more than its named parameters
        held: dict[str, Handed | None] = {**dict(zip(shape.init_params, positional, strict=False)), **keywords}
        stored = set(shape.argument_attributes.values())
        unstored_mock = any(name not in stored and _is_mock(found) for name, found in held.items())
        unread = mocked and any(name not in stored and found is None for name, found in held.items())
        attributes = tuple(
            (attribute, held[parameter])
            for attribute, parameter in shape.argument_attributes.items()
            if held.get(parameter) is not None
        )
        return Instance(cls, attributes=attributes, mocked=unstored_mock or unread)

    def _on_self(self, value: Value, owner: KnownClass | None, depth: int, receiver: Instance | None) -> Handed | None:
        """A value read through the object a method is called on (`self.device.request(...)`): each attribute
        as the object holds it or the class declares it (`attribute_value`), then the method called or
        awaited, or the attribute read."""
        if owner is None:
            return None
        *chain, last = value.written.split(".")
        current: Handed | None = receiver if receiver is not None else Instance(owner)
        for part in chain:
            current = self.attribute_value(current, part, depth + 1, mocks=True)
            if current is None:
                return None
        if value.kind == ATTRIBUTE:
            return self.attribute_value(current, last, depth + 1, mocks=True)
        if value.kind == AWAITED:
            return self._awaited_attribute(current, last)
        if not isinstance(current, Instance) or current.cls.is_async_mock:
            return None
        written = f"self.{value.written}"
        replaced, held = current.attribute(last)
        if replaced:
            if value.kind == CALL and isinstance(held, Instance) and held.cls.is_async_mock:
                return Coroutine(written, None)  # `device.request = AsyncMock()` where the object was made
            return None  # a function stored on the object: not followed
        if current.cls.is_mock:
            return None  # a mock's method gives a mock
        if value.kind == CALL:
            method = self.method(current.cls, last)
            if method is not None:
                return _coroutine(written, method)
        function = self.member(current.cls, last)
        if function is None:
            return None
        made = self.call_value(function, awaited=value.kind == AWAIT, depth=depth + 1, receiver=current)
        return _through(written, made)

    def attribute_value(
        self, holder: Handed | None, name: str, depth: int = 0, *, mocks: bool = False
    ) -> Handed | None:
        """What `holder.name` holds: an attribute set where the object was made, a property's value, or an
        instance of the class the class declares for the attribute; `mocks`: a mock held there too (else
        unknown)."""
        if not isinstance(holder, Instance) or holder.cls.is_async_mock or depth > VALUE_DEPTH:
            return None
        replaced, held = holder.attribute(name)
        if replaced:
            if not mocks and _is_mock(held):
                return None
            return held
        if holder.mocked or holder.cls.is_mock:
            return None  # what the constructor was given (a mock, perhaps) may be stored there
        function = self.member(holder.cls, name)
        if function is not None:
            if function.shape.kind != "property":
                return None  # a method: a bound method is not followed as a value
            found = self._held(function.module, function.shape.value, function.owner, function.name, depth + 1, holder)
            if not mocks and _is_mock(found):
                return None
            return found
        cls = self.attribute_class(holder.cls, name)
        if cls is not None:
            return Instance(cls)
        element = self.attribute_element(holder.cls, name)
        if element is not None:
            return Many(Instance(element[0]), keyed=element[1])
        stored = self._stored(holder.cls, name)
        if stored is None:
            return self._looked_up(holder, name, depth)
        owner, value = stored
        assert owner.module is not None
        found = self._held(owner.module, value, owner, name, depth + 1, holder)
        return None if not mocks and _is_mock(found) else found

    def _looked_up(self, holder: Instance, name: str, depth: int) -> Handed | None:
        """What a class's own `__getattr__` gives for an attribute nothing else defines (`client.mydb` is
        `AsyncMongoClient.__getattr__(self, name) -> AsyncDatabase`): not for a private name, nor one any method of
        the class assigns on `self`, nor one a base defines; `__getattr__` is only asked when those all fail."""
        shape = holder.cls.shape
        if name.startswith("_") or shape is None or "__getattr__" not in shape.members or name in shape.self_assigned:
            return None
        getter = self.member(holder.cls, "__getattr__")
        if getter is None or getter.shape.kind != "sync" or not self._defines_no(holder.cls, name, 0):
            return None
        found = self.call_value(getter, awaited=False, depth=depth + 1, receiver=holder)
        return found if isinstance(found, Instance) and not _is_mock(found) else None

    def item_value(self, holder: Handed | None) -> Handed | None:
        """What `holder[key]` gives, as its class's `__getitem__` says (`client["mydb"]` is an `AsyncDatabase`)."""
        if not isinstance(holder, Instance) or holder.mocked or _is_mock(holder):
            return None
        getter = self.member(holder.cls, "__getitem__")
        if getter is None or getter.shape.kind != "sync":
            return None
        found = self.call_value(getter, awaited=False, receiver=holder)
        return found if isinstance(found, Instance) and not _is_mock(found) else None

    def _stored(self, cls: KnownClass, attribute: str) -> tuple[KnownClass, Value] | None:
        """The value a method of `cls` (or of the base that sets the attribute up) stores in an attribute
        assigned nowhere else (`ClassShape.attribute_values`), with the class that stores it."""

        def stored(owner: KnownClass) -> object:
            assert owner.shape is not None
            value = owner.shape.attribute_values.get(attribute)
            return (owner, value) if value is not None else _NOT_HERE

        found = self._set_up_by(cls, attribute, stored)
        return found if isinstance(found, tuple) else None

    def _awaited_attribute(self, holder: Handed | None, name: str) -> Handed | None:
        """What `await holder.name` gives, for an attribute its class declares an awaitable of one class."""
        if not isinstance(holder, Instance) or holder.mocked or holder.cls.is_mock or holder.attribute(name)[0]:
            return None
        shape, module = holder.cls.shape, holder.cls.module
        if shape is None or module is None or self._rewritten(holder.cls):
            return None
        written = shape.awaited_types.get(name)
        found = self.resolve_in(module, written.split(".")) if written is not None else None
        return Instance(found) if isinstance(found, KnownClass) else None

    def _written(self, module: ModuleRef, value: Value) -> Resolved | None:
        """What the dotted name of a value refers to; a method of a class (`Client.connect`) whatever its kind,
        looked up on that class."""
        parts = value.written.split(".")
        if value.imported:
            target = self.absolute(module, value.written)
            if target is None:
                return None
            parts = target.split(".")
            holder = self.resolve(".".join(parts[:-1])) if len(parts) > 1 else None
        else:
            holder = self.resolve_in(module, parts[:-1]) if len(parts) > 1 else None
        if isinstance(holder, Instance):
            holder = holder.cls
        if isinstance(holder, KnownClass):
            return self.member(holder, parts[-1])
        if value.imported:
            return self.resolve(".".join(parts))
        return self.resolve_in(module, parts)


def _is_mock(handed: Handed | None) -> bool:
    """A mock, plain or async: what it holds and gives is the test's business."""
    return isinstance(handed, Instance) and (handed.cls.is_mock or handed.cls.is_async_mock)


def _mock_made(written: str) -> KnownClass | None:
    """The mock class a call written so makes (`MagicMock()`, `mock.AsyncMock()`, `CoroutineMock()`), known by
    the last part of its name, however imported."""
    last = written.rpartition(".")[2]
    if last in PLAIN_MOCK_MAKERS:
        return MOCK_CLASS
    if last in ASYNC_MOCK_MAKERS:
        return ASYNC_MOCK_CLASS
    return None


def _coroutine(written: str, function: CoroutineFunction) -> Coroutine | None:
    """What a call of `function` gives without `await`: a coroutine, unless the function may give something
    else (a Future, or a coroutine only while an event loop runs)."""
    if function.returns != "coroutine" or function.only_in_async:
        return None
    return Coroutine(written, function)


def _through(written: str, made: Handed | None) -> Handed | None:
    """What a call written so gives: a coroutine another function returned is named by this call."""
    if not isinstance(made, Coroutine):
        return made
    return replace(made, written=written, inner=made.inner or made.written)
