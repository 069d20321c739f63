"""The shape of a module as far as awaiting is concerned: which names are coroutine functions.

`read_shape` reads a module's source with Python's `ast` (never importing it) and records, for every
module-level name, what it is bound to: a function (`async def`, plain `def`, async generator, or a function
under a decorator that may change it), a class (its bases as written, its methods, the types of attributes
set in its setup methods), an import, or an instance of a class (`client = Client()`). A name bound in more
than one way is ambiguous and never resolves.

`ast` rather than LibCST: these modules (the project's helpers, installed packages) are only read, never
reported on or fixed, and `ast` reads them many times faster with line numbers included.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from asynclint.model.decorators import (
    Decorator,
    DecoratorShape,
    LoopDependent,
    callable_typevars,
    dotted,
    read_decorator,
    read_loop_dependent,
    read_loop_getter,
    written_decorators,
)
from asynclint.model.values import (
    ATTRIBUTE,
    SELF,
    Value,
    annotation_class,
    awaited_class,
    callback_arguments,
    element_class,
    entered_value,
    generic_alias,
    parameter_class,
    read_value,
    stored_values,
)

#: Decorators that leave a coroutine function a coroutine function (matched by their last name).
KEEPING_DECORATORS = frozenset({"staticmethod", "classmethod", "abstractmethod", "override", "final"})
PROPERTY_DECORATORS = frozenset({"property", "cached_property", "setter", "getter", "deleter"})
#: Property decorators under which reading the attribute gives what the function returns.
VALUE_PROPERTIES = frozenset({"property", "cached_property"})
#: Class decorators and metaclasses that leave the methods a class defines as they are written.
METHOD_KEEPING_CLASS_DECORATORS = frozenset(
    {"dataclass", "total_ordering", "final", "runtime_checkable", "unique", "define", "frozen", "mutable"}
)
PLAIN_METACLASSES = frozenset({"ABCMeta", "type"})
#: Methods that set up the attributes a test method uses (`self.client = Client()`).
SETUP_METHODS = frozenset({"__init__", "setUp", "asyncSetUp", "setup_method", "setup", "asyncSetup"})
#: Class methods that set up attributes every test of the class shares (`cls.client = Client()`).
CLASS_SETUP_METHODS = frozenset({"setUpClass", "setup_class", "setUpTestData"})
#: Decorators that make a function a pytest fixture (matched by their last name).
FIXTURE_DECORATORS = frozenset({"fixture", "yield_fixture", "trio_fixture"})
#: Version of the facts a shape holds, part of the key of shapes cached on disk (`coroutines.ShapeCache`): bump
#: it when a field is added or a fact is read differently, so no run meets shapes an older reader cached.
SHAPE_FORMAT = 30


@dataclass(frozen=True, slots=True)
class TypedParameter:
    """A parameter whose annotation asks for one class (`values.parameter_class`): `block: FullBlock`."""

    name: str
    #: Its index among the arguments a call passes by position (for a method called on an object, `self` is
    #: not one of them); None for a keyword-only parameter.
    position: int | None
    #: The class as written in the function's module; "" for a callback parameter (see `callback`).
    written: str
    #: For a parameter annotated `Callable[[A, B], R]`: the classes the callback's positional arguments are
    #: given, as written (None where not one class), so a function passed there knows its parameters.
    callback: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionShape:
    #: "async" (calling it returns a coroutine), "sync", "asyncgen", "property", "async-property" (reading it
    #: gives a coroutine: `@property async def`), or "unknown" (a decorator asynclint does not know may have
    #: replaced it).
    kind: str
    line: int
    #: What it hands out (`model.values`): what a call gives (awaited, for an `async def`), or for a fixture
    #: what the test receives (what it yields, for a generator); None when its source does not say for sure.
    value: Value | None = None
    #: For kind "unknown": what the `def` itself is ("async", "sync", "generator", "asyncgen") and its
    #: decorators, outermost first, for the coroutine index to judge (`model.decorators`).
    undecorated: str | None = None
    decorators: tuple[Decorator, ...] = ()
    #: What the function does used as a decorator (`model.decorators`); None for most functions.
    decorator: DecoratorShape | None = None
    #: Under `@contextmanager`/`@asynccontextmanager` alone: `value` is what `with f() as x` binds.
    context_manager: bool = False
    #: The parameters annotated with one class, for a function whose decorators keep its signature.
    parameters: tuple[TypedParameter, ...] = ()
    #: For a plain function: it returns an awaitable when an event loop runs (`decorators.read_loop_dependent`).
    loop_dependent: LoopDependent | None = None
    #: For a plain function without parameters: the loop check whose result it returns, as written
    #: (`decorators.read_loop_getter`), so that a call of it checks for a running loop too.
    loop_getter: str | None = None
    #: For a plain function: its return annotation names an awaitable (`-> Union[Future, Response]`), so a call
    #: may hand one out, and that the same call is awaited elsewhere is evidence it does there.
    awaitable_return: bool = False
    #: For a plain function annotated to return a context manager of one class (`-> AsyncContextManager[Conn]`):
    #: what `with f() as x` binds.
    enters: Value | None = None
    #: Under `@abstractmethod`: a call runs a subclass's override, which may be of another kind (an abstract
    #: `async def stream()` implemented by async generators, an `async def accept()` by context managers).
    abstract: bool = False


@dataclass(frozen=True, slots=True)
class ClassShape:
    name: str
    line: int
    #: Bases as written (`base.Client`); None for one that is not a plain dotted name.
    bases: tuple[str | None, ...]
    #: Methods by name; None for a class attribute that is not a function (it may hold anything).
    members: Mapping[str, FunctionShape | None]
    #: A metaclass or a class decorator not known by name may rewrite its methods (but see `decorators`).
    dynamic: bool
    #: `__aenter__` / `__enter__` return `self`: `async with Cls() as c` binds an instance.
    enter_returns_self: bool
    #: `self.x = Cls(...)` in a setup method, assigned nowhere else in the class: x -> "Cls" as written.
    attribute_types: Mapping[str, str] = field(default_factory=dict)
    #: The class decorators not known by name, outermost first, when they alone make it dynamic: the coroutine
    #: index reads their source (`model.decorators`), and one that returns the class it is given (`@register`)
    #: leaves the methods written in the body as they are. Empty under a metaclass, which is never read.
    decorators: tuple[Decorator, ...] = ()
    #: For a class whose body defines `__init__`: its parameters after `self` that may be passed by position,
    #: and the attributes it stores arguments in as they are (`self._device = device`: "_device" -> "device"),
    #: each assigned nowhere else in the class. None without an `__init__` of its own.
    init_params: tuple[str, ...] | None = None
    argument_attributes: Mapping[str, str] = field(default_factory=dict)
    #: What a method stores in an attribute assigned nowhere else in the class, when `attribute_types` does not
    #: say (`self.client = await Client.connect()` in `async def start`): reading it before that method ran
    #: raises `AttributeError`, so a value read is that one.
    attribute_values: Mapping[str, Value] = field(default_factory=dict)
    #: Attributes declared in the class body as an awaitable of one class (`ready: Awaitable[Client]`), and
    #: the class awaiting them gives, as written.
    awaited_types: Mapping[str, str] = field(default_factory=dict)
    #: The type parameters a `Generic[...]` base declares (`class Context(Generic[_T])`: "_T"), in order: an
    #: annotation `Context[Response]` fills them, and a method annotated `-> _T` gives that argument.
    type_parameters: tuple[str, ...] = ()
    #: Attributes declared as a collection of one class (`plugs: list[Plug]` in the class body, `self.plugs:
    #: List[Plug] = []` in a setup method), and that class as written: iterating or indexing them gives one.
    attribute_elements: Mapping[str, str] = field(default_factory=dict)
    #: Attributes declared as a mapping to one class (`plugs: dict[str, Plug]`), and that class as written:
    #: indexing them or iterating their `values()` gives one.
    attribute_mapped: Mapping[str, str] = field(default_factory=dict)
    #: For a class whose body defines `__getattr__`: every attribute its methods assign on `self` (`self.x =`),
    #: which `__getattr__` never sees. Empty for other classes.
    self_assigned: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Binding:
    """What a module-level name is bound to. Exactly one field says which kind."""

    function: FunctionShape | None = None
    klass: ClassShape | None = None
    #: An imported name: absolute dotted (`aiohttp.client.ClientSession`) or relative (`..base.Client`).
    imported: str | None = None
    #: `name = Cls(...)`: an instance of the class written so.
    instance_of: str | None = None
    #: `name = Generic[Argument]` (`_RequestContextManager = _BaseRequestContextManager[ClientResponse]`): an
    #: alias of a generic class with its type arguments, as an annotation naming it reads.
    generic: Value | None = None
    #: Bound several ways, or to something else: never resolves.
    opaque: bool = False


OPAQUE = Binding(opaque=True)


@dataclass(frozen=True, slots=True)
class ModuleShape:
    path: str
    names: Mapping[str, Binding]
    star_imports: tuple[str, ...] = ()
    #: A module-level `__getattr__`: names may be created on access.
    dynamic: bool = False


def _own_nodes(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Nodes of a function body, not descending into nested functions, lambdas and classes."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(child)


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = dotted(target)
    return name.rpartition(".")[2] if name is not None else None


def function_shape(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    lines: Sequence[str],
    *,
    method: bool = False,
    typevars: frozenset[str] = frozenset(),
    aliases: frozenset[str] = frozenset(),
) -> FunctionShape | None:
    """None for an `@overload` stub (the implementation that follows is the binding); `method`: defined in a
    class body; `typevars`: the module's TypeVars bound to callables (`def d(f: F) -> F` keeps a function);
    `aliases`: its names for unions (`ResponseT = Union[Awaitable, Any]`), which leave the value to the statements.

    `lines` is the module's source: a function whose text has no `yield` is no generator, so most bodies are
    walked only for their statements (`model.values`), not for every expression.
    """
    names = [_decorator_name(decorator) for decorator in node.decorator_list]
    if "overload" in names:
        return None
    is_async = isinstance(node, ast.AsyncFunctionDef)
    own: list[ast.AST] | None = None
    is_generator = False
    if _mentions(node, lines, "yield"):
        own = list(_own_nodes(node.body))
        is_generator = any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in own)
    value: Value | None = None
    fixture = any(name in FIXTURE_DECORATORS for name in names)
    if (fixture or not is_generator) and all(_keeps_value(decorator) for decorator in node.decorator_list):
        # A fixture hands out what it returns or yields; calling a generator function gives a generator.
        value = read_value(node, lines, own=own, generator=is_generator, method=method, aliases=aliases)
    context_manager = is_generator and len(node.decorator_list) == 1 and _is_context_manager(node.decorator_list[0])
    if context_manager:
        # `@contextmanager`: what it yields is what `with f() as x` binds (the function's kind stays unknown).
        value = read_value(node, lines, own=own, generator=True, method=method, aliases=aliases)
    if any(name in PROPERTY_DECORATORS for name in names):
        # `@property async def data(self)`: each read makes a new coroutine, to be awaited (a `cached_property`
        # hands out the one it made first, which can be awaited once only: not judged).
        getter = names == ["property"]
        kind = "async-property" if getter and is_async and not is_generator else "property"
        held = _returned_attribute(node) if method else None
        if held is not None:
            # `return self._device`: whatever the annotation says, the property gives what the object holds.
            value = Value(ATTRIBUTE, held, on_self=True)
    elif any(name not in KEEPING_DECORATORS for name in names):
        kind = "unknown"
    elif is_async:
        kind = "asyncgen" if is_generator else "async"
    else:
        kind = "sync"
    decorator = read_decorator(node, typevars)
    if kind != "unknown":
        bound = method and "staticmethod" not in names
        parameters = _typed_parameters(node.args, bound) if kind in {"sync", "async"} else ()
        loop_dependent = read_loop_dependent(node) if kind == "sync" else None
        loop_getter = read_loop_getter(node) if kind == "sync" and not method else None
        return FunctionShape(
            kind,
            node.lineno,
            value,
            decorator=decorator,
            parameters=parameters,
            loop_dependent=loop_dependent,
            loop_getter=loop_getter,
            awaitable_return=kind == "sync" and _names_awaitable(node.returns),
            enters=entered_value(node.returns, method=method) if kind == "sync" else None,
            abstract=method and "abstractmethod" in names,
        )
    plain = ("asyncgen" if is_generator else "async") if is_async else ("generator" if is_generator else "sync")
    decorators = written_decorators(node.decorator_list, KEEPING_DECORATORS)
    return FunctionShape(kind, node.lineno, value, plain, decorators, decorator, context_manager)


#: Classes whose instances are awaited for a result, matched by their last name in a return annotation.
_AWAITABLE_ANNOTATIONS = frozenset({"Awaitable", "Coroutine", "Future", "Task", "Deferred"})


def _names_awaitable(annotation: ast.expr | None, depth: int = 0) -> bool:
    """Whether a return annotation names an awaitable anywhere (`Awaitable[T]`, `Union[Future, Response]`,
    `"asyncio.Task[None]"`)."""
    if annotation is None or depth > 2:
        return False
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                quoted = ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                continue
            if _names_awaitable(quoted, depth + 1):
                return True
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if name in _AWAITABLE_ANNOTATIONS:
            return True
    return False


def _typed_parameters(arguments: ast.arguments, bound: bool) -> tuple[TypedParameter, ...]:
    """The parameters annotated with one class; `bound`: the first positional one is `self`/`cls`."""
    found: list[TypedParameter] = []
    positional = [*arguments.posonlyargs, *arguments.args]
    for index, argument in enumerate(positional):
        if bound and index == 0:
            continue
        written = parameter_class(argument.annotation)
        callback = callback_arguments(argument.annotation) if written is None else ()
        if written is not None or callback:
            position = index - 1 if bound else index
            # A positional-only parameter cannot be passed by keyword: its name matches no keyword argument.
            name = argument.arg if index >= len(arguments.posonlyargs) else ""
            found.append(TypedParameter(name, position, written or "", callback))
    for argument in arguments.kwonlyargs:
        written = parameter_class(argument.annotation)
        callback = callback_arguments(argument.annotation) if written is None else ()
        if written is not None or callback:
            found.append(TypedParameter(argument.arg, None, written or "", callback))
    return tuple(found)


def _returned_attribute(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """`name` for a method whose whole body (a docstring aside) is `return self.name`."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    arguments = node.args.args
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not arguments:
        return None
    returned = body[0].value
    if (
        isinstance(returned, ast.Attribute)
        and isinstance(returned.value, ast.Name)
        and returned.value.id == arguments[0].arg
    ):
        return returned.attr
    return None


