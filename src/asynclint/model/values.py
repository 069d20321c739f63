"""What a function hands out, as far as its source says: the facts behind "this value is a `Client`".

`read_value` reads it from a function's `ast` (for `model.shapes`): the return annotation (`-> Client`,
`-> AsyncIterator[Client]` for a generator, `-> Self`, `-> Callable[..., Client]`, `-> tuple[Client, Server]`),
else the values of its `return` statements (of its `yield`s for a generator) when they all agree. It records
what is written, as the function's module names it (`Client`, `make_client`, `Client.connect`); the coroutine
index resolves that (`CoroutineIndex.value`) when a test uses the value, across modules. A tuple
(`yield client, server`) is followed element by element: an element is known when every path hands out the
same there, and tuples of different lengths give nothing. A name unpacked from a call (`a, b = await setup()`)
is that call's element; in a method, `self.device.request(...)` and `self._group` are read through what the
class declares (`Value.on_self`). A call not awaited of a coroutine function hands out a coroutine: a plain
`def` returning one is, for its callers, as good as an `async def`.

Whatever may hand out something else gives no value: a path that returns another class, `None` or something
unknown, or falls off the end of the function; an `Optional[...]` or `X | None` annotation (a value that may
be `None` is another class on that path, as for a branch returning `None`); a name bound in a way not followed
(a parameter, a loop variable, an assignment expression, `global`); an attribute of the value set in the body;
anything the body patches (`monkeypatch.setattr`, `patch`).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from asynclint.model.decorators import dotted, own_nodes

#: An instance of the class `written` names (an annotation).
INSTANCE = "instance"
#: What calling `written` gives: an instance for a class, the value of a function.
CALL = "call"
#: What awaiting a call of `written` gives (`return await Client.connect()`).
AWAIT = "await"
#: What `with written(...) as v` binds: the instance only when its `__enter__`/`__aenter__` returns self.
ENTER = "enter"
#: An instance of the class the method is called through (`return cls(...)`, `-> Self`, `return self`).
SELF = "self"
#: A tuple of a fixed length (`return client, server`, `-> tuple[Client, Server]`): see `Value.elements`.
ITEMS = "items"
#: What an attribute chain of the object holds (`return self._group`, with `on_self`).
ATTRIBUTE = "attribute"
#: One element of what `written` names (`a, b = await setup()` then `yield a`): see `Value.element`.
ELEMENT = "element"
#: A mock (`mock.sentinel.device`): its attributes and what calling them gives are mocks too.
MOCK = "mock"
#: What awaiting an attribute of the object gives (`await self.ready` with `ready: Awaitable[Client]`):
#: `written` is the chain after `self` (`on_self`).
AWAITED = "awaited"

#: Callables that make a mock (matched by their last name), and `mock.sentinel`'s objects: an object made
#: with one of these as an argument may hold a mock wherever the class declares a collaborator.
PLAIN_MOCK_MAKERS = frozenset({"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "create_autospec"})
ASYNC_MOCK_MAKERS = frozenset({"AsyncMock", "CoroutineMock"})
MOCK_MAKERS = PLAIN_MOCK_MAKERS | ASYNC_MOCK_MAKERS
#: Generic wrappers whose first argument is what a generator yields: `AsyncIterator[Client]` -> `Client`.
YIELD_WRAPPERS = frozenset({"AsyncIterator", "AsyncGenerator", "Iterator", "Generator", "AsyncIterable", "Iterable"})
#: Annotations of a tuple whose arguments are its elements' classes: `tuple[Client, Server]`.
_TUPLES = frozenset({"tuple", "Tuple"})
_BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
#: Annotations that say nothing about the value: the statements decide.
_VAGUE = frozenset({"Any", "object"})
#: Annotations of a value that may be of several classes, or of none.
_UNCERTAIN = frozenset({"Optional", "Union", "NoReturn", "Never", "Awaitable", "Coroutine", "TypeGuard"})
#: Words of a body that may replace the value, or what it is bound to, behind the statements' back.
#: An attribute assignment somewhere in a function's text (`node.wallet = ...`): a cheap first filter.
_SETS_ATTRIBUTE = re.compile(r"\w\.\w+\s*=[^=]")
_PATCHES = re.compile(r"\b(?:patch|setattr|nonlocal)\b")
_TRY: tuple[type[ast.stmt], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class Value:
    """What a function hands out: one of the kinds above, or a function (a factory) whose calls give that."""

    kind: str
    #: A dotted name as written in the function's module (or, when `imported`, an import target).
    written: str = ""
    #: `written` is an import target (`app.client.Client`, `.client.Client`): the function imports it itself.
    imported: bool = False
    #: "sync" or "async": the value is a function of that kind (a factory fixture's inner `def`, a
    #: `Callable[..., Client]`), and calling it gives what the fields above say; "": the value itself.
    factory: str = ""
    #: The factory's line, for messages.
    line: int = 0
    #: For kind `ITEMS`: what each element of the tuple is, None for one not known (unpacking binds each name
    #: to its own element, so one unknown element leaves the others known).
    elements: tuple[Value | None, ...] = ()
    #: Attributes the function sets on the value before handing it out (`obj.client = FakeClient()`), and what
    #: each then holds (None: not known): they replace what the class declares.
    attribute_names: tuple[str, ...] = ()
    attribute_values: tuple[Value | None, ...] = ()
    #: `written` is an attribute chain of the object a method is called on (`self.device.request`, written
    #: `device.request`): the coroutine index follows it from the class the method was looked up on.
    on_self: bool = False
    #: For kind `CALL`: what each argument is (None for one not known), by position and by keyword (names and
    #: values side by side); `arguments` is None when the call unpacks `*args` or `**kwargs` (which parameter
    #: gets what is not written), and when it passes nothing.
    arguments: tuple[Value | None, ...] | None = None
    keyword_names: tuple[str, ...] = ()
    keyword_values: tuple[Value | None, ...] = ()
    #: For kinds `CALL` and `AWAIT`: an argument of the call is a mock (`Endpoint(MagicMock(), 1)`), so the attributes
    #: of the instance made may hold mocks rather than what the class declares.
    mocked: bool = False
    #: For kind `ELEMENT`: the tuple (a value of its own), the element's position in it and its length.
    of: Value | None = None
    index: int = 0
    size: int = 0
    #: For kind `CALL` of a mock class (`AsyncMock(...)`): the mock has a spec (a positional argument, `spec=`,
    #: `spec_set=`, `wraps=`) or arguments not written (`**config`), so its attributes follow that.
    spec: bool = False
    #: `written` starts at one of the function's parameters without a default (`return make_app({})`,
    #: `return server.client`): for a fixture, what pytest passes for it is another fixture's value
    #: (`FixtureTypes`); for any other function it is not known.
    parameter: bool = False
    #: For kind `INSTANCE` of a generic class (`Context[Response]`): what each type argument names, None for
    #: one that is not a class.
    type_arguments: tuple[Value | None, ...] = ()


@dataclass(eq=False)
class _Bound:
    """One binding of a local name: how, by which statement, and the value it binds."""

    how: str  # "assign", "unpack", "with", "def", "import", "other"
    statement: ast.stmt
    expr: ast.expr | None = None
    target: str = ""
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    #: For "unpack" (`a, b = expr`): the name's position in the target tuple, and the tuple's length.
    index: int = -1
    size: int = 0


@dataclass(eq=False)
class _Body:
    """A function's own statements (not those of nested functions and classes), with where each one sits."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    lines: Sequence[str]
    #: Names of enclosing functions' locals: a nested function reading one gets whatever the caller set.
    enclosing: frozenset[str]
    statements: list[ast.stmt] = field(default_factory=list)
    #: statement -> (the block holding it, its index there, the statement holding that block)
    place: dict[ast.stmt, tuple[list[ast.stmt], int, ast.stmt | None]] = field(default_factory=dict)
    bound: dict[str, list[_Bound]] = field(default_factory=dict)
    params: set[str] = field(default_factory=set)
    #: Parameters a fixture requests from pytest: those without a default, but `self`/`cls` (`Value.parameter`).
    requested: set[str] = field(default_factory=set)
    #: Names an attribute of which the body assigns (`client.token = ...`): the value may be changed.
    changed: set[str] = field(default_factory=set)
    #: For each name in `changed`, the attributes whose values change (`self.lock: Lock = ...`, `self.a.b = 1`:
    #: "lock" and "a"; "" for a subscript of the name itself).
    changed_parts: dict[str, set[str]] = field(default_factory=dict)
    #: `name.attr = expr` statements (one attribute deep), by name and attribute: what the value then holds.
    set_attributes: dict[str, dict[str, list[ast.stmt]]] = field(default_factory=dict)
    #: `name.a.b = expr` statements (attributes only, deeper than one), by name and chain (`a.b`); also in
    #: `changed`. How many changes `changed` counts for each name tells whether these are all of them.
    set_chains: dict[str, dict[str, list[ast.stmt]]] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    self_name: str | None = None
    cls_name: str | None = None

    def walk(self, block: list[ast.stmt], owner: ast.stmt | None) -> None:
        for index, statement in enumerate(block):
            self.statements.append(statement)
            self.place[statement] = (block, index, owner)
            self._note(statement)
            if isinstance(statement, _DEFS):
                continue
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(statement, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    self.walk(inner, statement)
            for handler in getattr(statement, "handlers", ()):
                if handler.name:
                    self._bind(handler.name, "other", statement)
                self.walk(handler.body, statement)
            for case in getattr(statement, "cases", ()):
                self.walk(case.body, statement)

    def _bind(self, name: str, how: str, statement: ast.stmt, **details: object) -> None:
        self.bound.setdefault(name, []).append(_Bound(how, statement, **details))  # type: ignore[arg-type]

    def _note(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and len(statement.targets) == 1:
                    self._bind(target.id, "assign", statement, expr=statement.value)
                elif (
                    isinstance(target, (ast.Tuple, ast.List))
                    and len(statement.targets) == 1
                    and all(isinstance(element, ast.Name) for element in target.elts)
                ):
                    # `a, b = await setup()`: each name is one element of what the right side gives.
                    for index, element in enumerate(target.elts):
                        assert isinstance(element, ast.Name)
                        self._bind(
                            element.id, "unpack", statement, expr=statement.value, index=index, size=len(target.elts)
                        )
                else:
                    self._targets(target, statement)
        elif isinstance(statement, ast.AnnAssign):
            if isinstance(statement.target, ast.Name) and statement.value is not None:
                self._bind(statement.target.id, "assign", statement, expr=statement.value)
            else:
                self._targets(statement.target, statement)
        elif isinstance(statement, (ast.AugAssign, ast.For, ast.AsyncFor)):
            self._targets(statement.target, statement)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                if isinstance(item.optional_vars, ast.Name):
                    self._bind(item.optional_vars.id, "with", statement, expr=item.context_expr)
                elif item.optional_vars is not None:
                    self._targets(item.optional_vars, statement)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._bind(statement.name, "def", statement, node=statement)
        elif isinstance(statement, ast.ClassDef):
            self._bind(statement.name, "other", statement)
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    self._bind(alias.asname, "import", statement, target=alias.name)
                else:
                    head = alias.name.partition(".")[0]
                    self._bind(head, "import", statement, target=head)
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            separator = "" if module.endswith(".") else "."
            for alias in statement.names:
                self._bind(alias.asname or alias.name, "import", statement, target=f"{module}{separator}{alias.name}")
        elif isinstance(statement, (ast.Global, ast.Nonlocal)):
            for name in statement.names:
                self._bind(name, "other", statement)
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                self._targets(target, statement)

    def _targets(self, target: ast.expr, statement: ast.stmt) -> None:
        """Names bound by a target this does not follow (tuples, attributes of a name, loop variables...)."""
        if isinstance(target, ast.Name):
            self._bind(target.id, "other", statement)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._targets(element, statement)
        elif isinstance(target, ast.Starred):
            self._targets(target.value, statement)
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
        ):
            # `obj.client = FakeClient()`: the value keeps its class, with this attribute replaced.
            self.set_attributes.setdefault(target.value.id, {}).setdefault(target.attr, []).append(statement)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            first: ast.expr = target
            base = target.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                first, base = base, base.value
            if isinstance(base, ast.Name):
                self.changed.add(base.id)
                part = first.attr if isinstance(first, ast.Attribute) else ""
                self.changed_parts.setdefault(base.id, set()).add(part)
                self.changes[base.id] = self.changes.get(base.id, 0) + 1
                chain = dotted(target)
                if chain is not None and isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    # `mock.return_value.fetch.side_effect = ...`: what a mock made here holds there.
                    rest = chain.partition(".")[2]
                    self.set_chains.setdefault(base.id, {}).setdefault(rest, []).append(statement)

    def runs_before(self, first: ast.stmt, then: ast.stmt) -> bool:
        """Whether `first` has always run when `then` is reached: it comes earlier in a block holding `then`."""
        block, index, _ = self.place[first]
        current: ast.stmt | None = then
        while current is not None:
            holder, position, owner = self.place[current]
            if holder is block:
                return index < position
            current = owner
        return False


def read_value(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    lines: Sequence[str],
    *,
    own: Sequence[ast.AST] | None,
    generator: bool,
    method: bool,
    enclosing: frozenset[str] = frozenset(),
    inherited_self: str | None = None,
    aliases: frozenset[str] = frozenset(),
) -> Value | None:
    """What calling `node` gives (or, for a generator, what it yields); `own` holds the nodes of its own body
    when they were walked (a generator's), `method` says it is defined in a class body, `inherited_self` names
    the enclosing method's `self` for a function nested in one. For `__await__`, what awaiting the object
    gives (`-> Generator[Any, Any, Self]`, `return self.start().__await__()`)."""
    text = "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno])
    annotation = node.returns
    if node.name == "__await__" and method:
        if generator:
            return None  # what it yields is not what awaiting gives: its `return` is
        annotation = _generator_result(annotation)
    annotated = _annotation(annotation, generator=generator, method=method, enclosing=enclosing)
    if method and _self_typed(node, annotation):
        annotated = Value(SELF)  # `def initialize(self: _T) -> _T`: the object it is called on (or made through)
    if isinstance(annotated, Value) and annotated.kind == INSTANCE and annotated.written in aliases:
        annotated = _STATEMENTS  # `-> ResponseT` with `ResponseT = Union[Awaitable, Any]`: the statements decide
    if annotated is not _STATEMENTS and not (isinstance(annotated, Value) and _SETS_ATTRIBUTE.search(text)):
        return annotated if isinstance(annotated, Value) else None
    if ":=" in text:
        return None
    patched = bool(_PATCHES.search(text)) and _may_patch_what_it_hands(node)
    body = _read_body(node, lines, method=method, enclosing=enclosing, inherited_self=inherited_self)
    if patched:
        # A patch may replace what the value is made with; not a mock made here of nothing but mocks.
        if annotated is not _STATEMENTS or any(isinstance(statement, ast.Match) for statement in body.statements):
            return None
        found = _handed_value(node, body, own=own, generator=generator)
        return found if found is not None and _made_mock(found) else None
    if isinstance(annotated, Value):
        # Annotated, but the body sets attributes of a name: what it hands out is read from its statements
        # (those attributes replace the declared ones), unless no handed-out name is one of them.
        handed_names = {
            child.value.id
            for child in ast.walk(node)
            if isinstance(child, (ast.Return, ast.Yield)) and isinstance(child.value, ast.Name)
        }
        if not handed_names & (set(body.set_attributes) | body.changed):
            return annotated
    if any(isinstance(statement, ast.Match) for statement in body.statements):
        return None  # its patterns bind names this does not follow
    return _handed_value(node, body, own=own, generator=generator)


def _read_body(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    lines: Sequence[str],
    *,
    method: bool,
    enclosing: frozenset[str],
    inherited_self: str | None,
) -> _Body:
    """The function's statements walked, knowing its parameters: which is `self` or `cls`, and which a fixture
    requests (a plain parameter of a module-level function)."""
    body = _Body(node, lines, enclosing)
    arguments = node.args
    params = [*arguments.posonlyargs, *arguments.args]
    body.params = {a.arg for a in (*params, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg) if a}
    if method and params:
        decorators = {_last(decorator) for decorator in node.decorator_list}
        if "classmethod" in decorators:
            body.cls_name = params[0].arg
        elif "staticmethod" not in decorators:
            body.self_name = params[0].arg
    if inherited_self is not None and inherited_self not in body.params:
        body.self_name = inherited_self
    if not enclosing and inherited_self is None:
        defaulted = len(arguments.defaults)
        plain = params[: len(params) - defaulted] if defaulted else params
        keyword_only = [a for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is None]
        body.requested = {a.arg for a in (*plain, *keyword_only)} - {body.self_name, body.cls_name}
    body.walk(node.body, None)
    return body


def _handed_value(
    node: ast.FunctionDef | ast.AsyncFunctionDef, body: _Body, *, own: Sequence[ast.AST] | None, generator: bool
) -> Value | None:
    """What every `yield` (for a generator) or `return` hands out, when they all agree."""
    if generator:
        if own is None:
            return None
        yields = [child for child in own if isinstance(child, (ast.Yield, ast.YieldFrom))]
        sites = [
            (statement.value, statement)
            for statement in body.statements
            if isinstance(statement, (ast.Expr, ast.Assign)) and isinstance(statement.value, ast.Yield)
        ]
        if len(sites) != len(yields):
            return None  # a `yield from`, or a yield inside another expression
        handed: list[tuple[ast.expr | None, ast.stmt]] = [
            (site.value, statement) for site, statement in sites if isinstance(site, ast.Yield)
        ]
    else:
        returns = [statement for statement in body.statements if isinstance(statement, ast.Return)]
        if not returns or not _exits(node.body):
            return None  # no `return`, or a path falling off the end: `None` there
        handed = [(statement.value, statement) for statement in returns]
    return _agree([_evaluate(body, expr, statement) if expr is not None else None for expr, statement in handed])


#: Calls that replace an attribute of an object or a module (`mock.patch.object`, `monkeypatch.setattr`).
_PATCH_CALLS = frozenset({"patch", "object", "multiple", "dict", "setattr", "setitem", "delattr", "delitem"})
#: A module-level setting's name (`TIMEOUT`, `APS_ACK_TIMEOUT`): patching one changes no class or function.
_SETTING = re.compile(r"[A-Z][A-Z0-9_]*")


def _may_patch_what_it_hands(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a patch in the function (or its decorators) may change what its statements hand out. Only
    patches of settings are told apart: `monkeypatch.setattr(app_module, "ACK_TIMEOUT", 0.05)`, `patch(
    "app.client.RETRIES", 0)`, `patch.dict(os.environ, ...)`; any other patch, `setattr` or `nonlocal` may
    replace a class or function the value is made with."""
    nodes = list(ast.walk(node))
    # The functions calls are made through, and what `mock.patch.object(...)` hangs from (`mock.patch`).
    called = {id(child.func) for child in nodes if isinstance(child, ast.Call)}
    called |= {
        id(child.func.value) for child in nodes if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
    }
    through: set[str] | None = None
    for child in nodes:
        if isinstance(child, ast.Nonlocal):
            through = _handed_through(node) if through is None else through
            if through & set(child.names):
                return True
            continue
        if isinstance(child, ast.Call) and _last(child.func) in _PATCH_CALLS and not _patches_a_setting(child):
            return True
        named = isinstance(child, (ast.Name, ast.Attribute)) and _last(child) in {"patch", "setattr"}
        if named and id(child) not in called:
            return True  # a bare reference (`p = mock.patch`): whatever it patches is not read
    return False


def _handed_through(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names a function's own statements hand out, or call or assign when the `return`/`yield` runs: a
    `nonlocal` of a nested function that rebinds another (`nonlocal ch`, in a factory fixture's inner function)
    leaves what the function hands out as its statements say."""
    names: set[str] = set()
    for child in own_nodes(node.body):
        if isinstance(child, (ast.Return, ast.Yield, ast.YieldFrom)) and child.value is not None:
            names.update(name.id for name in ast.walk(child.value) if isinstance(name, ast.Name))
        elif isinstance(child, ast.Call):
            names.update(name.id for name in ast.walk(child.func) if isinstance(name, ast.Name))
        elif isinstance(child, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and child.value is not None:
            names.update(name.id for name in ast.walk(child.value) if isinstance(name, ast.Name))
    return names


def _patches_a_setting(call: ast.Call) -> bool:
    """`setattr(obj, "NAME", v)`/`patch.object(obj, "NAME", ...)`, `patch("mod.NAME", ...)`, `setattr("mod.NAME",
    v)` for a setting's name, and `patch.dict(os.environ, ...)`."""
    last = _last(call.func)
    strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if last == "dict":
        target = call.args[0] if call.args else None
        return (target is not None and dotted(target) == "os.environ") or strings[:1] == ["os.environ"]
    if last not in {"setattr", "object", "patch"} or not call.args or not strings:
        return False
    name = strings[0].rpartition(".")[2]
    return _SETTING.fullmatch(name) is not None


def _self_typed(node: ast.FunctionDef | ast.AsyncFunctionDef, annotation: ast.expr | None) -> bool:
    """A method annotated to return the type of its first parameter: `def initialize(self: _T) -> _T`, `def
    create(cls: type[_T]) -> _T` (a TypeVar bound to the class, as `Self` is)."""
    params = [*node.args.posonlyargs, *node.args.args]
    if not isinstance(annotation, ast.Name) or not params or params[0].annotation is None:
        return False
    first = params[0].annotation
    if isinstance(first, ast.Subscript) and dotted(first.value) in {"type", "Type", "typing.Type"}:
        first = first.slice
    return isinstance(first, ast.Name) and first.id == annotation.id


def _generator_result(annotation: ast.expr | None) -> ast.expr | None:
    """The result type of `Generator[Y, S, R]` (what `yield from`, and so `await`, gives); else None."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
        name = dotted(annotation.value)
        arguments = annotation.slice.elts
        if name is not None and name.rpartition(".")[2] == "Generator" and len(arguments) == 3:
            return arguments[2]
    return None


def _agree(values: Sequence[Value | None]) -> Value | None:
    """What every path hands out: the one value they all agree on; for tuples of one length (and no other
    value), each element on which they all agree, so `yield client, make()` on one path and
    `yield client, other()` on another still says what the first element is."""
    if not values:
        return None
    first = values[0]
    if all(value == first for value in values[1:]):
        return first
    if first is not None and first.kind == CALL and all(value is not None for value in values):
        # `return Client(a)` on one path and `return Client(b)` on another: a `Client`, arguments unknown.
        bare = [
            replace(value, arguments=None, keyword_names=(), keyword_values=(), mocked=False)
            for value in values
            if value is not None
        ]
        if all(value == bare[0] for value in bare[1:]):
            return replace(bare[0], mocked=any(value is not None and value.mocked for value in values))
    size = len(first.elements) if first is not None else -1
    if any(value is None or value.kind != ITEMS or value.factory or len(value.elements) != size for value in values):
        return None
    elements = tuple(_agree([value.elements[at] for value in values if value is not None]) for at in range(size))
    return Value(ITEMS, elements=elements) if any(element is not None for element in elements) else None


def _last(expr: ast.expr) -> str | None:
    target = expr.func if isinstance(expr, ast.Call) else expr
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else None


_STATEMENTS = object()  # the annotation leaves the value to the statements


def _annotation(
    expr: ast.expr | None, *, generator: bool, method: bool, enclosing: frozenset[str]
) -> Value | object | None:
    """The value an annotation names; `_STATEMENTS` when it leaves that to the function's statements."""
    if expr is None:
        return _STATEMENTS
    if isinstance(expr, ast.Constant):
        if not isinstance(expr.value, str):
            return None  # `-> None`
        try:
            parsed = ast.parse(expr.value, mode="eval").body
        except SyntaxError:
            return None
        return _annotation(parsed, generator=generator, method=method, enclosing=enclosing)
    members = _union_members(expr)
    if members is not None:
        # `Optional[Client]`, `Client | None`: None has no attributes, so where one of the value's is used it
        # is a Client. A union of several classes (`A | B`) is not known.
        classes = [member for member in members if not _is_none(member)]
        if len(classes) != 1 or len(members) != 2:
            return None
        return _annotation(classes[0], generator=generator, method=method, enclosing=enclosing)
    if isinstance(expr, ast.Subscript):
        outer = dotted(expr.value)
        last = outer.rpartition(".")[2] if outer is not None else None
        if last is None or last in _UNCERTAIN:
            return None
        arguments = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if last in _TUPLES:
            return _tuple_annotation(arguments, method=method, enclosing=enclosing)
        if last in YIELD_WRAPPERS:
            if not generator or not arguments:
                return None
            inner = _annotation(arguments[0], generator=False, method=method, enclosing=enclosing)
            return inner if isinstance(inner, Value) else None
        if last == "Callable":
            if len(arguments) != 2:
                return None
            inner = _annotation(arguments[1], generator=False, method=False, enclosing=enclosing)
            if not isinstance(inner, Value) or inner.factory or inner.kind == SELF:
                return None
            return replace(inner, factory="sync", line=expr.lineno)
        # A generic class: `Pool[Connection]` is a `Pool`, whose type parameters the arguments fill.
        found = _annotation(expr.value, generator=generator, method=method, enclosing=enclosing)
        if not isinstance(found, Value) or found.kind != INSTANCE:
            return found
        return replace(found, type_arguments=_type_arguments(arguments, method=method, enclosing=enclosing))
    written = dotted(expr)
    if written is None:
        return None
    last = written.rpartition(".")[2]
    if last in _VAGUE:
        return _STATEMENTS
    if last == "Self":
        return Value(SELF) if method else None
    if last in _UNCERTAIN or written.partition(".")[0] in enclosing:
        return None
    return Value(INSTANCE, written)


#: Annotations of a context manager whose argument is what `with` binds: `-> AsyncContextManager[Connection]`.
CONTEXT_MANAGER_ANNOTATIONS = frozenset(
    {
        "AsyncContextManager",
        "AbstractAsyncContextManager",
        "ContextManager",
        "AbstractContextManager",
        "_AsyncGeneratorContextManager",
        "_GeneratorContextManager",
    }
)


def _type_arguments(
    arguments: Sequence[ast.expr], *, method: bool, enclosing: frozenset[str]
) -> tuple[Value | None, ...]:
    found: list[Value | None] = []
    for argument in arguments:
        value = _annotation(argument, generator=False, method=method, enclosing=enclosing)
        found.append(value if isinstance(value, Value) and value.kind == INSTANCE and not value.factory else None)
    return tuple(found)


def generic_alias(value: ast.Subscript) -> Value | None:
    """`_RequestContextManager = _BaseRequestContextManager[ClientResponse]` at module level: the generic class
    with its type arguments; None for a union, a tuple, a callable and anything else."""
    found = _annotation(value, generator=False, method=False, enclosing=frozenset())
    if not isinstance(found, Value) or found.kind != INSTANCE or not found.type_arguments:
        return None
    return found


def entered_value(annotation: ast.expr | None, *, method: bool) -> Value | None:
    """What `with f() as x` binds for a function annotated to return a context manager of one class
    (`-> AsyncContextManager[Connection]`, `-> "AbstractAsyncContextManager[Self]"`); None for anything else."""
    parts = _generic_parts(annotation)
    if parts is None or parts[0] not in CONTEXT_MANAGER_ANNOTATIONS:
        return None
    found = _annotation(parts[1][0], generator=False, method=method, enclosing=frozenset())
    return found if isinstance(found, Value) and found.kind in {INSTANCE, SELF} and not found.factory else None


def _generic_parts(annotation: ast.expr | None) -> tuple[str, list[ast.expr]] | None:
    """A subscripted annotation, quoted or not, as (the last name of what is subscripted, its arguments):
    `"asyncio.Task[Client]"` gives ("Task", [Client])."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return None
    if not isinstance(annotation, ast.Subscript):
        return None
    outer = dotted(annotation.value)
    if outer is None:
        return None
    arguments = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    return outer.rpartition(".")[2], arguments


def annotation_class(annotation: ast.expr | None) -> str | None:
    """The dotted name of the one class an attribute's or parameter's annotation names, read as return
    annotations are (`Client`, `"app.Client"`, `Pool[Connection]` is a `Pool`); None for anything else (a union,
    an optional, `Any`, a callable, a tuple) and for builtins, which have no coroutine methods."""
    if annotation is None:
        return None
    found = _annotation(annotation, generator=False, method=False, enclosing=frozenset())
    if not isinstance(found, Value) or found.kind != INSTANCE or found.factory or found.written in _BUILTIN_NAMES:
        return None
    return found.written


#: Annotations of a collection whose elements are all of the one type argument (`list[Client]`).
SEQUENCE_ANNOTATIONS = frozenset(
    {
        "list",
        "List",
        "Sequence",
        "MutableSequence",
        "Iterable",
        "Iterator",
        "Collection",
        "set",
        "Set",
        "frozenset",
        "FrozenSet",
        "AbstractSet",
        "MutableSet",
        "deque",
        "Deque",
    }
)
#: Annotations of a mapping whose values are all of the second type argument (`dict[str, Client]`).
MAPPING_ANNOTATIONS = frozenset(
    {"dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict", "OrderedDict", "ChainMap"}
)


def element_class(annotation: ast.expr | None) -> tuple[str, bool] | None:
    """The one class every element of a collection so annotated is, as written, and whether the collection is
    a mapping holding them as values: `list[Client]`, `Sequence["Client"]` give ("Client", False),
    `dict[str, Client]` ("Client", True); None for anything else (a tuple, an element not a class)."""
    parts = _generic_parts(annotation)
    if parts is None:
        return None
    if parts[0] in SEQUENCE_ANNOTATIONS and len(parts[1]) == 1:
        written = annotation_class(parts[1][0])
        return (written, False) if written is not None else None
    if parts[0] in MAPPING_ANNOTATIONS and len(parts[1]) == 2:
        written = annotation_class(parts[1][1])
        return (written, True) if written is not None else None
    return None


#: Awaitable annotations, and the position of the argument that is what awaiting gives (`Awaitable[Client]`).
_AWAITED_ARGUMENT = {"Awaitable": 0, "Future": 0, "Task": 0, "Coroutine": 2}


def awaited_class(annotation: ast.expr | None) -> str | None:
    """The one class awaiting a value so annotated gives, as written: `Awaitable[Client]`, `asyncio.Task[Client]`,
    `Coroutine[Any, Any, Client]` give "Client"; None for anything else."""
    parts = _generic_parts(annotation)
    position = _AWAITED_ARGUMENT.get(parts[0]) if parts is not None else None
    if parts is None or position is None or len(parts[1]) != position + 1:
        return None
    return annotation_class(parts[1][position])


def stored_values(
    node: ast.FunctionDef | ast.AsyncFunctionDef, lines: Sequence[str], attributes: frozenset[str]
) -> dict[str, Value]:
    """What a method stores in those of `attributes` it assigns as `self.<attribute> = <expr>`, read as return
    values are (`self.client = await Client.connect()`, `self.rpc = await self.rpc_ready`); an attribute
    whose value is not known is left out."""
    text = "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno])
    if ":=" in text or (_PATCHES.search(text) and _may_patch_what_it_hands(node)):
        return {}
    body = _read_body(node, lines, method=True, enclosing=frozenset(), inherited_self=None)
    if body.self_name is None or body.self_name in body.bound:
        return {}
    stored: dict[str, Value] = {}
    for attribute, statements in body.set_attributes.get(body.self_name, {}).items():
        if attribute not in attributes or len(statements) != 1:
            continue
        statement = statements[0]
        assert isinstance(statement, ast.Assign)
        value = _evaluate(body, statement.value, statement)
        if value is not None and not value.parameter:
            stored[attribute] = value
    return stored


#: Annotations that a coroutine object may satisfy, or that say nothing: never the one class a parameter asks for.
_ANY_VALUE = _VAGUE | _UNCERTAIN | {"Callable", "Hashable", "Type", "type", "Generator", "Self", "Literal"}


def callback_arguments(annotation: ast.expr | None) -> tuple[str | None, ...]:
    """`Callable[[Message, int], Any]` (or `Optional` of it): the class of each argument the callback is given,
    as written (None for one that is not one class); empty for any other annotation."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return ()
    if annotation is None:
        return ()
    members = _union_members(annotation)
    if members is not None:
        classes = [member for member in members if not _is_none(member)]
        return callback_arguments(classes[0]) if len(classes) == 1 and len(members) == 2 else ()
    if not isinstance(annotation, ast.Subscript):
        return ()
    outer = dotted(annotation.value)
    if outer is None or outer.rpartition(".")[2] != "Callable" or not isinstance(annotation.slice, ast.Tuple):
        return ()
    arguments = annotation.slice.elts
    if len(arguments) != 2 or not isinstance(arguments[0], ast.List):
        return ()
    given = tuple(parameter_class(argument) for argument in arguments[0].elts)
    return given if any(written is not None for written in given) else ()


def parameter_class(annotation: ast.expr | None) -> str | None:
    """The one class a parameter's annotation asks for, as written: `FullBlock`, `"FullBlock"`, `Optional[
    FullBlock]` and `FullBlock | None` (None is not a coroutine either), `Pool[Connection]` is a `Pool`, builtins
    included (`list[int]` is a `list`). None for a union of several classes, `Any`, an awaitable, a callable.
    Whether the name is a class a coroutine object cannot be is the caller's to judge (it may be a TypeVar or a
    protocol)."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant):
        if not isinstance(annotation.value, str):
            return None
        try:
            parsed = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return None
        return parameter_class(parsed)
    members = _union_members(annotation)
    if members is not None:
        classes = [member for member in members if not (isinstance(member, ast.Constant) and member.value is None)]
        return parameter_class(classes[0]) if len(classes) == 1 and len(members) == 2 else None
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    written = dotted(annotation)
    if written is None or written.rpartition(".")[2] in _ANY_VALUE:
        return None
    return written


def _is_none(annotation: ast.expr) -> bool:
    return (isinstance(annotation, ast.Constant) and annotation.value is None) or (
        isinstance(annotation, ast.Name) and annotation.id == "None"
    )


def _union_members(annotation: ast.expr) -> list[ast.expr] | None:
    """The members of `A | B` or `Optional[A]`/`Union[A, B]` (Optional's second member is None); None for
    anything else."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        left = _union_members(annotation.left) or [annotation.left]
        right = _union_members(annotation.right) or [annotation.right]
        return [*left, *right]
    if isinstance(annotation, ast.Subscript):
        outer = dotted(annotation.value)
        last = outer.rpartition(".")[2] if outer is not None else None
        arguments = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        if last == "Optional" and len(arguments) == 1:
            return [arguments[0], ast.Constant(None)]
        if last == "Union":
            return list(arguments)
    return None


def _tuple_annotation(arguments: Sequence[ast.expr], *, method: bool, enclosing: frozenset[str]) -> Value | None:
    """`tuple[Client, Server]`: each element as its own annotation says (`Any` or a union: not known); None for
    a tuple of any length (`tuple[Client, ...]`) or one whose elements are all unknown."""
    if any(isinstance(argument, ast.Constant) and argument.value is Ellipsis for argument in arguments):
        return None
    elements: list[Value | None] = []
    for argument in arguments:
        element = _annotation(argument, generator=False, method=method, enclosing=enclosing)
        elements.append(element if isinstance(element, Value) else None)
    return Value(ITEMS, elements=tuple(elements)) if any(element is not None for element in elements) else None


def _exits(block: Sequence[ast.stmt]) -> bool:
    """Whether running `block` always ends in a `return` or `raise` (never falls off its end)."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    if isinstance(last, ast.If):
        return _exits(last.body) and _exits(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _exits(last.body)
    if isinstance(last, _TRY):
        if _exits(last.finalbody):  # type: ignore[attr-defined]
            return True
        handlers = last.handlers  # type: ignore[attr-defined]
        normal = _exits(last.body) or _exits(last.orelse)  # type: ignore[attr-defined]
        return normal and all(_exits(handler.body) for handler in handlers)
    return False


def _evaluate(body: _Body, expr: ast.expr, at: ast.stmt) -> Value | None:
    """The value of a returned or yielded expression, at statement `at`."""
    if isinstance(expr, ast.Await):
        inner = expr.value
        if isinstance(inner, ast.Attribute):
            return _self_chain(body, inner, AWAITED)  # `await self.ready`: what its declared awaitable gives
        if not isinstance(inner, ast.Call):
            return None
        if isinstance(inner.func, ast.Name):
            # `await _()` of an `async def _()` nested here: what it returns.
            bindings = body.bound.get(inner.func.id, [])
            if len(bindings) == 1 and bindings[0].how == "def" and bindings[0].node is not None:
                made = _function(body, bindings[0].node)
                return replace(made, factory="", line=0) if made is not None and made.factory == "async" else None
        target = _callee(body, inner.func)
        if target is None:
            return _self_chain(body, inner.func, AWAIT) or _parameter_chain(body, inner.func, AWAIT)
        return Value(AWAIT, target[0], target[1], mocked=_mock_argument(body, inner))
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "__await__" and isinstance(func.value, ast.Call):
            # `return self.start().__await__()` in `__await__`: what awaiting that call gives.
            return _evaluate(body, ast.Await(value=func.value), at)
        if _makes_self(body, expr.func):
            return Value(SELF)
        target = _callee(body, expr.func)
        if target is None:
            return _self_chain(body, expr.func, CALL) or _parameter_chain(body, expr.func, CALL)
        arguments, keywords = _arguments(body, expr, at)
        return Value(
            CALL,
            target[0],
            target[1],
            spec=is_mock_maker(target[0]) and _has_spec(expr),
            mocked=_mock_argument(body, expr),
            arguments=arguments,
            keyword_names=tuple(name for name, _ in keywords),
            keyword_values=tuple(value for _, value in keywords),
        )
    if isinstance(expr, ast.Name):
        return _variable(body, expr.id, at)
    if isinstance(expr, ast.Attribute):
        if is_mock_maker(dotted(expr)):
            return Value(MOCK)  # `mock.sentinel.device`
        return _self_chain(body, expr, ATTRIBUTE) or _parameter_chain(body, expr, ATTRIBUTE)
    if isinstance(expr, ast.Tuple):
        if any(isinstance(element, ast.Starred) for element in expr.elts):
            return None  # its length is not written
        elements = tuple(_evaluate(body, element, at) for element in expr.elts)
        return Value(ITEMS, elements=elements) if any(element is not None for element in elements) else None
    return None


def _makes_self(body: _Body, func: ast.expr) -> bool:
    """`cls(...)` in a classmethod, `type(self)(...)` or `self.__class__(...)` in a method."""
    if isinstance(func, ast.Name):
        return func.id == body.cls_name and func.id not in body.bound
    if body.self_name is None or body.self_name in body.bound:
        return False
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type":
        args = func.args
        return len(args) == 1 and isinstance(args[0], ast.Name) and args[0].id == body.self_name
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__class__"
        and isinstance(func.value, ast.Name)
        and func.value.id == body.self_name
    )


def _callee(body: _Body, func: ast.expr) -> tuple[str, bool] | None:
    """What a called name is, as written in the module (or as an import target when imported in the body)."""
    written = dotted(func)
    if written is None:
        return None
    head, dot, rest = written.partition(".")
    if head in body.params or head in body.enclosing:
        return None
    bindings = body.bound.get(head)
    if bindings is None:
        return written, False
    if len(bindings) == 1 and bindings[0].how == "import":
        return f"{bindings[0].target}{dot}{rest}", True
    return None


def _arguments(
    body: _Body, call: ast.Call, at: ast.stmt
) -> tuple[tuple[Value | None, ...] | None, tuple[tuple[str, Value | None], ...]]:
    """What a call passes, read as return values are: (positional, keywords); (None, ()) with `*`/`**`, and
    for a call without arguments (nothing to map: the same as not knowing, and smaller)."""
    if not call.args and not call.keywords:
        return None, ()
    if any(isinstance(argument, ast.Starred) for argument in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        return None, ()
    positional = tuple(_argument(body, argument, at) for argument in call.args)
    keywords = tuple((keyword.arg, _argument(body, keyword.value, at)) for keyword in call.keywords if keyword.arg)
    return positional, keywords


def _argument(body: _Body, expr: ast.expr, at: ast.stmt) -> Value | None:
    if isinstance(expr, (ast.Name, ast.Call, ast.Await, ast.Attribute)):
        return _evaluate(body, expr, at)
    return None


#: Keywords of a mock's constructor that give it a spec.
MOCK_SPECS = frozenset({"spec", "spec_set", "wraps", "autospec", "_spec_class", "_spec_as_instance", "_eat_self"})
#: Keywords of a mock's constructor that set no attribute.
MOCK_SETTINGS = frozenset({"side_effect", "name", "unsafe", "parent", "_new_name", "_new_parent", "instance"})
#: Mock classes (not `create_autospec`, whose mock of a coroutine function is async whatever it is called).
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "AsyncMock"})
#: Calls that set a mock's attributes in ways not followed.
RECONFIGURES = re.compile(r"\b(?:attach_mock|configure_mock|mock_add_spec|seal)\b")


def _has_spec(call: ast.Call) -> bool:
    """`AsyncMock(Client)`, `MagicMock(spec=Client)`, `AsyncMock(**config)`: a mock whose attributes a spec (or
    something not written) decides."""
    return bool(call.args) or any(keyword.arg is None or keyword.arg in MOCK_SPECS for keyword in call.keywords)


def is_mock_maker(written: str | None) -> bool:
    """`MagicMock`, `mock.Mock`, `create_autospec`... (a call of it makes a mock), or `mock.sentinel.x`."""
    if written is None:
        return False
    return written.rpartition(".")[2] in MOCK_MAKERS or "sentinel" in written.split(".")


def _mock_argument(body: _Body, call: ast.Call) -> bool:
    """An argument of `call` is a mock: made there, or a local name bound to one."""
    for argument in (*call.args, *(keyword.value for keyword in call.keywords)):
        if isinstance(argument, ast.Starred):
            argument = argument.value
        if isinstance(argument, ast.Name):
            bindings = body.bound.get(argument.id, [])
            if any(binding.expr is not None and _is_mock(binding.expr) for binding in bindings):
                return True
        elif _is_mock(argument):
            return True
    return False


def _is_mock(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Call):
        return is_mock_maker(dotted(expr.func))
    return isinstance(expr, ast.Attribute) and is_mock_maker(dotted(expr))


def _self_chain(body: _Body, expr: ast.expr, kind: str) -> Value | None:
    """`self.device.request` in a method (called, awaited or read, as `kind` says), when the method neither
    rebinds `self` nor sets attributes of it: what the class declares them to be then holds."""
    written = dotted(expr)
    if written is None or body.self_name is None:
        return None
    head, _, rest = written.partition(".")
    if head != body.self_name or not rest or head in body.bound:
        return None
    first = rest.partition(".")[0]
    if first in body.set_attributes.get(head, {}) or body.changed_parts.get(head, set()) & {first, ""}:
        return None  # the method sets what the chain reads: the class's declarations may not hold
    return Value(kind, rest, on_self=True)


def _parameter_chain(body: _Body, expr: ast.expr, kind: str) -> Value | None:
    """`make_app` or `server.client` from a requested parameter (`_Body.requested`) the body neither rebinds
    nor changes, called, awaited or read as `kind` says (`Value.parameter`)."""
    written = dotted(expr)
    if written is None:
        return None
    head = written.partition(".")[0]
    if head not in body.requested or head in body.bound or head in body.changed or head in body.set_attributes:
        return None
    return Value(kind, written, parameter=True)


def _variable(body: _Body, name: str, at: ast.stmt) -> Value | None:
    """The value of a local name at `at`: one assignment (after which only `None` was assigned before it), a
    `with ... as name`, or a nested function."""
    if name == body.self_name:
        return Value(SELF) if name not in body.bound else None
    if name in body.params or (name in body.changed and not _only_chains_set(body, name)):
        return _parameter_chain(body, ast.Name(id=name), ATTRIBUTE)
    bindings = body.bound.get(name, [])
    if not bindings or any(binding.how not in {"assign", "unpack", "with", "def"} for binding in bindings):
        return None  # a closure's or the module's name, or bound in a way not followed
    nones = [b for b in bindings if b.how == "assign" and isinstance(b.expr, ast.Constant) and b.expr.value is None]
    others = [binding for binding in bindings if binding not in nones]
    if len(others) != 1:
        return None
    only = others[0]
    if name in body.changed and only.how != "assign":
        return None  # attributes of attributes set on what a `with` or an unpacking bound: not followed
    if nones and not (
        body.runs_before(only.statement, at) and all(none.statement.lineno < only.statement.lineno for none in nones)
    ):
        return None  # `None` may be what is handed out
    if only.how != "assign" and name in body.set_attributes:
        return None  # attributes set on a function or a `with` target: not followed
    if only.how == "def":
        assert only.node is not None
        return _function(body, only.node)
    expr = only.expr
    if only.how == "unpack":
        if name in body.set_attributes or not isinstance(expr, (ast.Call, ast.Await, ast.Tuple)):
            return None
        whole = _evaluate(body, expr, only.statement)
        if whole is None or whole.factory:
            return None
        if whole.kind == ITEMS:
            return whole.elements[only.index] if len(whole.elements) == only.size else None
        return Value(ELEMENT, of=whole, index=only.index, size=only.size)
    if only.how == "with":
        if not isinstance(expr, ast.Call):
            return None
        target = _callee(body, expr.func)
        return Value(ENTER, target[0], target[1]) if target is not None else None
    if isinstance(expr, (ast.Call, ast.Await, ast.Tuple)):
        found = _evaluate(body, expr, only.statement)
        if name in body.changed and not (found is not None and _made_mock(found)):
            return None  # attributes of attributes set: followed on a mock made here only
        if found is not None and _made_mock(found) and RECONFIGURES.search(_text(body)):
            found = replace(found, spec=True)  # `mock.configure_mock(...)`: attributes set out of sight
        if found is not None and (name in body.set_attributes or name in body.changed):
            return _with_attributes(body, name, found, only.statement, at)
        return found
    return None


def _text(body: _Body) -> str:
    node = body.node
    return "\n".join(body.lines[node.lineno - 1 : node.end_lineno or node.lineno])


def _only_chains_set(body: _Body, name: str) -> bool:
    """Whether every change the body makes to the object `name` holds is a chain of attributes assigned
    (`mock.return_value.fetch.side_effect = ...`), nothing subscripted, deleted or augmented."""
    chains = body.set_chains.get(name, {})
    return sum(len(statements) for statements in chains.values()) == body.changes.get(name, 0)


def _made_mock(value: Value) -> bool:
    """A mock made by a call here, with nothing but mocks given to it: no patch in the body can change it."""
    if value.kind != CALL or value.factory or not is_mock_maker(value.written):
        return False
    given = (*value.keyword_values, *value.attribute_values)
    return all(item is None or _made_mock(item) for item in given)


def _with_attributes(body: _Body, name: str, value: Value, made: ast.stmt, at: ast.stmt) -> Value | None:
    """`value` with the attributes the body sets on `name` between `made` and `at` replaced: each one set once,
    on every path, to a value read as return values are (else the attribute is unknown)."""
    if value.kind == ITEMS or value.factory:
        return None
    names: list[str] = []
    values: list[Value | None] = []
    # On a mock made here, chains too (`mock.return_value.fetch = MagicMock()`): named `return_value.fetch`.
    chains = body.set_chains.get(name, {}) if _made_mock(value) else {}
    for attribute, statements in sorted({**body.set_attributes.get(name, {}), **chains}.items()):
        held: Value | None = None
        if len(statements) == 1:
            statement = statements[0]
            assert isinstance(statement, ast.Assign)
            if body.runs_before(made, statement) and body.runs_before(statement, at):
                assigned = statement.value
                if isinstance(assigned, (ast.Call, ast.Await)):
                    held = _evaluate(body, assigned, statement)
        names.append(attribute)
        values.append(held)
    return replace(value, attribute_names=tuple(names), attribute_values=tuple(values))


def _function(body: _Body, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
    """A nested function handed out (a factory): what calling it gives. Decorated or generator ones: unknown."""
    if node.decorator_list:
        return None
    text = body.lines[node.lineno - 1 : node.end_lineno or node.lineno]
    if any("yield" in line for line in text):
        return None
    enclosing = body.enclosing | body.params | frozenset(body.bound)
    inherited = body.self_name if body.self_name is not None and body.self_name not in body.bound else None
    inner = read_value(
        node, body.lines, own=None, generator=False, method=False, enclosing=enclosing, inherited_self=inherited
    )
    if inner is None or inner.factory:
        return None
    kind = "async" if isinstance(node, ast.AsyncFunctionDef) else "sync"
    return replace(inner, factory=kind, line=node.lineno)
