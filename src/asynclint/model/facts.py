"""Frozen, picklable facts that the reader extracts from one Python module.

Nothing here holds a LibCST node: facts cross process boundaries. Where a rule needs the node a fact came
from (to report on it or fix it), the fact carries a `key` that the reader's in-process `NodeMap` resolves.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Unknown:
    """A value that could not be read statically (a variable, a call, an f-string...)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __reduce__(self) -> tuple[type[Unknown], tuple[()]]:
        return (Unknown, ())

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = Unknown()

#: A literal read from source: `"module"`, `True`, `3`, `None`, or UNKNOWN when it is not a plain literal.
Literal = str | int | float | bool | None | Unknown | tuple["Literal", ...]

#: A position-free handle on a node of the module the facts were read from (see `reader.NodeMap`).
NodeKey = int


@dataclass(frozen=True, slots=True)
class ImportTable:
    """What each module-level name refers to, as far as imports and simple assignments tell.

    Values are dotted names: `pytest.mark` for `from pytest import mark`; `<local>.helper` for a name the module
    defines itself; a leading dot for relative imports (`..base.Case`); `None` when the name is bound several
    ways and cannot be pinned down.
    """

    bindings: Mapping[str, str | None]
    star_imports: tuple[str, ...] = ()

    def resolve(self, dotted: str) -> str | None:
        """Canonical dotted name for a dotted expression written in the module, or None when unknown."""
        head, dot, rest = dotted.partition(".")
        if head in self.bindings:
            target = self.bindings[head]
        elif self.star_imports:
            return None  # `from x import *` may have bound it
        elif head in BUILTIN_NAMES:
            target = f"builtins.{head}"
        else:
            return None
        if target is None:
            return None
        return f"{target}{dot}{rest}"

    def names_bound_to(self, target: str) -> tuple[str, ...]:
        """Local names bound exactly to `target` (e.g. every alias of the `pytest` module)."""
        return tuple(sorted(name for name, bound in self.bindings.items() if bound == target))


BUILTIN_NAMES = frozenset({"staticmethod", "classmethod", "property", "object"})


@dataclass(frozen=True, slots=True)
class Mark:
    """One `pytest.mark.<name>` application, from a decorator or a `pytestmark` assignment."""

    name: str
    called: bool
    args: tuple[Literal, ...]
    kwargs: tuple[tuple[str, Literal], ...]
    key: NodeKey
    via: str  # "decorator" or "pytestmark"
    #: `pytest.param(..., marks=...)` inside the arguments: per-parameter marks this mark adds.
    has_param_marks: bool = False

    def kwarg(self, name: str, default: Literal = None) -> Literal:
        for key, value in self.kwargs:
            if key == name:
                return value
        return default

    @property
    def has_arguments(self) -> bool:
        return bool(self.args or self.kwargs)


@dataclass(frozen=True, slots=True)
class MarkSet:
    """The marks applied at one level (function, class or module).

    `unknown` says why the set may be incomplete (a computed `pytestmark`, an imported mark alias...), in which
    case a rule must not conclude that a mark is absent.
    """

    marks: tuple[Mark, ...] = ()
    unknown: str | None = None

    def named(self, name: str) -> tuple[Mark, ...]:
        return tuple(mark for mark in self.marks if mark.name == name)


class DecoratorKind(enum.Enum):
    MARK = "mark"
    FIXTURE = "fixture"
    #: Known to keep a coroutine function a coroutine function that pytest collects (hypothesis, mock.patch).
    TRANSPARENT = "transparent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Decorator:
    written: str
    canonical: str | None
    kind: DecoratorKind
    key: NodeKey


class FixtureDecorator(enum.Enum):
    PYTEST = "pytest.fixture"
    PYTEST_ASYNCIO = "pytest_asyncio.fixture"
    PYTEST_TRIO = "pytest_trio.trio_fixture"