def _mentions(node: ast.stmt, lines: Sequence[str], word: str) -> bool:
    end = node.end_lineno or node.lineno
    return any(word in line for line in lines[node.lineno - 1 : end])


#: contextlib's decorators that make a generator a context manager (matched by their last name).
CONTEXT_MANAGERS = frozenset({"contextmanager", "asynccontextmanager"})


def _is_context_manager(decorator: ast.expr) -> bool:
    """`@contextmanager` / `@asynccontextmanager` (from contextlib, however imported)."""
    name = dotted(decorator)
    return name is not None and name.rpartition(".")[2] in CONTEXT_MANAGERS


def _keeps_value(decorator: ast.expr) -> bool:
    """Decorators under which the function still hands out what its body says: pytest's fixture decorators
    (pytest-asyncio's and pytest-trio's too), marks, and those that keep a function as it is."""
    name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
    if name is None:
        return False
    last = name.rpartition(".")[2]
    return (
        last in FIXTURE_DECORATORS
        or last in KEEPING_DECORATORS
        or last in VALUE_PROPERTIES
        or name.startswith(("pytest.mark.", "mark."))
    )


def _class_shape(
    node: ast.ClassDef,
    lines: Sequence[str],
    typevars: frozenset[str] = frozenset(),
    aliases: frozenset[str] = frozenset(),
) -> ClassShape:
    members: dict[str, FunctionShape | None] = {}
    seen: dict[str, int] = {}
    enter_self = False
    methods: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for statement in _flatten(node.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            shape = function_shape(statement, lines, method=True, typevars=typevars, aliases=aliases)
            if shape is None:
                continue
            methods.append(statement)
            members[statement.name] = shape
            if statement.name in {"__aenter__", "__enter__"}:
                # `return self`, or annotated to (`-> Self`, `def __aenter__(self: _T) -> _T`).
                enter_self = _returns_self(statement) or shape.value == Value(SELF)
        else:
            for name in _bound_names(statement):
                seen[name] = seen.get(name, 0) + 1
                members[name] = None
    bases = tuple(dotted(base.value if isinstance(base, ast.Subscript) else base) for base in node.bases)
    unknown = [decorator for decorator in node.decorator_list if not _keeps_methods(decorator)]
    metaclass = any(
        keyword.arg == "metaclass" and _last(keyword.value) not in PLAIN_METACLASSES for keyword in node.keywords
    )
    dynamic = bool(unknown) or metaclass
    init_params, argument_attributes = _init_arguments(node, methods, lines)
    attribute_types = _attribute_types(node, methods, lines)
    elements = _attribute_elements(node, methods)
    return ClassShape(
        name=node.name,
        line=node.lineno,
        bases=bases,
        members=members,
        dynamic=dynamic,
        enter_returns_self=enter_self,
        # Attribute types come from setup methods; classes without one (most) need no walk of their bodies.
        attribute_types=attribute_types,
        decorators=written_decorators(unknown, frozenset()) if not metaclass else (),
        init_params=init_params,
        argument_attributes=argument_attributes,
        attribute_values=_attribute_values(node, methods, lines, {*attribute_types, *members}),
        awaited_types=_awaited_types(node),
        type_parameters=_type_parameters(node),
        attribute_elements={name: written for name, (written, keyed) in elements.items() if not keyed},
        attribute_mapped={name: written for name, (written, keyed) in elements.items() if keyed},
        self_assigned=tuple(sorted(set(_SELF_ASSIGNMENT.findall(_class_text(node, lines)))))
        if "__getattr__" in members
        else (),
    )


def _type_parameters(node: ast.ClassDef) -> tuple[str, ...]:
    """The names a `Generic[...]` base lists (only plain names); () without one."""
    for base in node.bases:
        if isinstance(base, ast.Subscript) and _last(base.value) == "Generic":
            arguments = base.slice.elts if isinstance(base.slice, ast.Tuple) else [base.slice]
            if all(isinstance(argument, ast.Name) for argument in arguments):
                return tuple(argument.id for argument in arguments if isinstance(argument, ast.Name))
    return ()


#: `self.name =` (not `==`): a cheap first filter for attributes a method assigns.
_SELF_ASSIGNMENT = re.compile(r"\bself\.(\w+)\s*=(?!=)")


def _attribute_values(
    node: ast.ClassDef,
    methods: Sequence[ast.FunctionDef | ast.AsyncFunctionDef],
    lines: Sequence[str],
    known: set[str],
) -> dict[str, Value]:
    """`ClassShape.attribute_values`: only the methods that assign such an attribute have their bodies read."""
    text = _class_text(node, lines)
    candidates = {name for name in set(_SELF_ASSIGNMENT.findall(text)) - known if _assigned_once(text, name)}
    if not candidates:
        return {}
    found: dict[str, Value] = {}
    for method in methods:
        method_text = "\n".join(lines[method.lineno - 1 : method.end_lineno or method.lineno])
        wanted = frozenset(name for name in candidates if re.search(rf"\.{re.escape(name)}\s*=(?!=)", method_text))
        if wanted:
            found.update(stored_values(method, lines, wanted))
    return found


def _attribute_elements(
    node: ast.ClassDef, methods: Sequence[ast.FunctionDef | ast.AsyncFunctionDef]
) -> dict[str, tuple[str, bool]]:
    """`ClassShape.attribute_elements` and `attribute_mapped` (each name with whether it is a mapping):
    declarations only, in the class body or on `self` in a setup method, as `_attribute_types` reads one."""
    found: dict[str, tuple[str, bool]] = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            written = element_class(statement.annotation)
            if written is not None:
                found[statement.target.id] = written
    for method in methods:
        if method.name not in SETUP_METHODS | CLASS_SETUP_METHODS or not method.args.args:
            continue
        self_name = method.args.args[0].arg
        for statement in _flatten(method.body):
            if not isinstance(statement, ast.AnnAssign):
                continue
            target = statement.target
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == self_name
            ):
                written = element_class(statement.annotation)
                if written is not None:
                    found.setdefault(target.attr, written)
    return found


def _awaited_types(node: ast.ClassDef) -> dict[str, str]:
    """`ClassShape.awaited_types`."""
    found: dict[str, str] = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            written = awaited_class(statement.annotation)
            if written is not None:
                found[statement.target.id] = written
    return found


def _init_arguments(
    node: ast.ClassDef, methods: Sequence[ast.FunctionDef | ast.AsyncFunctionDef], lines: Sequence[str]
) -> tuple[tuple[str, ...] | None, dict[str, str]]:
    """`init_params` and `argument_attributes` of a class (see `ClassShape`)."""
    init = next((method for method in methods if method.name == "__init__"), None)
    if init is None or not init.args.args:
        return None, {}
    arguments = init.args
    self_name = arguments.args[0].arg
    positional = tuple(arg.arg for arg in (*arguments.posonlyargs, *arguments.args[1:]))
    names = {*positional, *(arg.arg for arg in arguments.kwonlyargs)}
    stored: dict[str, str] = {}
    for statement in _flatten(init.body):
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
            continue
        target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
        value = statement.value
        if (
            (not isinstance(statement, ast.Assign) or len(statement.targets) == 1)
            and isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == self_name
            and isinstance(value, ast.Name)
            and value.id in names
        ):
            stored[target.attr] = value.id
    if stored:
        text = _class_text(node, lines)
        stored = {attribute: parameter for attribute, parameter in stored.items() if _assigned_once(text, attribute)}
    return positional, stored