@dataclass(frozen=True, slots=True)
class FixtureDef:
    """A fixture definition, as pytest will register it."""

    name: str
    function: str
    path: str
    class_qualname: str | None
    is_async: bool
    is_generator: bool
    decorator: FixtureDecorator
    scope: Literal
    loop_scope: Literal
    autouse: Literal
    requests: tuple[str, ...]
    dynamic_requests: bool
    key: NodeKey
    #: For an async fixture, what its body shows ties it to the loop it runs in (`model.loop_binding`):
    #: (kind, the call as written), e.g. ("task", "asyncio.create_task(...)"); None when nothing does.
    loop_binding: tuple[str, str] | None = None
    #: The `params=` of its decorator (None without one).
    params: Literal = None
    #: What it returns when its body is a single `return <literal>` (a docstring aside); UNKNOWN otherwise.
    returns: Literal = UNKNOWN
    #: Why what it requests is not known (a decorator that may change its signature); `requests` is then empty.
    requests_unknown: str | None = None
    #: For an `event_loop` override: its body makes an event loop (`asyncio.new_event_loop()`), so what it
    #: hands out is a loop of its own, not the one already running. False for any other fixture.
    makes_loop: bool = False


@dataclass(frozen=True, slots=True)
class Function:
    """A module-level function or a method, with what pytest needs to decide whether it is a test."""

    name: str
    qualname: str
    class_qualname: str | None
    is_async: bool
    #: `yield` in the function's own body (not in nested functions).
    is_generator: bool
    decorators: tuple[Decorator, ...]
    marks: MarkSet
    #: The argument names pytest will resolve as fixtures or parameters.
    argnames: tuple[str, ...]
    fixture: FixtureDef | None
    #: `request.getfixturevalue(...)` in the body: the fixture closure is not fully known.
    dynamic_requests: bool
    key: NodeKey


@dataclass(frozen=True, slots=True)
class BaseRef:
    """A base class as written (`unittest.TestCase`) and what it resolves to (see `ImportTable`)."""

    written: str | None
    canonical: str | None


@dataclass(frozen=True, slots=True)
class ClassInfo:
    name: str
    qualname: str
    outer_qualname: str | None
    bases: tuple[BaseRef, ...]
    decorators: tuple[Decorator, ...]
    #: Class decorators and the class body's `pytestmark`.
    marks: MarkSet
    has_init: bool
    #: `__test__ = False` in the body: pytest does not collect the class.
    collect_flag: Literal
    key: NodeKey
    #: The class has a custom metaclass (`metaclass=...`): it may rewrite its methods.
    has_metaclass: bool = False
    #: Methods it defines that can change how its test methods are called (`__init__`, `run`...).
    call_hooks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hook:
    """A `pytest_*` function defined by a conftest or plugin module."""

    name: str
    #: Its body mentions asyncio, coroutines or marks it may add: it may change how async tests run.
    mentions_async: bool
    #: For `pytest_generate_tests`: the argument names its `metafunc.parametrize(...)` calls give, when every
    #: call names them literally (other fixtures keep the values their definitions give); None otherwise.
    parametrizes: tuple[str, ...] | None = None
    #: For `pytest_fixture_setup`: it returns at once for a fixture that is not an `async def` (its source
    #: checks `iscoroutinefunction`/`isasyncgenfunction` first), so plain fixtures keep their own values.
    async_fixtures_only: bool = False


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    path: str
    imports: ImportTable
    module_marks: MarkSet
    classes: tuple[ClassInfo, ...]
    functions: tuple[Function, ...]
    fixtures: tuple[FixtureDef, ...]
    hooks: tuple[Hook, ...]
    #: `pytest_plugins = [...]`; None when the module does not set it, UNKNOWN when it is computed.
    pytest_plugins: tuple[str, ...] | Unknown | None
    #: Marks registered with `config.addinivalue_line("markers", ...)`.
    registered_markers: tuple[str, ...]
    collect_flag: Literal
    #: The module imports pytest_asyncio.
    uses_pytest_asyncio: bool
    #: Values a hook assigns to the asyncio mode (`config.option.asyncio_mode = "auto"` in `pytest_configure`);
    #: UNKNOWN for a conditional or computed one, or for `--asyncio-mode` passed on by code.
    mode_assignments: tuple[Literal, ...] = ()
    #: The module applies an `asyncio` mark: a sign of pytest-asyncio unless the project registers that mark
    #: itself (then it may be a mark of its own).
    applies_asyncio_mark: bool = False
    #: Names of classes by qualname, for quick lookup.
    class_index: Mapping[str, ClassInfo] = field(default_factory=dict)

    def class_named(self, qualname: str) -> ClassInfo | None:
        return self.class_index.get(qualname)