def _class_text(node: ast.ClassDef, lines: Sequence[str]) -> str:
    return "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno])


def _assigned_once(text: str, attribute: str) -> bool:
    """Whether a class's text assigns `<anything>.attribute` once (`=`, an annotated or augmented assignment),
    not counting `= None`: an attribute that is None has no methods, so where a method of it is called it holds
    the one other value (`self.client = None` in `setUp`, `self.client = Client()` in a test)."""
    escaped = re.escape(attribute)
    cleared = len(re.findall(rf"\.{escaped}\s*(?::[^=\n]*)?=\s*None[ \t]*(?:#.*)?$", text, re.MULTILINE))
    return _assignments(text, attribute) - cleared == 1


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _assignments(text: str, attribute: str) -> int:
    """How many times a class's text assigns `<anything>.attribute` (`=`, annotated or augmented)."""
    escaped = re.escape(attribute)
    return len(re.findall(rf"\.{escaped}\s*(?::[^=\n]*)?(?:[-+*/|&%@^]|//|\*\*|>>|<<)?=(?!=)", text))


def _last(expr: ast.expr) -> str | None:
    name = dotted(expr)
    return name.rpartition(".")[2] if name is not None else None


def _keeps_methods(decorator: ast.expr) -> bool:
    """Class decorators known to leave methods as written (`dataclass`, `six.add_metaclass(ABCMeta)`...)."""
    if isinstance(decorator, ast.Call):
        name = _last(decorator.func)
        if name == "add_metaclass":
            return len(decorator.args) == 1 and _last(decorator.args[0]) in PLAIN_METACLASSES
        return name in METHOD_KEEPING_CLASS_DECORATORS
    return _last(decorator) in METHOD_KEEPING_CLASS_DECORATORS


def _returns_self(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    returns = [child for child in _own_nodes(node.body) if isinstance(child, ast.Return)]
    return bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id == "self" for r in returns)


def _attribute_types(
    node: ast.ClassDef, methods: Sequence[ast.FunctionDef | ast.AsyncFunctionDef], lines: Sequence[str]
) -> dict[str, str]:
    """The classes of instance attributes, as dotted names written in the class's module: `self.x = Cls(...)`
    in a setup method for an attribute assigned nowhere else in the class (a call's value is what calling the
    name gives), else the attribute's declared class: `x: Cls` in the class body (dataclass fields, attrs,
    declarations), `self.x: Cls = ...` or `self.x = param` with `param: Cls` in a setup method.

    The setup methods' statements are read from the tree; "nowhere else" is checked on the class's source text
    (one search per attribute instead of a walk of every method).
    """
    declared: dict[str, str | None] = {}
    in_body: dict[str, str | None] = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            declared[statement.target.id] = annotation_class(statement.annotation)
        elif isinstance(statement, ast.Assign):
            # `client = Client()` in the class body: what instances see, unless a method assigns it too.
            for assigned in statement.targets:
                for name in _target_names(assigned):
                    single = len(statement.targets) == 1 and isinstance(assigned, ast.Name)
                    call = statement.value if single and isinstance(statement.value, ast.Call) else None
                    in_body[name] = None if name in in_body or call is None else dotted(call.func)
    found: dict[str, str | None] = {}
    for method in methods:
        if method.name not in SETUP_METHODS | CLASS_SETUP_METHODS or not method.args.args:
            continue
        self_name = method.args.args[0].arg
        every = (*method.args.posonlyargs, *method.args.args[1:], *method.args.kwonlyargs)
        params = {arg.arg: annotation_class(arg.annotation) for arg in every if arg.annotation is not None}
        names = {arg.arg for arg in every} | {arg.arg for arg in (method.args.vararg, method.args.kwarg) if arg}
        for statement in _flatten(method.body):
            if isinstance(statement, ast.AnnAssign):
                target: ast.expr = statement.target
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == self_name
                ):
                    declared.setdefault(target.attr, annotation_class(statement.annotation))
                continue
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target = statement.targets[0]
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
                continue
            if target.value.id != self_name:
                continue
            value = statement.value
            if isinstance(value, ast.Constant) and value.value is None:
                continue  # cleared: see `_assigned_once`
            if isinstance(value, ast.Name) and params.get(value.id) is not None:
                # `self.device = device` with `device: Device`: an instance of the parameter's class.
                declared.setdefault(target.attr, params[value.id])
                written = None
            else:
                written = dotted(value.func) if isinstance(value, ast.Call) else None
                head, _, rest = (written or "").partition(".")
                if written is not None and head in names:
                    # `self.cache = config.to_cache()` with `config: CacheConfig`: what that method gives; a
                    # parameter without a class (or shadowing a module's name) leaves it unknown.
                    written = f"{params[head]}.{rest}" if rest and params.get(head) is not None else None
            found[target.attr] = None if target.attr in found else written
    result = {attribute: written for attribute, written in declared.items() if written is not None}
    if not found and not in_body:
        return result
    text = _class_text(node, lines)
    defined = {statement.name for statement in node.body if isinstance(statement, _DEFINITIONS)}
    for attribute, written in in_body.items():
        if written is None or attribute in declared or attribute in defined:
            continue
        if _assignments(text, attribute) == 0:
            result[attribute] = written
    for attribute, written in found.items():
        if written is not None and _assigned_once(text, attribute):
            result[attribute] = written
    return result


_TRY: tuple[type[ast.Try], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))


def _flatten(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements at this level, looking into `if`/`try`/`with` blocks (their bindings are at this level)."""
    for statement in body:
        if isinstance(statement, ast.If):
            yield from _flatten(statement.body)
            yield from _flatten(statement.orelse)
        elif isinstance(statement, _TRY):
            yield from _flatten(statement.body)
            for handler in statement.handlers:
                yield from _flatten(handler.body)
            yield from _flatten(statement.orelse)
            yield from _flatten(statement.finalbody)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _flatten(statement.body)
        else:
            yield statement


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _bound_names(statement: ast.stmt) -> Iterator[str]:
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield from _target_names(target)
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        if statement.value is not None or isinstance(statement, ast.AugAssign):
            yield from _target_names(statement.target)
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        yield from _target_names(statement.target)
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            yield alias.asname or alias.name.partition(".")[0]
    elif isinstance(statement, ast.Delete):
        for target in statement.targets:
            yield from _target_names(target)


def read_shape(source: str | bytes, path: str) -> ModuleShape | None:
    """The shape of a module, or None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    text = source.decode("utf-8", errors="replace") if isinstance(source, bytes) else source
    lines = text.splitlines()
    bindings: dict[str, list[Binding]] = {}
    star: list[str] = []
    top_level = {id(statement) for statement in tree.body}
    #: Names whose last binding is a statement of the module's own body (not inside `if`/`try`/`with`): it
    #: replaces every binding before it, so importers see it (`Alias = Base` then `class Alias(Base): ...`).
    last_unconditional: dict[str, Binding] = {}
    current: list[ast.stmt] = []

    def bind(name: str, binding: Binding) -> None:
        bindings.setdefault(name, []).append(binding)
        if current and id(current[0]) in top_level:
            last_unconditional[name] = binding
        else:
            last_unconditional.pop(name, None)

    typevars = callable_typevars(list(_flatten(tree.body))) if "TypeVar" in text else frozenset()
    aliases = union_aliases(tree.body) if "Union" in text or "Optional" in text or "|" in text else frozenset()
    typing_only = _type_checking_statements(tree.body) if "TYPE_CHECKING" in text else set()
    placeholders: set[str] = set()
    typed: dict[str, list[Binding]] = {}

    def bind_typed(name: str, binding: Binding) -> None:
        bind(name, binding)
        typed.setdefault(name, []).append(binding)

    for statement in _flatten(tree.body):
        current[:] = [statement]
        if id(statement) in typing_only:
            # `if TYPE_CHECKING: DeviceType = zigpy.device.Device`: what annotations naming it mean.
            _bind_statement(statement, bind_typed, star, lines, typevars, aliases)
            continue
        if _is_placeholder(statement):
            placeholders.update(_bound_names(statement))
        _bind_statement(statement, bind, star, lines, typevars, aliases)
    names: dict[str, Binding] = {}
    for name, found in bindings.items():
        distinct: list[Binding] = []
        for binding in found:  # bindings hold dicts: compared, not hashed
            if all(binding != other for other in distinct):
                distinct.append(binding)
        names[name] = distinct[0] if len(distinct) == 1 else last_unconditional.get(name, OPAQUE)
        alternatives = typed.get(name, [])
        if len(distinct) > 1 and name in placeholders and len(alternatives) == 1:
            # A runtime placeholder (`DeviceType = "Device"`) with the real name bound for type checkers.
            names[name] = alternatives[0]
    dynamic = "__getattr__" in names
    return ModuleShape(path=path, names=names, star_imports=tuple(star), dynamic=dynamic)


def union_aliases(body: Sequence[ast.stmt]) -> frozenset[str]:
    """Module-level names of a union or an optional (`ResponseT = Union[Awaitable, Any]`, `Maybe = A | None`,
    `X: TypeAlias = Optional[A]`): an annotation naming one says the value may be of several classes."""
    found: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
            found.add(target.id)
        elif isinstance(value, ast.Subscript):
            outer = dotted(value.value)
            if outer is not None and outer.rpartition(".")[2] in {"Union", "Optional"}:
                found.add(target.id)
    return frozenset(found)


def _bind_statement(
    statement: ast.stmt,
    bind: Callable[[str, Binding], None],
    star: list[str],
    lines: Sequence[str],
    typevars: frozenset[str],
    aliases: frozenset[str] = frozenset(),
) -> None:
    """Record what one module-level statement binds."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        shape = function_shape(statement, lines, typevars=typevars, aliases=aliases)
        if shape is not None:
            bind(statement.name, Binding(function=shape))
    elif isinstance(statement, ast.ClassDef):
        bind(statement.name, Binding(klass=_class_shape(statement, lines, typevars, aliases)))
    elif isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname:
                bind(alias.asname, Binding(imported=alias.name))
            else:
                head = alias.name.partition(".")[0]
                bind(head, Binding(imported=head))
    elif isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
        for alias in statement.names:
            if alias.name == "*":
                star.append(module)
                continue
            separator = "" if module.endswith(".") else "."
            bind(alias.asname or alias.name, Binding(imported=f"{module}{separator}{alias.name}"))
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            bind(target.id, _assigned(statement.value))
        else:
            for name in _bound_names(statement):
                bind(name, OPAQUE)
    else:
        for name in _bound_names(statement):
            bind(name, OPAQUE)


def _type_checking_statements(body: Sequence[ast.stmt]) -> set[int]:
    """Ids of the module-level statements under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    found: set[int] = set()
    for statement in body:
        if isinstance(statement, ast.If) and _last(statement.test) == "TYPE_CHECKING":
            found.update(id(inner) for inner in _flatten(statement.body))
        elif isinstance(statement, (ast.If, *_TRY)):
            for block in ("body", "orelse", "finalbody"):
                found |= _type_checking_statements(getattr(statement, block, []))
    return found


def _is_placeholder(statement: ast.stmt) -> bool:
    """`DeviceType = "Device"`, `Client = None`, `Client = Any`: a name given no real value at runtime."""
    if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return False
    value = statement.value
    if isinstance(value, ast.Constant):
        return value.value is None or isinstance(value.value, str)
    return _last(value) in {"Any", "object"}


def _assigned(value: ast.expr) -> Binding:
    """`alias = other.name` keeps the reference; `client = Client()` records an instance; others are opaque."""
    written = dotted(value)
    if written is not None:
        return Binding(imported=f"<alias>{written}")
    if isinstance(value, ast.Call):
        callee = dotted(value.func)
        if callee is not None:
            return Binding(instance_of=callee)
    if isinstance(value, ast.Subscript):
        alias = generic_alias(value)
        if alias is not None:
            return Binding(generic=alias)
    return OPAQUE
