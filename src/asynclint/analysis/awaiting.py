"""Where a coroutine is created and never awaited, and other misuses of awaitables, in one file.

For every `async def` (test, fixture or helper) and every sync test or fixture, each call in the function's own
body is resolved through the coroutine index (`model.coroutines`) and the function's local bindings. A call
that surely returns a coroutine is then judged by how its result is used: awaited or passed on (fine), or
dropped, tested for truth, compared, subscripted, iterated, returned from a fixture... (a mistake). When the
callee or the use is not certain, nothing is reported: the rules built on this (AIO201-AIO205) must not guess.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import libcst as cst

from asynclint.analysis.async_fixtures import runs_fixture
from asynclint.analysis.syntax import (
    BINDING_TYPES,
    PRUNED_TYPES,
    all_names,
    assigned_attributes,
    body_statements,
    is_load,
    module_constants,
    patch_call_names,
    statements,
    target_names,
)
from asynclint.model.collection import ClassFacts, FileModel, TestCaseKind
from asynclint.model.coroutines import (
    LOOP_GETTERS,
    MOCK_CLASS,
    PUT_OBJECT,
    STDLIB_CLASSES,
    Coroutine,
    CoroutineFunction,
    CoroutineIndex,
    FunctionRef,
    Handed,
    Instance,
    Items,
    KnownClass,
    Many,
    ModuleRef,
    Resolved,
    absolute_name,
    module_name,
)
from asynclint.model.environment import FIXTURE_VALUE_HOOKS
from asynclint.model.facts import UNKNOWN, DecoratorKind, FixtureDef, Function, ImportTable, Mark
from asynclint.model.names import dotted_name, literal_value
from asynclint.model.reader import LOCAL
from asynclint.model.shapes import ModuleShape, read_shape
from asynclint.model.values import AWAIT, CALL, Value, is_mock_maker
from asynclint.walk import code_children, descendants

#: Attributes of a coroutine object that are fine to use without awaiting it.
COROUTINE_ATTRIBUTES = frozenset({"close", "send", "throw", "__await__", "__class__", "__name__", "__qualname__"})
#: Builtins that consume a value: a coroutine passed to them is printed, measured or converted, never run.
CONSUMING_BUILTINS = frozenset(
    {"print", "str", "repr", "len", "list", "tuple", "set", "dict", "sorted", "int", "float"}
)
#: `unittest.TestCase` assertions: plain methods that look at their arguments and never await them.
UNITTEST_ASSERTIONS = frozenset(
    {
        "assertTrue",
        "assertFalse",
        "assertIsNone",
        "assertIsNotNone",
        "assertEqual",
        "assertNotEqual",
        "assertIs",
        "assertIsNot",
        "assertIn",
        "assertNotIn",
        "assertIsInstance",
        "assertNotIsInstance",
        "assertGreater",
        "assertGreaterEqual",
        "assertLess",
        "assertLessEqual",
        "assertAlmostEqual",
        "assertNotAlmostEqual",
        "assertCountEqual",
        "assertDictEqual",
        "assertListEqual",
        "assertTupleEqual",
        "assertSetEqual",
        "assertSequenceEqual",
        "assertMultiLineEqual",
        "assertRegex",
        "assertNotRegex",
    }
)
#: Context managers under which a test expects "never awaited" warnings, or silences them.
WARNING_CONTEXTS = frozenset({"pytest.warns", "pytest.deprecated_call", "warnings.catch_warnings"})
RAISES_CONTEXTS = frozenset({"pytest.raises"})
PATCHERS = frozenset({"unittest.mock.patch", "mock.patch", "unittest.mock.patch.object", "mock.patch.object"})
ASSERT_RENAMES = {
    "assert_called": "assert_awaited",
    "assert_called_once": "assert_awaited_once",
    "assert_called_with": "assert_awaited_with",
    "assert_called_once_with": "assert_awaited_once_with",
    "assert_any_call": "assert_any_await",
    "assert_has_calls": "assert_has_awaits",
}
#: Methods whose awaitable result may run whether or not it is awaited (tasks, futures, executors).
TASK_LIKE = re.compile(r"task|future|executor|gather|shield|spawn|start_soon|submit|schedule|call_soon|run_in", re.I)
TASK_SPAWNERS = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task"})
MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})


class Use(enum.Enum):
    """How a coroutine object is used, and what happens at runtime."""

    DROPPED = ("is never awaited", "the coroutine never runs")
    TRUTH = ("is tested for truth", "a coroutine object is always true, so this check cannot fail")
    COMPARED = ("is compared", "the comparison sees a coroutine object, not the result")
    SUBSCRIPTED = ("is subscripted", "this raises `TypeError` ('coroutine' object is not subscriptable)")
    ATTRIBUTE = ("has an attribute read", "this raises `AttributeError` on the coroutine object")
    ITERATED = ("is iterated", "this raises `TypeError` ('coroutine' object is not iterable)")
    UNPACKED = ("is unpacked", "this raises `TypeError` (cannot unpack non-iterable coroutine object)")
    CONTEXT = ("is used as a context manager", "this raises `TypeError` on the coroutine object")
    RAISES = (
        "is the whole body of a `pytest.raises` block",
        "nothing runs, so nothing raises and the test fails with DID NOT RAISE",
    )
    RETURNED = ("is the fixture's value", "the test receives a coroutine object instead of the result")
    CONSUMED = ("is passed to a builtin", "it only sees a coroutine object")
    ASSERTED = ("is passed to a `unittest` assertion", "it checks the coroutine object, not the result")
    #: What the function and parameter are is `UnawaitedCall.passed_to`'s.
    PASSED = ("is passed to a parameter annotated with a class", "it receives a coroutine object instead")

    @property
    def what(self) -> str:
        return self.value[0]

    @property
    def consequence(self) -> str:
        return self.value[1]

    @property
    def awaitable_consequence(self) -> str:
        """The consequence when all asynclint knows is that the call's result is awaited elsewhere: it may be a
        coroutine (which then never runs) or a task or future (which runs, unobserved)."""
        return _AWAITABLE_CONSEQUENCES[self]


_AWAITABLE_CONSEQUENCES = {
    Use.DROPPED: (
        "a coroutine would never run, and a task or future would run unobserved (the test does not wait for it "
        "and never sees its errors)"
    ),
    Use.TRUTH: "the awaitable it returns is always true, so this check cannot fail",
    Use.COMPARED: "the comparison sees the awaitable, not its result",
    Use.SUBSCRIPTED: "this indexes the awaitable, not its result",
    Use.ATTRIBUTE: "this reads the attribute of the awaitable, not of its result",
    Use.ITERATED: "this iterates over the awaitable, not its result",
    Use.UNPACKED: "this unpacks the awaitable, not its result",
    Use.CONTEXT: "this enters the awaitable, not its result",
    Use.RAISES: "what it raises is only raised by `await`, so the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives the awaitable instead of its result",
    Use.CONSUMED: "it only sees the awaitable, not its result",
    Use.ASSERTED: "it checks the awaitable, not its result",
    Use.PASSED: "it receives the awaitable, not its result",
}
#: Tornado's `gen.coroutine` on a generator: the call runs it up to its first `yield` and returns a Future.
_FUTURE_CONSEQUENCES: dict[Use, str | None] = {
    Use.DROPPED: (
        "it ran up to its first `yield`, and the rest runs only while the event loop keeps running (not after the "
        "test ends); the test does not wait for it and never sees its errors"
    ),
    Use.TRUTH: "the Future it returns is always true, so this check cannot fail",
    Use.COMPARED: "the comparison sees the Future, not its result",
    Use.SUBSCRIPTED: "this raises `TypeError` on the Future instead of indexing its result",
    Use.ATTRIBUTE: "this reads the attribute of the Future, not of its result",
    Use.ITERATED: None,  # iterating a Future is how `yield from` waits for it
    Use.UNPACKED: None,
    Use.CONTEXT: "this raises `TypeError`: the Future is no context manager",
    Use.RAISES: "what it raises is set on the Future, not raised, so the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives the Future instead of its result",
    Use.CONSUMED: "it only sees the Future, not its result",
    Use.ASSERTED: "it checks the Future, not its result",
    Use.PASSED: "it receives the Future, not its result",
}
#: A generator-based coroutine (`@types.coroutine`, `@asyncio.coroutine` on a generator): a generator object.
_GENERATOR_CONSEQUENCES: dict[Use, str | None] = {
    Use.DROPPED: "the generator-based coroutine never runs",
    Use.TRUTH: "a generator-based coroutine is always true, so this check cannot fail",
    Use.COMPARED: "the comparison sees a generator-based coroutine, not the result",
    Use.SUBSCRIPTED: "this raises `TypeError`: a generator-based coroutine is not subscriptable",
    Use.ATTRIBUTE: "this reads the attribute of a generator-based coroutine, not of the result",
    Use.ITERATED: None,  # iterating it runs it, as `yield from` does
    Use.UNPACKED: None,
    Use.CONTEXT: "this raises `TypeError`: a generator-based coroutine is no context manager",
    Use.RAISES: "nothing runs, so nothing raises and the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives a generator-based coroutine instead of the result",
    Use.CONSUMED: "it only sees a generator-based coroutine",
    Use.ASSERTED: "it checks a generator-based coroutine, not the result",
    Use.PASSED: "it receives a generator-based coroutine instead",
}


@dataclass(eq=False, frozen=True)
class Callee:
    """A resolved callee: what it is called in the message, and how asynclint knows it is a coroutine."""

    name: str
    how: str
    #: Known only because the same expression is awaited elsewhere in the file: those awaited calls.
    awaited_elsewhere: tuple[cst.Call, ...] = ()
    #: What a call returns, as `CoroutineFunction.returns` says ("coroutine", "awaitable", "future", "generator").
    returns: str = "coroutine"
    #: Under `@asyncio.coroutine`: it exists up to Python 3.10 only.
    legacy_asyncio: bool = False
    #: A plain function that returns a coroutine: its own body runs at the call, and may raise there.
    runs_first: bool = False
    #: An `async def` defined in a function of this file: its line is the finding's positions' business.
    definition: cst.CSTNode | None = None

    def consequence(self, use: Use) -> str | None:
        """What happens at runtime when the call's result is used so; None: nothing wrong."""
        if use is Use.RAISES and self.runs_first:
            return None  # `pytest.raises` may be waiting for what the plain function raises before it returns
        if self.awaited_elsewhere or self.returns == "awaitable":
            text: str | None = use.awaitable_consequence
        elif self.returns == "future":
            text = _FUTURE_CONSEQUENCES[use]
        elif self.returns == "generator":
            text = _GENERATOR_CONSEQUENCES[use]
        else:
            text = use.consequence
        if text is not None and self.legacy_asyncio:
            text = (
                f"on Python 3.10 and earlier {text}; on 3.11 and later `asyncio.coroutine` does not exist, so "
                "importing the module that uses it fails with `AttributeError`"
            )
        return text


@dataclass(eq=False)
class UnawaitedCall:
    call: cst.Call
    function: cst.FunctionDef
    function_info: Function | None
    role: str  # "test", "fixture" or "helper"
    callee: Callee
    use: Use
    #: The node whose use was judged (the call, or the variable it was stored in).
    used_node: cst.CSTNode
    #: `result = fetch()`: the variable the coroutine went through, when it did.
    stored_in: str | None = None
    #: `await` can be inserted before the call (async function, not inside a lambda or comprehension).
    fixable: bool = False
    #: The node holding the call (to parenthesise `await` where needed).
    parent: cst.CSTNode | None = None
    #: For `Use.PASSED`: what it is passed to, as a finding says it (`is passed to ...`).
    passed_to: str | None = None

    def describe(self, line_of: Callable[[cst.CSTNode], int]) -> str:
        """What goes wrong, in the words of a finding (line numbers come from the caller's positions)."""
        call = f"`{self.callee.name}()`"
        # Known to be a coroutine function, or only to return something awaitable (awaited elsewhere).
        consequence = self.callee.consequence(self.use)
        what = self.passed_to or self.use.what
        if self.stored_in is None:
            text = f"{call} {what}: {consequence}"
        elif self.use is Use.DROPPED:
            text = f"{call} is stored in `{self.stored_in}`, which is never awaited: {consequence}"
        elif self.passed_to is not None:
            line = line_of(self.used_node)
            text = (
                f"{call} is stored in `{self.stored_in}` without `await`, and on line {line} `{self.stored_in}` "
                f"{what}: {consequence}"
            )
        else:
            line = line_of(self.used_node)
            text = (
                f"{call} is stored in `{self.stored_in}` without `await`, and `{self.stored_in}` {what} "
                f"on line {line}: {consequence}"
            )
        if self.callee.awaited_elsewhere:
            lines = sorted({line_of(node) for node in self.callee.awaited_elsewhere})
            where = ", ".join(str(line) for line in lines[:5])
            plural = "s" if len(lines) > 1 else ""
            return f"{text}; the same call is awaited on line{plural} {where} of this file"
        how = self.callee.how
        if self.callee.definition is not None:
            how = f"`{self.callee.name}` is `async def` on line {line_of(self.callee.definition)} of this file"
        return f"{text} ({how})"

    @property
    def is_async(self) -> bool:
        return self.function.asynchronous is not None


@dataclass(eq=False)
class MockAssertion:
    """`mock.assert_called_once()` on an `AsyncMock`."""

    call: cst.Call
    method: cst.Name
    mock: str
    replacement: str
    how: str
    #: The test itself calls the mock without awaiting it; otherwise only the code under test calls it, and the
    #: test never checks that it was awaited.
    direct: bool = True


@dataclass(eq=False)
class OrphanTask:
    statement: cst.Expr
    call: cst.Call
    spawner: str


@dataclass
class AwaitAnalysis:
    unawaited: list[UnawaitedCall] = field(default_factory=list)
    mock_assertions: list[MockAssertion] = field(default_factory=list)
    orphan_tasks: list[OrphanTask] = field(default_factory=list)
    #: An installed package this file calls into, where a coroutine would have been a finding, that asynclint
    #: could not read because it found no environment for the project (None: no finding needed one).
    environment_needed: str | None = None


# -- local bindings ------------------------------------------------------------------------------------------


#: Bindings that hold a value `_agreed` may compare, and how many of them it reads before giving up.
_VALUE_BINDINGS = frozenset({"value", "element", "annotation", "enter", "param"})
_AGREEING_BINDINGS = 6


@dataclass(eq=False)
class _Binding:
    kind: str  # "value", "element", "annotation", "enter", "param", "import", "def", "opaque"
    expr: cst.BaseExpression | None = None
    dotted: str | None = None
    param: cst.Param | None = None
    #: For an "element" (a name `a, (b, c) = expr` binds): (index, length) of the target at each level down.
    path: tuple[tuple[int, int], ...] = ()
    #: For a "def": the function defined in the body.
    definition: cst.CSTNode | None = None


@dataclass(eq=False)
class _Scope:
    function: cst.FunctionDef
    info: Function | None
    role: str
    #: The enclosing class when it is defined at module level (its shape is read from the module's).
    class_name: str | None
    class_node: cst.ClassDef | None
    self_name: str | None
    nested: bool
    #: The function this one is nested in (its names are this one's free variables), or None.
    parent: _Scope | None = None
    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    parents: dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict)
    #: Name nodes in the function's own body (not in nested scopes), by name.
    names: dict[str, list[cst.Name]] = field(default_factory=dict)
    #: Nested functions, lambdas and comprehensions: not this scope's body, but they may use its names.
    nested_scopes: list[cst.CSTNode] = field(default_factory=list)
    _nested_names: set[str] | None = None
    calls: list[cst.Call] = field(default_factory=list)
    #: Calls directly under `await` in the function's own body.
    awaited_calls: list[cst.Call] = field(default_factory=list)
    silenced: set[cst.CSTNode] = field(default_factory=set)

    def bind(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def nested_names(self) -> set[str]:
        """Names referenced from nested scopes (computed when first asked: most functions never need it)."""
        if self._nested_names is None:
            self._nested_names = {name for node in self.nested_scopes for name in all_names(node)}
        return self._nested_names


class FileAwaits:
    """Builds the `AwaitAnalysis` of one file."""

    def __init__(
        self,
        module: cst.Module,
        text: str,
        path: str,
        index: CoroutineIndex,
        functions: dict[cst.CSTNode, Function],
        roles: dict[cst.CSTNode, str],
        fixture_types: FixtureTypes,
        imports: ImportTable,
    ) -> None:
        self.module = module
        self.text = text
        self.path = path
        self.index = index
        self.functions = functions
        self.roles = roles
        self.fixture_types = fixture_types
        #: The module's imports as the model read them: most names resolve without the module's own shape.
        self.imports = imports
        self._shape: ModuleShape | None = None
        self._ref: ModuleRef | None = None
        self.dotted, self.is_package = module_name(Path(path))
        self.result = AwaitAnalysis()
        #: Names the file replaces anywhere (decorators, fixtures, helpers): calls of them are never judged.
        #: What each Name/Attribute chain refers to in a scope, once reading is done (`_expr_value`).
        #: With how many names that needed the project's environment it met, and the last one's package.
        self._chain_values: dict[tuple[_Scope, str, bool], tuple[Resolved | None, int, str | None]] | None = None
        self.call_patched = patch_call_names(text)
        self.assigned_attributes = assigned_attributes(text)
        self.patched: set[str] = self.call_patched | set(self.assigned_attributes.counts)
        self.scopes: list[_Scope] = []
        self.constants = module_constants(module)
        #: `await <callee expression>(...)` anywhere in the file, by callee key, with the awaited nodes.
        self.awaited: dict[tuple[object, str], list[cst.Call]] = {}
        #: Keys of `awaited` whose callee is also called without `await` for its value (`_note_used_unawaited`).
        self.used_unawaited: set[tuple[object, str]] = set()
        #: How many times each key of `awaited` is called without `await` in the file.
        self.plain_calls: dict[tuple[object, str], int] = {}
        #: Attribute chains the file assigns in a function (`client.session = Mock()`): not resolved by class.
        self.replaced_chains: set[tuple[object, str]] = set()
        #: Chains helpers replace on a parameter (`_helper_parameter`): (helper, parameter, rest of the chain).
        self.helper_replaced: list[tuple[_Scope, str, str]] = []
        #: How many of the text's attribute assignments those are, by attribute (`_narrow_patched`).
        self._helper_counts: dict[str, int] = {}
        #: The chains `_spread_helper_replacements` added: no assignment of the text's own.
        self._spread: set[tuple[object, str]] = set()
        #: Callees whose made values are being keyed (`_made_key`): one met again is made through itself.
        self._making: set[str] = set()
        #: Names patched only while tests run (`_patched_for`), worked out when a fixture first needs them.
        self._test_scoped: set[str] | None = None
        #: Module-level helpers the file only ever calls by name, by name.
        self._called_only: dict[str, bool] = {}
        #: Each assignment of a chain, by function and chain: the value (None unless a plain `=`), the statement.
        self.replaced_with: dict[
            tuple[cst.FunctionDef, str], list[tuple[cst.BaseExpression | None, cst.CSTNode | None]]
        ] = {}
        #: The fixture definition each function's parameter receives, as a key of `awaited` (`_callee_key`).
        self._fixture_keys: dict[tuple[cst.FunctionDef, str], object] = {}
        #: The callees of `awaited` as written.
        self.awaited_written: set[str] = set()
        #: Bindings whose class is being worked out: one met again is defined through itself.
        self._resolving: set[_Binding] = set()
        #: What each binding worked out so far holds (`_binding_class`).
        self._held: dict[_Binding, Handed | None] = {}

    @property
    def shape(self) -> ModuleShape:
        """This module's own definitions, read when a name defined here has to be resolved."""
        if self._shape is None:
            self._shape = read_shape(self.text, self.path) or ModuleShape(self.path, {})
        return self._shape

    @property
    def ref(self) -> ModuleRef:
        if self._ref is None:
            self._ref = self.index.module_for_file(Path(self.path), self.shape)
        return self._ref

    def _module_level(self, name: str) -> str | bool | None:
        """What a module-level name is bound to: an absolute import target, LOCAL, None (ambiguous) or False."""
        if name not in self.imports.bindings:
            return LOCAL if self.imports.star_imports else False
        bound = self.imports.bindings[name]
        if bound is None:
            return None
        if bound.startswith(LOCAL):
            return LOCAL
        return absolute_name(self.dotted, self.is_package, bound)

    # -- phase 1: scopes -------------------------------------------------------------------------------------

    def run(self) -> AwaitAnalysis:
        self._collect(self.module.body, None, None, nested=False)
        for scope in self.scopes:
            self._read_scope(scope)
        self._spread_helper_replacements()
        self._narrow_patched()
        # Every binding is read and what the file patches is settled: a chain means the same all along now.
        self._chain_values = {}
        for scope in self.scopes:  # keys need every binding of the scope, so after reading it all
            for call in scope.awaited_calls:
                for key in (self._callee_key(scope, call.func), self._made_callee_key(scope, call.func)):
                    if key is not None:
                        self.awaited.setdefault(key, []).append(call)
        self.awaited_written = {key[1] for key in self.awaited}
        if self.awaited:
            self._note_used_unawaited()
        for scope in self.scopes:
            self._judge(scope)
        return self.result

    def _collect(
        self,
        body: Sequence[cst.CSTNode],
        class_node: cst.ClassDef | None,
        class_name: str | None,
        *,
        nested: bool,
        parent: _Scope | None = None,
    ) -> None:
        for statement in body:
            for node in statements(statement):
                if isinstance(node, cst.FunctionDef):
                    info = self.functions.get(node)
                    role = self.roles.get(node, "helper")
                    self_name = None
                    if class_node is not None:
                        params = node.params.params
                        decorated_static = any(
                            dotted_name(d.decorator) in {"staticmethod", "classmethod"} for d in node.decorators
                        )
                        if params and not decorated_static:
                            self_name = params[0].name.value
                    scope = _Scope(node, info, role, class_name, class_node, self_name, nested, parent)
                    self.scopes.append(scope)
                    self._collect(body_statements(node.body), None, None, nested=True, parent=scope)
                elif isinstance(node, cst.ClassDef):
                    top_level = not nested and class_node is None
                    self._collect(
                        body_statements(node.body),
                        node,
                        node.name.value if top_level else None,
                        nested=nested,
                        parent=parent,
                    )

    def _resolve_module_level(self, path: list[str]) -> Resolved | None:
        """A chain starting with a module-level name: through the imports, or this module's own shape."""
        bound = self._module_level(path[0])
        if not isinstance(bound, str):
            return None
        if bound == LOCAL:
            return self.index.resolve_in(self.ref, path)
        return self.index.resolve(".".join([bound, *path[1:]]))

    def _read_scope(self, scope: _Scope) -> None:
        function = scope.function
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bind(param.name.value, _Binding("param", param=param))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bind(star.name.value, _Binding("opaque"))
        stack: list[tuple[cst.CSTNode, cst.CSTNode, bool]] = [(function.body, function, False)]
        parents = scope.parents
        note = self._note_binding
        # Exact-type tests: LibCST's node classes are ABCs, whose isinstance() is slow in this hot loop.
        while stack:
            node, parent, silenced = stack.pop()
            parents[node] = parent
            kind = type(node)
            if kind in PRUNED_TYPES:
                scope.nested_scopes.append(node)
                if kind is cst.FunctionDef:
                    scope.bind(cast(cst.FunctionDef, node).name.value, _Binding("def", definition=node))
                elif kind is cst.ClassDef:
                    scope.bind(cast(cst.ClassDef, node).name.value, _Binding("opaque"))
                continue
            if silenced:
                scope.silenced.add(node)
            if kind is cst.Name:
                name = cast(cst.Name, node)
                scope.names.setdefault(name.value, []).append(name)
                continue  # no children
            if kind in BINDING_TYPES:
                note(scope, node)
            if kind is cst.Call:
                scope.calls.append(cast(cst.Call, node))
            elif kind is cst.Await:
                awaited = cast(cst.Await, node).expression
                if type(awaited) is cst.Call:
                    scope.awaited_calls.append(awaited)
            if kind is cst.With and not silenced and self._silences(cast(cst.With, node)):
                silenced = True
            dead = self._dead_branch(cast(cst.If, node)) if kind is cst.If else None
            for child in reversed(code_children(node)):
                stack.append((child, node, silenced or child is dead))

    def _dead_branch(self, node: cst.If) -> cst.CSTNode | None:
        """The branch of `if FLAG:` that never runs, for a module-level `FLAG = True/False` (generated code)."""
        test = node.test
        negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
        if isinstance(test, cst.UnaryOperation) and negated:
            test = test.expression
        if not isinstance(test, cst.Name) or test.value not in self.constants:
            return None
        value = self.constants[test.value] != negated
        return node.orelse if value else node.body

    def _note_replaced(
        self,
        scope: _Scope,
        target: cst.BaseExpression,
        value: cst.BaseExpression | None = None,
        statement: cst.CSTNode | None = None,
    ) -> None:
        """`s.client = Mock()`: what the chain holds from now on is the assigned value, not its declared class.
        (`self.x = ...` of a setup method is what the class's attribute types are read from: not noted.) A plain
        assignment's value and statement are kept, by function and chain (`_replacements`)."""
        written = dotted_name(target) if isinstance(target, cst.Attribute) else None
        if written is None:
            return
        head, _, rest = written.partition(".")
        if head == scope.self_name and "." not in rest:
            return
        # A local's chain is replaced in its function only, and so is a function-scoped fixture's (each test
        # gets its own); a wider fixture's, `self`'s or a global's may be shared.
        if self._helper_parameter(scope, head) is not None:
            # `def _add_mock(ep): ep.request = Mock()`: the object a caller passes, seen from the caller.
            self.helper_replaced.append((scope, head, rest))
            return
        self.replaced_chains.add((self._chain_owner(scope, head), written))
        self.replaced_with.setdefault((scope.function, written), []).append((value, statement))

    def _chain_owner(self, scope: _Scope, head: str) -> object:
        """Which functions see a chain starting at `head` replaced: this one alone for a local or a
        function-scoped fixture (each test gets its own), every one ("file") for `self`, a parameter, a wider
        fixture or a global, which may be shared."""
        local = scope.bindings.get(head)
        owner: object = scope.function if local and all(b.kind != "param" for b in local) else "file"
        if owner == "file" and local and head != scope.self_name and scope.role in {"test", "fixture"}:
            definition = self.fixture_types.definition(scope, head)
            if definition is not None and definition.scope in {None, "function"}:
                owner = scope.function
        return owner

    def _helper_parameter(self, scope: _Scope, head: str) -> cst.Param | None:
        """`head` as a parameter of a module-level plain helper that the file only ever calls by name (no
        decorator, never passed around): what it replaces on it is replaced on what each call passes."""
        if scope.role != "helper" or scope.nested or scope.class_node is not None or scope.function.decorators:
            return None
        local = scope.bindings.get(head)
        if not local or len(local) != 1 or local[0].kind != "param" or local[0].param is None:
            return None
        name = scope.function.name.value
        if name not in self._called_only:
            mentions = len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", self.text))
            calls = len(re.findall(rf"(?<![\w.]){re.escape(name)}\s*\(", self.text))
            self._called_only[name] = mentions == calls and self.text.count(f"def {name}(") == 1
        return local[0].param if self._called_only[name] else None

    def _spread_helper_replacements(self) -> None:
        """Each chain a helper replaces on a parameter (`_helper_parameter`) is replaced, in every function
        calling the helper, on the argument passed and on the names bound to the call's result
        (`ep = _add_mock(ep)`). An argument asynclint cannot name (a parameter passed on, `*args`) leaves the
        attribute unknown file-wide, as before."""
        by_helper: dict[str, list[tuple[_Scope, str, str]]] = {}
        for helper, param, rest in self.helper_replaced:
            by_helper.setdefault(helper.function.name.value, []).append((helper, param, rest))
            attribute = rest.rpartition(".")[2]
            self._helper_counts[attribute] = self._helper_counts.get(attribute, 0) + 1
        for scope in self.scopes:
            for call in scope.calls:
                func = call.func
                if not isinstance(func, cst.Name) or func.value not in by_helper or self._local(scope, func.value):
                    continue
                for helper, param, rest in by_helper[func.value]:
                    known, argument = _argument_for(helper.function, param, call)
                    written = dotted_name(argument) if argument is not None else None
                    if not known or (argument is not None and written is None):
                        # What it is passed cannot be named: the attribute stays unknown everywhere.
                        self.replaced_chains.add(("file", f"{param}.{rest}"))
                        self._helper_counts.pop(rest.rpartition(".")[2], None)
                        continue
                    heads = [written] if written is not None else []
                    holder = scope.parents.get(call)
                    if isinstance(holder, cst.Assign) and holder.value is call:
                        heads.extend(dotted_name(target.target) or "" for target in holder.targets)
                    for head_chain in filter(None, heads):
                        owner = self._chain_owner(scope, head_chain.partition(".")[0])
                        self.replaced_chains.add((owner, f"{head_chain}.{rest}"))
                        self._spread.add((owner, f"{head_chain}.{rest}"))

    def _note_binding(self, scope: _Scope, node: cst.CSTNode) -> None:
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            for assigned in node.targets if isinstance(node, cst.Assign) else (node,):
                plain = isinstance(node, cst.Assign) and len(node.targets) == 1
                self._note_replaced(scope, assigned.target, node.value if plain else None, node)
        if isinstance(node, cst.Assign):
            single = len(node.targets) == 1
            for target in node.targets:
                unpacked = self._unpacked_names(target.target) if single else None
                if unpacked is not None:
                    for name, path in unpacked:
                        scope.bind(name.value, _Binding("element", node.value, path=path))
                    continue
                for name in target_names(target.target):
                    plain = single and name is target.target
                    scope.bind(name.value, _Binding("value", node.value) if plain else _Binding("opaque"))
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            scope.bind(node.target.value, _Binding("annotation", node.annotation.annotation))
            if node.value is not None:
                scope.bind(node.target.value, _Binding("value", node.value))
        elif isinstance(node, (cst.AugAssign, cst.For, cst.NamedExpr)):
            for name in target_names(node.target):
                scope.bind(name.value, _Binding("opaque"))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            names = list(target_names(node.asname.name))
            if len(names) == 1 and names[0] is node.asname.name:
                scope.bind(names[0].value, _Binding("enter", node.item))
            else:
                for name in names:
                    scope.bind(name.value, _Binding("opaque"))
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            for name in target_names(node.name.name):
                scope.bind(name.value, _Binding("opaque"))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                scope.bind(item.name.value, _Binding("opaque"))
        elif isinstance(node, cst.Del):
            for name in target_names(node.target):
                scope.bind(name.value, _Binding("opaque"))
        elif isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    scope.bind(alias.asname.name.value, _Binding("import", dotted=full))
                elif full is not None:
                    head = full.partition(".")[0]
                    scope.bind(head, _Binding("import", dotted=head))
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            level = "." * len(node.relative)
            module = dotted_name(node.module) if node.module is not None else ""
            for alias in node.names:
                imported = dotted_name(alias.name)
                local = imported
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                if local is None or imported is None:
                    continue
                source = f"{level}{module}"
                separator = "" if source.endswith(".") else "."
                absolute = absolute_name(self.dotted, self.is_package, f"{source}{separator}{imported}")
                scope.bind(local, _Binding("import", dotted=absolute) if absolute else _Binding("opaque"))
        elif isinstance(node, cst.MatchAs) and node.name is not None:
            scope.bind(node.name.value, _Binding("opaque"))

    @staticmethod
    def _unpacked_names(
        target: cst.BaseExpression, path: tuple[tuple[int, int], ...] = ()
    ) -> list[tuple[cst.Name, tuple[tuple[int, int], ...]]] | None:
        """The names a tuple or list target binds, each with where its element is (see `_Binding.path`); None
        for a target that is no tuple, or holds a starred, attribute or subscript target: its names stay opaque."""
        if not isinstance(target, (cst.Tuple, cst.List)):
            return None
        found: list[tuple[cst.Name, tuple[tuple[int, int], ...]]] = []
        size = len(target.elements)
        for index, element in enumerate(target.elements):
            if isinstance(element, cst.StarredElement):
                return None
            where = (*path, (index, size))
            if isinstance(element.value, cst.Name):
                found.append((element.value, where))
                continue
            inner = FileAwaits._unpacked_names(element.value, where)
            if inner is None:
                return None
            found.extend(inner)
        return found

    def _silences(self, node: cst.With) -> bool:
        for item in node.items:
            expr = item.item
            target = expr.func if isinstance(expr, cst.Call) else expr
            written = dotted_name(target)
            canonical = self._canonical(written) if written else None
            if canonical in WARNING_CONTEXTS:
                return True
        return False

    def _canonical(self, written: str) -> str | None:
        """A module-level dotted name made absolute through the imports (`pt.raises` -> `pytest.raises`)."""
        head, _, rest = written.partition(".")
        bound = self._module_level(head)
        if bound is False:
            return written if head in {"pytest", "asyncio", "warnings"} else None
        if not isinstance(bound, str) or bound == LOCAL:
            return None
        return f"{bound}.{rest}" if rest else bound

    # -- resolution --------------------------------------------------------------------------------------

    def _local(self, scope: _Scope, name: str) -> _Binding | bool | None:
        """The single local binding of `name`; False when it is not local; None when bound ambiguously."""
        found = scope.bindings.get(name)
        if found is None:
            return False
        if len(found) == 1:
            return found[0]
        annotations = [b for b in found if b.kind == "annotation"]
        values = [b for b in found if b.kind != "annotation"]
        if len(annotations) == 1 and len(values) <= 1:
            return annotations[0]
        return None

    def _resolve_name(self, scope: _Scope, name: str) -> Resolved | None:
        local = self._local(scope, name)
        if local is False:
            if name in self.patched:
                return None
            if scope.nested:  # a free variable: what the enclosing function binds it to
                return self._resolve_name(scope.parent, name) if scope.parent is not None else None
            return self._resolve_module_level([name])
        if not isinstance(local, _Binding):
            return self._agreed(scope, name)
        if local.kind == "import" and local.dotted:
            return self.index.resolve(local.dotted)
        if local.kind == "def":
            return self._nested_coroutine_function(local.definition)
        return self._binding_class(scope, local)

    def _agreed(self, scope: _Scope, name: str) -> Instance | None:
        """A name the function binds several times, each time to an instance of the same class (`client =
        Client()` and later `client = Client(url)`; a parameter annotated `Order` and `order = await reload(
        order)`): an instance of that class, whichever binding a line sees."""
        bindings = scope.bindings.get(name, [])
        if len(bindings) > _AGREEING_BINDINGS or any(binding.kind not in _VALUE_BINDINGS for binding in bindings):
            return None
        found: KnownClass | None = None
        for binding in bindings:
            held = self._binding_class(scope, binding)
            if not isinstance(held, Instance) or held.attributes or held.mocked:
                return None  # unknown, or an object set up where it was made: each binding its own
            if found is not None and held.cls.dotted != found.dotted:
                return None
            found = held.cls
        return Instance(found) if found is not None else None

    def _nested_coroutine_function(self, node: cst.CSTNode | None) -> CoroutineFunction | None:
        """An `async def` defined in a function's body, undecorated and not a generator: calling it gives a
        coroutine (`async def do_verify(): ...` then `do_verify()`). Anything else defined there: not known.
        Where it is goes into messages through `Callee.definition`."""
        if not isinstance(node, cst.FunctionDef) or node.asynchronous is None or node.decorators:
            return None
        nested = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
        own = descendants(node.body, prune=lambda n: isinstance(n, nested), expand=code_children)
        if any(isinstance(child, cst.Yield) for child in own):
            return None  # an async generator: calling it gives an async iterator
        return CoroutineFunction(node.name.value, "this file")

    def _defined_in_function(self, scope: _Scope, name: str) -> cst.CSTNode | None:
        """The `def` a function (or one enclosing it) binds `name` to, if that is how it is bound."""
        local = self._local(scope, name)
        if local is False and scope.nested and scope.parent is not None:
            return self._defined_in_function(scope.parent, name)
        return local.definition if isinstance(local, _Binding) and local.kind == "def" else None

    def _binding_class(self, scope: _Scope, binding: _Binding) -> Handed | None:
        """What a binding holds: an instance of a known class, or a function (a factory fixture's); None for one
        defined through itself (`x = x.make()`, `with x.open() as x`, `x: x.T`), which the function alone cannot
        tell. Worked out once per binding: a test calls methods of the same few names many times."""
        if binding in self._held:
            return self._held[binding]
        if binding in self._resolving:
            return None
        self._resolving.add(binding)
        try:
            found = self._binding_class_of(scope, binding)
        finally:
            self._resolving.discard(binding)
        self._held[binding] = found
        return found

    def _binding_class_of(self, scope: _Scope, binding: _Binding) -> Handed | None:
        expr = binding.expr
        if binding.kind == "value" and expr is not None:
            return self._assigned(scope, expr)
        if binding.kind == "element" and expr is not None:
            return self._element(scope, expr, binding.path)
        cls = None
        if binding.kind == "annotation" and expr is not None:
            cls = self._annotated(scope, expr)
        elif binding.kind == "enter" and isinstance(expr, cst.Call):
            cls = self._entered(scope, expr)
        elif binding.kind == "param" and binding.param is not None:
            param = binding.param
            if param.annotation is not None:
                # Python evaluates a parameter's annotation where the function is defined, not in its body:
                # in `def test(mock: mock.MagicMock)` the annotation's `mock` is the module, not the parameter.
                annotation = param.annotation.annotation
                if isinstance(annotation, cst.Subscript):
                    return self._annotated_sequence(scope, annotation)
                cls = self._annotated(scope, annotation, outside=True)
            elif scope.role in {"test", "fixture"} and param.name.value != scope.self_name:
                return self.fixture_types.value_of(self, scope, param.name.value)
        return Instance(cls) if cls is not None else None

    def _assigned(self, scope: _Scope, expr: cst.BaseExpression) -> Handed | None:
        """What `name = expr` binds: a constructor's instance, what a call (or awaiting it) gives, an element of
        a tuple at a constant index (`pair[0]`)."""
        if isinstance(expr, cst.Call):
            cls = self._constructed(scope, expr)
            return self._made(scope, expr, cls) if cls is not None else self._call_value(scope, expr, awaited=False)
        if isinstance(expr, cst.Await) and isinstance(expr.expression, cst.Call):
            cls = self._constructed(scope, expr.expression)
            if cls is not None:  # `await ConnectionPool(...)`: what its `__await__` gives
                if cls.is_async_mock:
                    return None
                awaited = self._unpatched(self.index.awaited_instance(cls))
                mocked = any(self._is_mock_argument(scope, arg.value) for arg in expr.expression.args)
                return replace(awaited, mocked=True) if isinstance(awaited, Instance) and mocked else awaited
            return self._call_value(scope, expr.expression, awaited=True)
        if isinstance(expr, (cst.Name, cst.Attribute)):
            # `blockchain = empty_blockchain`: another name for the same object.
            found = self._expr_value(scope, expr)
            return found if isinstance(found, (Instance, Items, Coroutine, Many)) else None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            index = expr.slice[0].slice
            if not isinstance(index, cst.Index) or index.star is not None:
                return None
            number, sign = index.value, 1
            if isinstance(number, cst.UnaryOperation) and isinstance(number.operator, cst.Minus):
                number, sign = number.expression, -1
            position = literal_value(number) if isinstance(number, cst.Integer) else None
            if not isinstance(position, int):
                return None
            items = self._items(scope, expr.value)
            if isinstance(items, Many):
                return items.element  # `clients[0]`: one of its elements, if it has one (else IndexError)
            if items is None or not -len(items.elements) <= sign * position < len(items.elements):
                return None
            return items.elements[sign * position]
        return None

    def _made(self, scope: _Scope, call: cst.Call, cls: KnownClass) -> Instance:
        """The instance `Cls(...)` makes: what it stores of its arguments (`CoroutineIndex.instance`); with a mock
        among them, its collaborators may be mocks."""
        if cls.is_async_mock or cls.shape is None:
            return Instance(cls)
        mocks = [self._is_mock_argument(scope, arg.value) for arg in call.args]
        shape = cls.shape
        if shape.init_params is None or not shape.argument_attributes or any(arg.star for arg in call.args):
            return Instance(cls, mocked=any(mocks))  # nothing it stores of its arguments can be told
        positional: list[Handed | None] = []
        keywords: dict[str, Handed | None] = {}
        for arg, is_mock in zip(call.args, mocks, strict=True):
            held = Instance(MOCK_CLASS) if is_mock else self._assigned(scope, arg.value)
            if arg.keyword is None:
                positional.append(held)
            else:
                keywords[arg.keyword.value] = held
        return self.index.instance(cls, positional, keywords, mocked=any(mocks))

    def _is_mock_argument(self, scope: _Scope, value: cst.BaseExpression) -> bool:
        """`MagicMock()`, `mock.sentinel.x`, or a local name bound to a new mock."""
        if isinstance(value, cst.Name):
            local = self._local(scope, value.value)
            if isinstance(local, _Binding) and local.kind == "value" and local.expr is not None:
                value = local.expr
        written = dotted_name(value.func if isinstance(value, cst.Call) else value)
        return is_mock_maker(written) and (isinstance(value, cst.Call) or "sentinel" in (written or ""))

    def _element(self, scope: _Scope, expr: cst.BaseExpression, path: tuple[tuple[int, int], ...]) -> Handed | None:
        """What a name unpacked from `expr` holds (`client, server = pair`): its element, when every level holds a
        tuple of the target's length; an element of a tuple written there (`a, b = Client(), make()`) is what
        `a = Client()` would bind."""
        for level, (index, size) in enumerate(path):
            if isinstance(expr, (cst.Tuple, cst.List)):
                elements = expr.elements
                if len(elements) != size or any(isinstance(item, cst.StarredElement) for item in elements):
                    return None
                expr = elements[index].value
                continue
            found: Handed | None = self._items(scope, expr)
            for index, size in path[level:]:
                if isinstance(found, Many):
                    found = found.element  # unpacking succeeded, so each name got one of its elements
                    continue
                if not isinstance(found, Items) or len(found.elements) != size:
                    return None  # unpacking something else, or a tuple of another length, raises
                found = found.elements[index]
            return found
        return self._assigned(scope, expr)

    def _items(self, scope: _Scope, expr: cst.BaseExpression) -> Items | Many | None:
        """The tuple `expr` holds, when its length and elements are known, or the sequence of like elements it
        holds: a fixture, parameter or local holding one, a call of a helper returning one."""
        named = isinstance(expr, (cst.Name, cst.Attribute))
        found = self._expr_value(scope, expr) if named else self._assigned(scope, expr)
        return found if isinstance(found, (Items, Many)) else None

    def _call_value(self, scope: _Scope, call: cst.Call, *, awaited: bool) -> Handed | None:
        """What a call of a helper, a factory or a method gives (`awaited`: what `await call` gives), as the
        callee's source says (`CoroutineIndex.call_value`): `make_client()`, `await Client.connect()`,
        `make_client()` where `make_client` is a factory fixture. A name the file patches (the callee, or the
        class of what it gives) leaves it unknown: the patch decides what the call gives."""
        function = self._called_function(scope, call.func)
        if function is None:
            return None
        return self._unpatched(self.index.call_value(function, awaited=awaited))

    def _unpatched(self, made: Handed | None) -> Handed | None:
        """What a call gives, without instances of a class the file patches (the patch decides what they are)."""
        if isinstance(made, Instance) and made.cls.short_name in self.patched:
            return None
        if isinstance(made, Items):
            elements = tuple(self._unpatched(element) for element in made.elements)
            return Items(elements) if any(element is not None for element in elements) else None
        return made

    def _expr_value(self, scope: _Scope, expr: cst.BaseExpression, *, outside: bool = False) -> Resolved | None:
        """What a Name/Attribute chain refers to in this scope; `outside`: in the scope the function is defined
        in (where its parameters' annotations are evaluated), so none of the function's own names count."""
        written = dotted_name(expr)
        if written is None:
            if isinstance(expr, cst.Call) and not outside:
                cls = self._constructed(scope, expr)
                return self._made(scope, expr, cls) if cls is not None else self._call_value(scope, expr, awaited=False)
            return None
        if self._chain_values is None:
            return self._chain_value(scope, expr, written, outside)
        key = (scope, written, outside)
        memo = self._chain_values.get(key)
        if memo is None:
            before = self.index.unreadable
            found = self._chain_value(scope, expr, written, outside)
            memo = (found, self.index.unreadable - before, self.index.last_unreadable)
            self._chain_values[key] = memo
        elif memo[1]:
            # Resolving it needed the project's environment: each use tells `_judge_call` so, as the first did.
            self.index.unreadable += memo[1]
            self.index.last_unreadable = memo[2]
        return memo[0]

    def _chain_value(self, scope: _Scope, expr: cst.BaseExpression, written: str, outside: bool) -> Resolved | None:
        head, *rest = written.split(".")
        if rest and self.replaced_chains and self._replaced(scope, head, rest):
            return None
        if outside:
            # The enclosing scope: the module for a top-level function or method, else the enclosing function.
            if head in self.patched:
                return None
            if scope.nested:
                return self._expr_value(scope.parent, expr) if scope.parent is not None else None
            return self._resolve_module_level([head, *rest])
        if head == scope.self_name and scope.class_name is not None:
            binding = self.shape.names.get(scope.class_name)
            if binding is None or binding.klass is None:
                return None
            cls = KnownClass(f"{self.ref.dotted}.{scope.class_name}", binding.klass, self.ref)
            current: Resolved | None = Instance(cls)
        elif self._local(scope, head) is False:
            # A module-level name: the whole chain resolves at once (`asyncio.sleep` through the stdlib table).
            if head in self.patched:
                return None
            if scope.nested:  # a free variable: the chain as the enclosing function sees it
                return self._expr_value(scope.parent, expr) if scope.parent is not None else None
            return self._resolve_module_level([head, *rest])
        else:
            current = self._resolve_name(scope, head)
        for part in rest:
            current = self._attribute(current, part)
            if current is None:
                return None
        return current

    def _narrow_patched(self) -> None:
        """Attributes assigned only on objects of one function (a local, a function-scoped fixture: `ep.request =
        Mock()` in one test) replace nothing other functions reach: those chains are `replaced_chains` of that
        function alone, so the name need not silence the whole file. Every assignment the text shows must be
        one of them (none at module level, in a class body, on `self` or on a shared fixture)."""
        local: dict[str, int] = {}
        mock_names = self.assigned_attributes.mock_names
        for owner, chain in self.replaced_chains - self._spread:
            head, _, rest = chain.partition(".")
            if owner != "file" and not ("." not in rest and head in mock_names):  # as the text's counts are
                attribute = chain.rpartition(".")[2]
                local[attribute] = local.get(attribute, 0) + 1
        for attribute, count in self._helper_counts.items():
            local[attribute] = local.get(attribute, 0) + count
        if not local:
            return
        for attribute, count in self.assigned_attributes.counts.items():
            if local.get(attribute) == count and attribute not in self.call_patched:
                self.patched.discard(attribute)

    def _replacements(self, scope: _Scope, written: str, call: cst.Call) -> tuple[tuple[str, Handed | None], ...]:
        """What the function put on `written`'s object before `call`, as attributes of that object: a chain
        assigned once, by a statement of the function's own body that comes before the call, holds the value
        assigned (`app._ezsp.permitJoining = AsyncMock()`: `_ezsp` is an object whose `permitJoining` is an
        AsyncMock); any other chain leaves its first attribute unknown."""
        prefix = f"{written}."
        known: dict[str, dict[tuple[str, ...], Handed | None]] = {}
        unknown: set[str] = set()
        for owner, chain in self.replaced_chains:
            if not chain.startswith(prefix) or not (owner is scope.function or owner == "file"):
                continue
            path = tuple(chain[len(prefix) :].split("."))
            assignments = self.replaced_with.get((scope.function, chain), [])
            if owner != scope.function or len(assignments) != 1:
                unknown.add(path[0])
                continue
            value, statement = assignments[0]
            if value is None or statement is None or not self._runs_before(scope, statement, call):
                unknown.add(path[0])
                continue
            known.setdefault(path[0], {})[path[1:]] = self._assigned(scope, value)
        attributes: list[tuple[str, Handed | None]] = [(name, None) for name in sorted(unknown)]
        for name, paths in sorted(known.items()):
            if name not in unknown:
                attributes.append((name, _holding(paths)))
        return tuple(attributes)

    def _runs_before(self, scope: _Scope, statement: cst.CSTNode, call: cst.Call) -> bool:
        """Whether `statement` is a statement of the function's own body that runs before the one holding
        `call` (both directly in the body, in that order)."""
        body = scope.function.body
        if not isinstance(body, cst.IndentedBlock):
            return False
        lines: list[cst.CSTNode] = list(body.body)

        def top(node: cst.CSTNode) -> cst.CSTNode | None:
            current: cst.CSTNode | None = node
            while current is not None and current not in lines:
                current = scope.parents.get(current)
            return current

        first, then = top(statement), top(call)
        if first is None or then is None:
            return False
        if first is not statement and not (
            isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1 and first.body[0] is statement
        ):
            return False  # inside a block (`if`, `with`, a loop): it may not have run
        return lines.index(first) < lines.index(then)

    def _replaced_attributes(self, scope: _Scope, written: str) -> set[str]:
        """The attributes of `written`'s object that the function (or the file, for a shared object) sets, or
        sets attributes of (`ep.device = Mock()`, `ep.device.request = Mock()`: both "device")."""
        prefix = f"{written}."
        return {
            chain[len(prefix) :].partition(".")[0]
            for owner, chain in self.replaced_chains
            if chain.startswith(prefix) and (owner is scope.function or owner == "file")
        }

    def _replaced(self, scope: _Scope, head: str, rest: Sequence[str]) -> bool:
        chain = head
        for part in rest:
            chain = f"{chain}.{part}"
            if (scope.function, chain) in self.replaced_chains or ("file", chain) in self.replaced_chains:
                return True
        return False

    def _attribute(self, current: Resolved | None, part: str) -> Resolved | None:
        if isinstance(current, ModuleRef):
            return self.index.resolve_in(current, [part])
        if isinstance(current, KnownClass):
            return self.index.method(current, part)
        if isinstance(current, Instance):
            if current.cls.is_async_mock:
                return None  # children of a mock: not judged
            replaced, held = current.attribute(part)
            if replaced:
                return held  # set on the object where it was made (a fixture's `obj.client = Fake()`)
            method = self.index.method(current.cls, part)
            if method is not None:
                return method
            return self.index.attribute_value(current, part)
        return None

    def _constructed(self, scope: _Scope, call: cst.Call) -> KnownClass | None:
        """The class of `Cls(...)`, `mocker.AsyncMock(...)`, `asyncio.get_running_loop()`."""
        written = dotted_name(call.func)
        if written is None:
            return None
        head, _, rest = written.partition(".")
        if rest == "AsyncMock" and head in MOCKER_FIXTURES and self._local(scope, head) is not False:
            return KnownClass("unittest.mock.AsyncMock", None, None)
        found = self._expr_value(scope, call.func)
        if isinstance(found, KnownClass):
            return found
        if found is None and self._absolute(scope, written) in LOOP_GETTERS:
            return KnownClass("asyncio.AbstractEventLoop", None, None, STDLIB_CLASSES["asyncio.AbstractEventLoop"])
        if self._is_patcher(scope, written):
            return self._patch_mock(scope, call)
        return None

    def _is_patcher(self, scope: _Scope, written: str) -> bool:
        """`patch(...)`, `mock.patch.object(...)`, `mocker.patch(...)`: calls that make a mock for a target."""
        head, _, rest = written.partition(".")
        if head in MOCKER_FIXTURES and rest in {"patch", "patch.object"}:
            return self._local(scope, head) is not False
        return self._absolute(scope, written) in PATCHERS

    def _absolute(self, scope: _Scope, written: str) -> str | None:
        head = written.partition(".")[0]
        if self._local(scope, head) is not False:
            return None
        return self._canonical(written)

    def _patch_mock(self, scope: _Scope, call: cst.Call) -> KnownClass | None:
        """The mock a `patch(...)` call makes: an AsyncMock for `new_callable=AsyncMock` or an async target."""
        for arg in call.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value == "new_callable":
                found = self._expr_value(scope, arg.value)
                return found if isinstance(found, KnownClass) and found.is_async_mock else None
            if arg.keyword.value == "new":
                if isinstance(arg.value, cst.Call):
                    made = self._constructed(scope, arg.value)
                    return made if made is not None and made.is_async_mock else None
                return None
            if arg.keyword.value in {"side_effect", "spec", "spec_set", "wraps", "create"}:
                return None
        positional = [arg for arg in call.args if arg.keyword is None]
        written = dotted_name(call.func) or ""
        target: Resolved | None = None
        if written.endswith(".object") and len(positional) == 2:
            attribute = literal_value(positional[1].value)
            owner = self._expr_value(scope, positional[0].value)
            if isinstance(attribute, str) and isinstance(owner, (KnownClass, ModuleRef)):
                target = self._attribute(owner, attribute)
        elif len(positional) == 1 and not written.endswith(".object"):
            path = literal_value(positional[0].value)
            if isinstance(path, str):
                target = self.index.resolve(path)
        if isinstance(target, CoroutineFunction) and target.native:
            return KnownClass("unittest.mock.AsyncMock", None, None)  # mock makes an AsyncMock for async targets
        return None

    def _annotated(self, scope: _Scope, annotation: cst.BaseExpression, *, outside: bool = False) -> KnownClass | None:
        """The class an annotation names; `outside` for a parameter's, evaluated where the function is defined."""
        if isinstance(annotation, cst.SimpleString):
            value = literal_value(annotation)
            if not isinstance(value, str):
                return None
            try:
                annotation = cst.parse_expression(value)
            except cst.ParserSyntaxError:
                return None
        found = self._expr_value(scope, annotation, outside=outside)
        return found if isinstance(found, KnownClass) else None

    def _annotated_sequence(self, scope: _Scope, annotation: cst.BaseExpression, depth: int = 0) -> Handed | None:
        """What a parameter annotated `tuple[A, B]` or `list[A]` holds (tuples and lists nested too): its
        elements' classes, for the names that unpack it."""
        if not isinstance(annotation, cst.Subscript):
            cls = self._annotated(scope, annotation, outside=True)
            return Instance(cls) if cls is not None else None
        outer = dotted_name(annotation.value)
        kind = outer.rpartition(".")[2] if outer is not None else None
        arguments = [element.slice for element in annotation.slice]
        if depth > 4 or any(not isinstance(argument, cst.Index) for argument in arguments):
            return None
        values = [argument.value for argument in arguments if isinstance(argument, cst.Index)]
        if kind in {"tuple", "Tuple"}:
            if any(isinstance(value, cst.Ellipsis) for value in values):
                return None  # `tuple[Client, ...]`: of any length
            elements = tuple(self._annotated_sequence(scope, value, depth + 1) for value in values)
            return Items(elements) if any(element is not None for element in elements) else None
        if kind in {"list", "List", "Sequence"} and len(values) == 1:
            element = self._annotated_sequence(scope, values[0], depth + 1)
            return Many(element) if element is not None else None
        cls = self._annotated(scope, annotation.value, outside=True)  # a generic class: `Pool[Connection]`
        return Instance(cls) if cls is not None else None

    def _entered(self, scope: _Scope, call: cst.Call) -> KnownClass | None:
        """The class of `x` in `with call as x`."""
        cls = self._constructed(scope, call)
        if cls is None:
            function = self._called_function(scope, call.func)
            if function is not None and function.shape.context_manager:
                entered = self.index.entered(function)  # `async with open_client() as x`, a context manager
                return entered.cls if isinstance(entered, Instance) and not entered.cls.is_async_mock else None
            made = self._call_value(scope, call, awaited=False)  # `with open_client() as x`
            cls = made.cls if isinstance(made, Instance) else None
        if cls is None:
            return None
        if cls.is_async_mock:
            # `with patch(..., new_callable=AsyncMock) as m` binds the mock; `with AsyncMock() as m` does not.
            written = dotted_name(call.func) or ""
            return cls if self._is_patcher(scope, written) else None
        if cls.shape is not None and cls.shape.enter_returns_self:
            return cls
        return None

    def callee(self, scope: _Scope, call: cst.Call) -> Callee | None:
        """The callee of `call` when it surely returns a coroutine."""
        func = call.func
        written = dotted_name(func)
        last = written.rpartition(".")[2] if written else None
        found = self._expr_value(scope, func)
        if isinstance(found, Instance) and found.cls.is_async_mock:
            return Callee(written or "mock", f"`{written}` is an `AsyncMock`: calling it returns a coroutine")
        if last is not None and last in self._patched_for(scope):
            return None  # the test replaces it: what it returns is the replacement's business
        if isinstance(found, Instance) and written is not None:
            # `animator()`: an instance whose class defines `async def __call__`.
            call_method = self.index.method(found.cls, "__call__")
            if call_method is not None and call_method.returns == "coroutine" and not call_method.only_in_async:
                how = f"`{written}` is an instance of `{found.cls.short_name}`, and {call_method.how}"
                return Callee(written, how, legacy_asyncio=call_method.legacy_asyncio)
        if isinstance(found, CoroutineFunction):
            if scope.function.asynchronous is None and (found.only_in_async or found.returns != "coroutine"):
                return None  # in a sync function it may run at once, or return something else to wait for
            definition = self._defined_in_function(scope, func.value) if isinstance(func, cst.Name) else None
            return Callee(
                written or found.name,
                found.how,
                returns=found.returns,
                legacy_asyncio=found.legacy_asyncio,
                definition=definition,
            )
        returned = self._returned_coroutine(scope, call)
        if returned is not None:
            return returned
        if written is not None and "." in written:
            return self._consistent(scope, call, written)
        return None

    def _returned_coroutine(self, scope: _Scope, call: cst.Call) -> Callee | None:
        """A plain function or method that returns a coroutine function's call without awaiting it (`def
        request(self): return self.device.request(...)`): calling it gives that coroutine."""
        function = self._called_function(scope, call.func)
        if function is None or function.shape.kind != "sync" or function.shape.value is None:
            return None
        receiver: Instance | None = None
        if isinstance(call.func, cst.Attribute):
            found = self._expr_value(scope, call.func.value)
            receiver = found if isinstance(found, Instance) else None
            written = dotted_name(call.func.value)
            if written is not None and self._replaced_attributes(scope, written):
                if receiver is None:
                    return None  # `ep.request = MagicMock()`: the method may call what the test put there
                # What the test put there (`app._ezsp.permitJoining = AsyncMock()` just before), not what the
                # class declares; unknown where the test may have put anything.
                put = self._replacements(scope, written, call)
                receiver = replace(receiver, attributes=(*put, *receiver.attributes))
        # Followed through what the receiver holds: a collaborator it was given (a mock's method gives a mock).
        made = self._unpatched(self.index.call_value(function, awaited=False, receiver=receiver))
        if not isinstance(made, Coroutine):
            return None
        called = {made.written.rpartition(".")[2], (made.inner or made.written).rpartition(".")[2]}
        if made.function is not None:
            called.add(made.function.name.rpartition(".")[2])
        # The file patches a function on the way: the patch decides what comes back. (An `AsyncMock` the test
        # put on the object itself is what comes back, whatever else the file assigns.)
        if called & (self.patched if made.function is not None else self.call_patched):
            return None
        written = dotted_name(call.func) or function.name
        how = f"`{function.name}` ({function.module.where(function.shape.line)}) {made.how}"
        legacy = made.function.legacy_asyncio if made.function is not None else False
        return Callee(written, how, legacy_asyncio=legacy, runs_first=True)

    def _called_function(self, scope: _Scope, func: cst.BaseExpression) -> FunctionRef | None:
        """The function a call runs, whatever its kind: a method as the receiver's class defines it
        (`Client.connect()`, `client.clone()`), or a function named directly; None when a patch decides it, and
        for a class (`Cls()` is `_constructed`'s, and what `await Cls()` gives is not read)."""
        if isinstance(func, cst.Attribute) and func.attr.value in self._patched_for(scope):
            return None
        if isinstance(func, cst.Attribute):
            chain = dotted_name(func)
            if chain is not None and self.replaced_chains:
                head, *rest = chain.split(".")
                if self._replaced(scope, head, rest):
                    return None  # `endpoint.ping = Mock()` in this function: the replacement is called
            holder = self._expr_value(scope, func.value)
            if isinstance(holder, Instance) and not holder.cls.is_async_mock:
                replaced, _ = holder.attribute(func.attr.value)
                if replaced:
                    return None  # set on the object where it was made: not the class's method
                holder = holder.cls
            if isinstance(holder, KnownClass):
                method = self.index.member(holder, func.attr.value)
                if method is not None:
                    return method
        written = dotted_name(func)
        if written is None or written.rpartition(".")[2] in self._patched_for(scope):
            return None
        found = self._expr_value(scope, func)
        if isinstance(found, CoroutineFunction):
            return found.function
        return found if isinstance(found, FunctionRef) else None

    def _callee_key(self, scope: _Scope, func: cst.BaseExpression) -> tuple[object, str] | None:
        """A key under which the same callee expression means the same object across the file."""
        written = dotted_name(func)
        return self._chain_key(scope, written) if written is not None and "." in written else None

    def _chain_key(self, scope: _Scope, written: str) -> tuple[object, str] | None:
        head = written.partition(".")[0]
        if head == scope.self_name and scope.class_node is not None:
            return (scope.class_node, written)
        local = self._local(scope, head)
        if local is False:
            if scope.nested:  # a free variable: the enclosing function's receiver
                return self._chain_key(scope.parent, written) if scope.parent is not None else None
            if self._module_level(head) != LOCAL:
                return None
            binding = self.shape.names.get(head)
            return ("module", written) if binding is not None and binding.instance_of is not None else None
        if not isinstance(local, _Binding):
            return None
        if local.kind == "value" and isinstance(local.expr, cst.Name) and local.expr.value != head:
            # `chain = empty_chain`: another name for the fixture (or parameter) it copies.
            source = self._local(scope, local.expr.value)
            if isinstance(source, _Binding) and source.kind == "param":
                return self._chain_key(scope, f"{local.expr.value}.{written.partition('.')[2]}")
        if local.kind in {"value", "enter"}:
            return (scope.function, written)
        if local.kind == "param" and local.param is not None and head != scope.self_name:
            if scope.role in {"test", "fixture"}:
                # A fixture: the same object in every test of the file that gets this definition of it.
                if (scope.function, head) not in self._fixture_keys:
                    definition = self.fixture_types.definition(scope, head)
                    self._fixture_keys[(scope.function, head)] = (
                        ("fixture", definition.path, definition.key) if definition is not None else None
                    )
                fixture = self._fixture_keys[(scope.function, head)]
                return (fixture, written) if fixture is not None else None
            return (scope.function, written)
        return None

    def _patched_for(self, scope: _Scope) -> set[str]:
        """The names the file patches that may be patched while `scope` runs. A fixture runs outside its tests'
        bodies: a name patched only by `with patch...(...)` blocks and `@patch...(...)` decorators of tests
        is its own there (`async_client.clear_scroll(...)` in a teardown, patched in one test's `with`)."""
        if scope.role != "fixture" or not self.patched:
            return self.patched
        if self._test_scoped is None:
            self._test_scoped = self._test_scoped_patches()
        return self.patched - self._test_scoped if self._test_scoped else self.patched

    def _test_scoped_patches(self) -> set[str]:
        """Names every patch call of the file names only as a `with` item or a decorator of a test function;
        none when a patch call names its target in a way not read (`patch.object(obj, name)`, an f-string)."""
        in_tests: set[cst.CSTNode] = set()
        for scope in self.scopes:
            if scope.role == "test":
                in_tests.update(call for call in scope.calls if isinstance(scope.parents.get(call), cst.WithItem))
                in_tests.update(decorator.decorator for decorator in scope.function.decorators)
        scoped: dict[str, bool] = {}
        for node in descendants(self.module, expand=code_children):
            if not isinstance(node, cst.Call) or not _is_patch_call(node):
                continue
            names = _patched_names(node)
            if names is None:
                return set()  # `patch.object(obj, name)`: which attribute is not written
            for name in names:
                scoped[name] = scoped.get(name, True) and node in in_tests
        return {name for name, only in scoped.items() if only}

    def _made_callee_key(self, scope: _Scope, func: cst.BaseExpression) -> tuple[object, str] | None:
        """A second key for a method of a local made by a call (`_made_key`): `lock = self.get_lock(r)` here,
        `async with self.get_lock(r) as lock` there are values made by the same callee, in any function."""
        written = dotted_name(func)
        if written is None or "." not in written:
            return None
        head, _, rest = written.partition(".")
        bindings = scope.bindings.get(head, [])
        if not bindings or any(binding.kind not in {"value", "enter"} for binding in bindings):
            return None
        # Bound more than once (`async with self.get_lock() as lock` in two blocks): by the same callee each time.
        made = {self._made_key(scope, binding) for binding in bindings}
        only = made.pop() if len(made) == 1 else None
        return (only, f"{_MADE}.{rest}") if only is not None else None

    def _made_key(self, scope: _Scope, local: _Binding) -> object | None:
        """For a local bound once by a call (`x = make(...)`, `async with make(...) as x`, not awaited) of a
        method of a receiver the file keys (`self.get_lock`, a fixture's `client.lock`): that callee's key."""
        expr = local.expr
        if not isinstance(expr, cst.Call):
            return None
        if isinstance(expr.func, cst.Name):
            # `client = Client()`, `lock = make_lock()`: a module-level name (an import, a definition).
            name = expr.func.value
            if scope.nested or self._local(scope, name) is not False:
                return None
            bound = self._module_level(name)
            if not isinstance(bound, str):
                return None
            return ("made", "name", name if bound == LOCAL else bound)
        if not isinstance(expr.func, cst.Attribute):
            return None
        made_by = dotted_name(expr.func)
        if made_by is None or made_by in self._making:
            return None
        self._making.add(made_by)
        try:
            key = self._callee_key(scope, expr.func)
        finally:
            self._making.discard(made_by)
        return ("made", key) if key is not None else None

    def _consistent(self, scope: _Scope, call: cst.Call, written: str) -> Callee | None:
        """The same receiver's method awaited elsewhere in the file: it returns an awaitable.

        Only an awaitable, not surely a coroutine: objects such as aiohttp's request context managers can be
        awaited or entered, and tasks run whether awaited or not. So this evidence counts only for a dropped
        call, on a receiver whose class asynclint cannot read, of a method not named like a task spawner.
        """
        method = written.rpartition(".")[2]
        if TASK_LIKE.search(method):
            return None
        if not isinstance(call.func, cst.Attribute) or not self._maybe_awaited(written):
            return None
        use = self._use(scope, call)
        if use is None or use[0] not in {Use.DROPPED, Use.TRUTH}:
            return None
        if self._expr_value(scope, call.func.value) is not None:
            return None  # a receiver of a known class: its method is known not to be a plain `async def`
        head = written.partition(".")[0]
        local = self._local(scope, head)
        if isinstance(local, _Binding) and local.kind == "enter" and isinstance(local.expr, cst.Call):
            # `async with Cluster(...) as cluster`: whatever `__aenter__` hands out, a class that defines the
            # method as a plain `def` (`scale()`, which may be awaited or not) says the awaits prove nothing.
            entered = self._constructed(scope, local.expr)
            member = self.index.member(entered, method) if entered is not None else None
            if member is not None and member.shape.kind != "async":
                return None
        if isinstance(local, _Binding) and local.kind == "value":
            # A local made by a call: only when that callee is not defined in the function itself.
            made = local.expr.func if isinstance(local.expr, cst.Call) else None
            made_by = dotted_name(made) if made is not None else None
            made_head = made_by.partition(".")[0] if made_by is not None else None
            if made_head is None or (made_head != scope.self_name and self._local(scope, made_head) is not False):
                return None
        # The same receiver first; then, for a local made by a call, values the same callee made elsewhere.
        for key, share in ((self._callee_key(scope, call.func), 1), (self._made_callee_key(scope, call.func), 4)):
            if key is None:
                continue
            awaited = tuple(
                node
                for node in self.awaited.get(key, ())
                if node is not call and not self._alternatives(scope, node, call)
            )
            if not awaited:
                continue
            if key in self.used_unawaited:
                return None  # also called without `await` and used as a value: it may be both ways (sync and async)
            if self.plain_calls.get(key, 0) * share > len(self.awaited[key]):
                # Called plainly more often than awaited: a method meant both ways (`cluster.scale(2)` and
                # `await cluster.scale(2)`), not one `await` forgotten. On other objects the same callee made,
                # the awaits must outnumber the plain calls four to one: a pipeline's `get()` is awaited when it
                # runs at once and not when it is queued, several times each in one file.
                return None
            return Callee(written, f"`{written}(...)` is awaited elsewhere in this file", awaited)
        return None

    @staticmethod
    def _alternatives(scope: _Scope, one: cst.CSTNode, other: cst.CSTNode) -> bool:
        """Whether two nodes of the scope are on different branches of one `if`, conditional expression, `try`
        or `match`: `if client.is_async: await client.close()` / `else: client.close()` is a method that is
        async on one path and sync on the other."""
        parents = scope.parents
        if one not in parents:
            return False  # in another function
        above: set[int] = set()
        node: cst.CSTNode | None = one
        while node is not None:
            above.add(id(node))
            node = parents.get(node)
        node = other
        while node is not None and id(node) not in above:
            node = parents.get(node)
        return isinstance(node, (cst.If, cst.IfExp, cst.Try, cst.TryStar, cst.Match))

    def _maybe_awaited(self, written: str | None) -> bool:
        """A cheap first filter: a key of `awaited` holds the callee as written, or for a made value
        (`_made_key`) the chain after the local's name."""
        if written is None:
            return False
        return written in self.awaited_written or f"{_MADE}.{written.partition('.')[2]}" in self.awaited_written

    def _note_used_unawaited(self) -> None:
        """Receivers' methods also called without `await` for their value (stored, passed, returned): a method
        that may be sync in one place and async in another gives no evidence either way."""
        for scope in self.scopes:
            awaited = set(scope.awaited_calls)
            for call in scope.calls:
                if call in awaited or not isinstance(call.func, cst.Attribute):
                    continue
                if not self._maybe_awaited(dotted_name(call.func)):
                    continue
                for key in (self._callee_key(scope, call.func), self._made_callee_key(scope, call.func)):
                    if key is None or key not in self.awaited:
                        continue
                    self.plain_calls[key] = self.plain_calls.get(key, 0) + 1
                    use = self._use(scope, call)
                    if use is None or use[0] not in {Use.DROPPED, Use.TRUTH}:
                        self.used_unawaited.add(key)

    # -- phase 2: judging --------------------------------------------------------------------------------

    def _judge(self, scope: _Scope) -> None:
        is_async = scope.function.asynchronous is not None
        if not is_async and scope.role in {"test", "fixture"}:
            if scope.info is None:
                return
            if any(decorator.kind is DecoratorKind.UNKNOWN for decorator in scope.info.decorators):
                return  # a wrapper may run it in a loop, or skip it (`@require_sync`)
        for call in scope.calls:
            if call in scope.silenced:
                continue
            self._judge_call(scope, call, is_async)

    def _judge_call(self, scope: _Scope, call: cst.Call, is_async: bool) -> None:
        written = dotted_name(call.func)
        if written is not None:
            if self._mock_assertion(scope, call, written):
                return
            if is_async and self._orphan_task(scope, call, written):
                return
        if isinstance(scope.parents.get(call), cst.Await):
            return
        unreadable = self.index.unreadable
        callee = self.callee(scope, call)
        if callee is not None:
            self._report_use(scope, call, callee, is_async)
        elif (
            self.index.unreadable != unreadable
            and self.result.environment_needed is None
            and (self._use(scope, call) is not None or self._stored(scope, call) is not None)
        ):
            # Resolving it reached an installed package asynclint could not read: had that been a coroutine
            # function, used this way it would have been a finding.
            self.result.environment_needed = self.index.last_unreadable

    def _report_use(self, scope: _Scope, call: cst.Call, callee: Callee, is_async: bool) -> None:
        use = self._use(scope, call)
        # Known from the file's other uses only: judged where it is plainly a statement or an assertion.
        if callee.awaited_elsewhere and (not is_async or use is None or use[0] not in {Use.DROPPED, Use.TRUTH}):
            return
        if not is_async and scope.role not in {"test", "fixture"} and use is None:
            # A sync helper: a coroutine it drops, tests or compares never runs, whoever calls the helper; one
            # it stores or returns may be awaited by its caller.
            return
        if use is not None:
            kind, node = use
            if callee.consequence(kind) is None:
                return  # not a mistake for what this call returns (iterating a Future waits for it)
            self.result.unawaited.append(
                UnawaitedCall(
                    call,
                    scope.function,
                    scope.info,
                    scope.role,
                    callee,
                    kind,
                    node,
                    fixable=is_async and kind is not Use.CONTEXT,
                    parent=scope.parents.get(call),
                    passed_to=self._passed_to(scope, node) if kind is Use.PASSED else None,
                )
            )
            return
        stored = self._stored(scope, call)
        if stored is not None:
            kind, node, name = stored
            if callee.consequence(kind) is None:
                return
            self.result.unawaited.append(
                UnawaitedCall(
                    call,
                    scope.function,
                    scope.info,
                    scope.role,
                    callee,
                    kind,
                    node,
                    stored_in=name,
                    fixable=is_async and kind is not Use.CONTEXT,
                    parent=scope.parents.get(call),
                    passed_to=self._passed_to(scope, node) if kind is Use.PASSED else None,
                )
            )

    def _use(self, scope: _Scope, node: cst.CSTNode) -> tuple[Use, cst.CSTNode] | None:
        """How the value of `node` is used, when that use is a mistake for a coroutine object."""
        parent = scope.parents.get(node)
        if parent is None:
            return None
        if isinstance(parent, cst.Expr):
            block = scope.parents.get(scope.parents.get(parent, parent))
            if self._only_statements_of_raises(scope, parent, block):
                return Use.RAISES, node
            return Use.DROPPED, node
        if isinstance(parent, cst.Assert) and parent.test is node:
            return Use.TRUTH, node
        if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is node:
            return Use.TRUTH, node
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return Use.TRUTH, node
        if isinstance(parent, cst.BooleanOperation):
            if parent.right is node:
                # `cached or fetch()`: the right operand is the value of the whole expression, not tested.
                outer = self._use(scope, parent)
                return (outer[0], node) if outer is not None else None
            return Use.TRUTH, node
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            return Use.COMPARED, node
        if isinstance(parent, cst.Subscript) and parent.value is node:
            return Use.SUBSCRIPTED, node
        if isinstance(parent, cst.Attribute) and parent.value is node:
            attr = parent.attr.value
            if attr in COROUTINE_ATTRIBUTES or attr.startswith("cr_"):
                return None
            return Use.ATTRIBUTE, node
        if isinstance(parent, cst.For) and parent.iter is node:
            return Use.ITERATED, node
        if (
            isinstance(parent, cst.Assign)
            and parent.value is node
            and any(isinstance(target.target, (cst.Tuple, cst.List)) for target in parent.targets)
        ):
            return Use.UNPACKED, node  # `a, b = fetch_pair()`
        if isinstance(parent, cst.WithItem) and parent.item is node:
            return Use.CONTEXT, node
        if isinstance(parent, cst.Element) and isinstance(scope.parents.get(parent), cst.Tuple):
            # `yield client, server`: an element of the tuple a fixture hands out is handed out too.
            outer = self._use(scope, scope.parents[parent])
            return (Use.RETURNED, node) if outer is not None and outer[0] is Use.RETURNED else None
        if isinstance(parent, (cst.Return, cst.Yield)) and scope.role == "fixture":
            if isinstance(parent, cst.Yield) and isinstance(scope.parents.get(parent), cst.Assign):
                return None
            if scope.function.asynchronous is None:
                return None  # a sync fixture may hand a coroutine to tests that await it
            return Use.RETURNED, node
        if isinstance(parent, cst.Arg) and parent.value is node and not parent.star:
            call = scope.parents.get(parent)
            if not isinstance(call, cst.Call):
                return None
            if parent.keyword is None and self._unittest_assertion(scope, call):
                return Use.ASSERTED, node
            if parent.keyword is None and isinstance(call.func, cst.Name):
                name = call.func.value
                known = name in CONSUMING_BUILTINS or name == "bool"
                if known and self._local(scope, name) is False and name not in self.imports.bindings:
                    return (Use.TRUTH if name == "bool" else Use.CONSUMED), node
            if self._typed_parameter(scope, call, parent) is not None:
                return Use.PASSED, node
        return None

    def _passed_to(self, scope: _Scope, node: cst.CSTNode) -> str | None:
        arg = scope.parents.get(node)
        call = scope.parents.get(arg) if arg is not None else None
        if not isinstance(arg, cst.Arg) or not isinstance(call, cst.Call):
            return None
        return self._typed_parameter(scope, call, arg)

    def _typed_parameter(self, scope: _Scope, call: cst.Call, arg: cst.Arg) -> str | None:
        """What `arg` is passed to, in a finding's words, when the function (or the class's `__init__`) is one
        asynclint read and the parameter's annotation asks for a class a coroutine object never is (`def
        new_peak(self, block: FullBlock)`): the function says it wants the result, not the coroutine."""
        position: int | None = None
        if arg.keyword is None:
            position = 0
            for other in call.args:
                if other is arg:
                    break
                if other.star:
                    return None  # `f(*args, coro())`: which parameter it lands on is not known
                position += 1
        function = self._signature(scope, call.func)
        if function is None:
            return None
        keyword = arg.keyword.value if arg.keyword is not None else None
        for parameter in function.shape.parameters:
            if parameter.position == position if keyword is None else parameter.name == keyword:
                break
        else:
            return None
        if not self.index.excludes_coroutines(function.module, parameter.written):
            return None
        name = function.name.removesuffix(".__init__")
        which = f"parameter `{parameter.name}`" if parameter.name else f"parameter {(parameter.position or 0) + 1}"
        return f"is passed to `{name}`, whose {which} is typed `{parameter.written}`"

    def _signature(self, scope: _Scope, func: cst.BaseExpression) -> FunctionRef | None:
        """The function whose parameters a call's arguments go to, positions as `TypedParameter` counts them:
        a function, a method called on an object, or a class's own `__init__` (not one a decorator or a metaclass
        may write)."""
        found = self._expr_value(scope, func)
        if isinstance(found, KnownClass):
            init = self.index.member(found, "__init__")
            return init if init is not None and init.shape.kind == "sync" else None
        function = self._called_function(scope, func)
        if function is None or function.shape.kind not in {"sync", "async"} or not function.shape.parameters:
            return None
        if function.owner is None:
            return function
        if not isinstance(func, cst.Attribute):
            return None
        holder = self._expr_value(scope, func.value)
        return function if isinstance(holder, Instance) and not holder.mocked else None

    def _unittest_assertion(self, scope: _Scope, call: cst.Call) -> bool:
        """`self.assertIsNotNone(...)` in a method of a `unittest.TestCase` class that does not define the
        assertion itself, not awaited (an awaited one is the class's own helper)."""
        func = call.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in UNITTEST_ASSERTIONS
            and isinstance(func.value, cst.Name)
            and func.value.value == scope.self_name
            and scope.class_name is not None
            and scope.class_node is not None
            and not isinstance(scope.parents.get(call), cst.Await)
        ):
            return False
        facts = self.fixture_types.model.classes.get(scope.class_name)
        if facts is None or facts.testcase not in {TestCaseKind.PLAIN, TestCaseKind.ASYNC}:
            return False
        defined = {
            statement.name.value
            for statement in body_statements(scope.class_node.body)
            if isinstance(statement, cst.FunctionDef)
        }
        return func.attr.value not in defined

    def _only_statements_of_raises(self, scope: _Scope, expr: cst.Expr, block: cst.CSTNode | None) -> bool:
        """`with pytest.raises(E): coro()`, the block holding nothing but dropped coroutine calls."""
        if not isinstance(block, cst.IndentedBlock):
            line = scope.parents.get(expr)
            suite = scope.parents.get(line) if line is not None else None
            if not isinstance(suite, cst.SimpleStatementSuite):
                return False
            block = suite
        with_node = scope.parents.get(block)
        if not isinstance(with_node, cst.With):
            return False
        if not any(
            self._canonical(dotted_name(item.item.func) or "") in RAISES_CONTEXTS
            for item in with_node.items
            if isinstance(item.item, cst.Call)
        ):
            return False
        statements = block.body
        smalls: list[cst.BaseSmallStatement] = []
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                smalls.extend(statement.body)
            elif isinstance(statement, cst.BaseSmallStatement):
                smalls.append(statement)
            else:
                return False
        return all(isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) for small in smalls)

    def _stored(self, scope: _Scope, call: cst.Call) -> tuple[Use, cst.CSTNode, str] | None:
        """`result = fetch()` and then `result` only used as a value (or not at all)."""
        parent = scope.parents.get(call)
        if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
            return None
        target = parent.targets[0].target
        if not isinstance(target, cst.Name):
            return None
        name = target.value
        if name in scope.nested_names():
            return None
        if len(scope.bindings.get(name, ())) == 1:
            reached: list[cst.Name] | None = [node for node in scope.names.get(name, ()) if node is not target]
        else:
            reached = self._until_rebound(scope, parent, target)
        if reached is None:
            return None
        uses = [node for node in reached if is_load(scope.parents, node)]
        if len(uses) != len(reached):
            return None
        if not uses:
            return (Use.DROPPED, target, name) if name != "_" else None
        judged = [self._use(scope, use) for use in uses]
        if any(j is None or j[0] in {Use.DROPPED, Use.RAISES} for j in judged):
            return None
        first = judged[0]
        assert first is not None
        return first[0], first[1], name

    def _until_rebound(self, scope: _Scope, assign: cst.Assign, target: cst.Name) -> list[cst.Name] | None:
        """The names `name` after `name = fetch()` up to the statement of its block that binds the name again
        (its own value included: `x = await x`), for a name the function binds more than once. Only where that
        is all the value reaches: outside loops (the next round sees it before this line) and `try` blocks (a
        handler may see it after the rebinding)."""
        statement = scope.parents.get(assign)
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        node: cst.CSTNode | None = statement
        while node is not None and node is not scope.function:
            node = scope.parents.get(node)
            if isinstance(node, (cst.For, cst.While, cst.Try, cst.TryStar)):
                return None
        block = scope.parents.get(statement)
        body = block.body if isinstance(block, cst.IndentedBlock) else ()
        later = list(body[body.index(statement) + 1 :]) if statement in body else []
        name = target.value
        rebinding = next((line for line in later if _assigns_name(line, name)), None)
        names = scope.names.get(name, [])
        reached: list[cst.Name] = []
        inside = False
        for found in names[names.index(target) + 1 :]:
            if rebinding is not None and _within(scope.parents, found, rebinding):
                inside = True
                if is_load(scope.parents, found):
                    reached.append(found)
                continue
            if inside:
                break
            reached.append(found)
        return reached

    # -- AsyncMock assertions and orphan tasks ---------------------------------------------------------

    def _mock_assertion(self, scope: _Scope, call: cst.Call, written: str) -> bool:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ASSERT_RENAMES:
            return False
        receiver = func.value
        mock = dotted_name(receiver)
        if mock is None:
            return False
        found = self._expr_value(scope, receiver)
        if not (isinstance(found, Instance) and found.cls.is_async_mock):
            return True
        # Where the test itself calls the mock without awaiting it, the assertion passes on a coroutine that
        # never ran. Where only the code under test calls it, the assertion passes whether or not that code
        # awaited it: reported when the test checks awaiting nowhere (`assert_awaited*`, `await_count`...).
        calls = [other for other in scope.calls if other is not call and dotted_name(other.func) == mock]
        direct = any(not isinstance(scope.parents.get(other), cst.Await) for other in calls)
        if not direct and (calls or self._checks_awaiting(scope, mock)):
            return True
        old = func.attr.value
        self.result.mock_assertions.append(
            MockAssertion(call, func.attr, mock, ASSERT_RENAMES[old], f"`{mock}` is an `AsyncMock`", direct)
        )
        return True

    def _checks_awaiting(self, scope: _Scope, mock: str) -> bool:
        """Whether the function reads what awaiting `mock` records (`mock.assert_awaited()`, `mock.await_count`),
        or compares something with what awaiting it gives (`assert result == mock.return_value`: only a call
        that was awaited passes that value on)."""
        head = mock.partition(".")[0]
        for name in scope.names.get(head, ()):
            node: cst.CSTNode = name
            while True:
                parent = scope.parents.get(node)
                if not isinstance(parent, cst.Attribute) or parent.value is not node:
                    break
                node = parent
                attribute = parent.attr.value
                if attribute.startswith(("assert_await", "assert_not_await", "await_", "assert_has_await")):
                    return True
                if attribute.startswith("assert_any_await"):
                    return True
                if attribute == "return_value" and self._compared(scope, parent):
                    return True
        return False

    @staticmethod
    def _compared(scope: _Scope, node: cst.CSTNode) -> bool:
        """Whether `node` is read in a comparison (not assigned: `mock.return_value = 5` configures the mock)."""
        current: cst.CSTNode | None = scope.parents.get(node)
        while current is not None and not isinstance(current, cst.BaseSmallStatement | cst.BaseCompoundStatement):
            if isinstance(current, (cst.Comparison, cst.ComparisonTarget)):
                return True
            current = scope.parents.get(current)
        return False

    def _orphan_task(self, scope: _Scope, call: cst.Call, written: str) -> bool:
        parent = scope.parents.get(call)
        if not isinstance(parent, cst.Expr) or scope.role not in {"test", "fixture"}:
            return False
        canonical = self._absolute(scope, written)
        spawner: str | None = canonical if canonical in TASK_SPAWNERS else None
        if spawner is None and written.endswith(".create_task") and written.count(".") == 1:
            assert isinstance(call.func, cst.Attribute)
            receiver = self._expr_value(scope, call.func.value)
            if isinstance(receiver, Instance) and receiver.cls.dotted == "asyncio.AbstractEventLoop":
                spawner = "loop.create_task"
        if spawner is None:
            return False
        self.result.orphan_tasks.append(OrphanTask(parent, call, spawner))
        return True


class FixtureTypes:
    """What a fixture hands to the test (or fixture) that requests it, when its definition says so plainly: an
    instance (`-> Client`, `return Client()`, `yield await Client.connect()`), or a function (a factory).

    The definition is the one pytest gives that test: the nearest, class fixtures first (`FixtureIndex`).
    Nothing is concluded when something else may decide the value: a parametrization of the name (at any
    level, or a hook's), a class base or a conftest asynclint cannot read, an async fixture nothing runs (the
    test gets a coroutine object), a request from a conftest fixture (a test module below may override the
    fixture it gets).
    """

    def __init__(self, model: FileModel) -> None:
        self.model = model

    def value_of(self, analysis: FileAwaits, scope: _Scope, name: str, depth: int = 0) -> Handed | None:
        definition = self._definition(scope, name)
        if definition is None:
            return None
        if definition.is_async and not runs_fixture(definition, self.model):
            item = self.model.test_for(scope.info) if scope.info is not None else None
            runner = item is not None and (item.anyio_signal is not None or item.trio_signal is not None)
            if not runner and not self._shown_to_run(analysis, definition):
                return None  # the test gets the coroutine (or async generator) object itself
        if definition.path == analysis.path:  # not `analysis.shape.path`: that would read the shape
            module: ModuleRef | None = analysis.ref
        else:
            module = analysis.index.file_module(definition.path)
        if module is None:
            return None
        owner, _, function = definition.function.rpartition(".")
        binding = module.shape.names.get(owner or function)
        shape = binding.function if binding is not None else None
        if owner:
            cls = binding.klass if binding is not None and "." not in owner else None
            shape = cls.members.get(function) if cls is not None and not cls.dynamic else None
        if shape is None:
            return None
        if shape.value is not None and shape.value.parameter:
            if owner:
                return None  # a class's fixture: which of its requests is which is not followed
            return self._through_request(analysis, scope, definition, module, shape.value, depth)
        return analysis.index.value(module, shape.value, name=name)

    def _through_request(
        self, analysis: FileAwaits, scope: _Scope, definition: FixtureDef, module: ModuleRef, value: Value, depth: int
    ) -> Handed | None:
        """A fixture handing out what a fixture it requests is or makes (`return make_app({})`, `return
        server.client`, `yield await connect()`): pytest resolves a fixture's requests for the test being run,
        so the requested fixture is the one that test gets (`value_of`), followed a few requests deep. A fixture
        requesting its own name (the one it overrides) is not followed."""
        head, _, rest = value.written.partition(".")
        if depth >= _REQUEST_DEPTH or head == definition.name or definition.requests_unknown:
            return None
        current: Resolved | None = self.value_of(analysis, scope, head, depth + 1)
        for part in rest.split(".") if rest else ():
            current = analysis._attribute(current, part)
        index = analysis.index
        found: Handed | None = None
        if value.kind == CALL:
            if isinstance(current, KnownClass):
                found = Instance(current, mocked=value.mocked)
            elif isinstance(current, FunctionRef):
                found = index.call_value(current, awaited=False)
        elif value.kind == AWAIT:
            if isinstance(current, CoroutineFunction) and current.function is not None:
                found = index.call_value(current.function, awaited=True)
        elif isinstance(current, (Instance, Items)):
            found = current
        elif not rest and isinstance(current, (FunctionRef, CoroutineFunction, Coroutine, Many)):
            found = current  # the very value of the fixture requested
        found = index.with_attributes(module, value, found)
        return None if isinstance(found, Instance) and (found.cls.is_mock or found.cls.is_async_mock) else found

    def _shown_to_run(self, analysis: FileAwaits, definition: FixtureDef) -> bool:
        """Whether the file shows that a plain `async def` fixture runs where asynclint only assumed it does not:
        strict mode is the default it assumed for an unpinned pytest-asyncio (before 0.17, which has no modes,
        such fixtures run), and the file awaits methods of the fixture's value (`await chain.receive(...)`),
        which on a coroutine or async generator object would fail the test."""
        settings = self.model.settings
        if settings.asyncio_mode != "strict" or settings.mode_key is not None or settings.asyncio_plugin_disabled:
            return False
        if not settings.mode_reason.startswith("`asyncio_mode` is not set"):
            return False  # set by a conftest or asynclint's own settings: strict for sure
        if self.model.versions.at_least("pytest-asyncio", "0.17") is not None:
            return False  # the version is known, and with it whether the fixture runs
        fixture = ("fixture", definition.path, definition.key)
        return any(key[0] == fixture for key in analysis.awaited)

    def definition(self, scope: _Scope, name: str) -> FixtureDef | None:
        """The definition of fixture `name` the function of `scope` surely receives, or None."""
        return self._definition(scope, name)

    def _definition(self, scope: _Scope, name: str) -> FixtureDef | None:
        """The definition of fixture `name` that the function of `scope` receives, when it is certain."""
        info = scope.info
        model = self.model
        environment = model.directory.environment
        if info is None or environment.fixture_values_unknown is not None or name in environment.parametrized_by_hooks:
            return None
        for hook in model.summary.hooks:
            if hook.name in FIXTURE_VALUE_HOOKS and (hook.parametrizes is None or name in hook.parametrizes):
                return None
        item = model.test_for(info)
        if item is not None:
            if item.marks_unknown is not None or _parametrizes((m.mark for m in item.marks), name):
                return None  # a mark asynclint cannot read may parametrize it
            class_facts: tuple[ClassFacts | None, ...] = item.classes
            class_fixtures = [fixture for facts in item.classes for fixture in facts.fixtures]
        elif info.fixture is not None and not model.is_conftest:
            # A fixture of a test module: its requests resolve from its tests, which see the module's fixtures
            # (or their class's) before any conftest's.
            if any(fixture.name == name and fixture.class_qualname is not None for fixture in model.summary.fixtures):
                return None  # each test gets the fixture of its own class, if it has one
            qualname = info.class_qualname
            class_facts = (model.classes.get(qualname),) if qualname is not None else ()
            class_fixtures = list(model.class_fixtures(qualname))
        else:
            return None
        if any(facts is None or facts.testcase is TestCaseKind.UNKNOWN for facts in class_facts):
            return None  # a base class asynclint cannot read may define the fixture
        definitions = model.fixtures.definitions(name, class_fixtures)
        if item is None and info.fixture is not None and info.fixture.name == name:
            # A fixture requesting its own name gets the next definition out.
            at = next((i for i, found in enumerate(definitions) if found.key == info.fixture.key), None)
            definitions = definitions[at + 1 :] if at is not None else []
        if not definitions:
            return None
        definition = definitions[0]
        module_level = (*class_fixtures, *model.fixtures.module, *model.fixtures.imported)
        if model.fixtures.unreadable is not None and definition not in module_level:
            return None  # a conftest asynclint cannot read may override it
        return definition


#: What stands for a local's name in the key of a value made by a call (`FileAwaits._made_key`).
_MADE = "()"
#: How many fixtures deep a fixture handing out another's value is followed (`FixtureTypes._through_request`).
_REQUEST_DEPTH = 4


#: The last names of calls that patch (`mock.patch.object`, `mocker.patch`, `monkeypatch.setattr`).
_PATCHING = frozenset({"patch", "setattr", "setitem"})


def _is_patch_call(call: cst.Call) -> bool:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in _PATCHING
    if not isinstance(func, cst.Attribute):
        return False
    if func.attr.value in _PATCHING:
        return True
    inner = func.value
    return func.attr.value in {"object", "multiple", "dict"} and (
        (isinstance(inner, cst.Attribute) and inner.attr.value == "patch")
        or (isinstance(inner, cst.Name) and inner.value == "patch")
    )


def _patched_names(call: cst.Call) -> set[str] | None:
    """What a patch call replaces, by last name: its target string (`patch("app.Client.fetch")`,
    `monkeypatch.setattr("app.TIMEOUT", 0)`) or attribute string (`patch.object(client, "fetch")`), and the
    keywords of `patch.multiple`; None when that is not a string literal."""
    func = call.func
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if isinstance(func, cst.Attribute) and func.attr.value == "multiple":
        return {arg.keyword.value for arg in call.args if arg.keyword is not None}
    if not positional:
        return None
    first = literal_value(positional[0])
    if isinstance(first, str):  # `patch("app.Client.fetch")`, `monkeypatch.setattr("app.TIMEOUT", 0)`
        return {first.rpartition(".")[2]}
    last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    if last in {"object", "setattr", "setitem"} and len(positional) > 1:  # `patch.object(client, "fetch")`
        second = literal_value(positional[1])
        return {second.rpartition(".")[2]} if isinstance(second, str) else None
    return None


def _argument_for(function: cst.FunctionDef, param: str, call: cst.Call) -> tuple[bool, cst.BaseExpression | None]:
    """What `call` passes for `function`'s parameter `param`: (True, the expression), (True, None) when it
    passes nothing, (False, None) when it cannot be told (`*args`, `**kwargs`)."""
    positional = [*function.params.posonly_params, *function.params.params]
    for argument in call.args:
        if argument.star:
            return False, None
        if argument.keyword is not None and argument.keyword.value == param:
            return True, argument.value
    plain = [argument.value for argument in call.args if argument.keyword is None]
    for index, declared in enumerate(positional):
        if declared.name.value == param:
            return True, plain[index] if index < len(plain) else None
    return True, None


def _parametrizes(marks: Iterable[Mark], name: str) -> bool:
    """Whether a `parametrize` mark may name `name` (direct or indirect: either way the mark decides)."""
    for mark in marks:
        if mark.name != "parametrize":
            continue
        names = mark.args[0] if mark.args else mark.kwarg("argnames", UNKNOWN)
        if isinstance(names, str):
            names = tuple(names.split(","))
        if not isinstance(names, tuple) or not all(isinstance(part, str) for part in names):
            return True
        if name in [part.strip() for part in names if isinstance(part, str)]:
            return True
    return False


def analyse(
    module: cst.Module,
    text: str,
    path: str,
    index: CoroutineIndex,
    functions: dict[cst.CSTNode, Function],
    roles: dict[cst.CSTNode, str],
    model: FileModel,
    imports: ImportTable,
) -> AwaitAnalysis:
    return FileAwaits(module, text, path, index, functions, roles, FixtureTypes(model), imports).run()


def _holding(paths: Mapping[tuple[str, ...], Handed | None]) -> Handed | None:
    """The value a test put directly (`()`), or an object of unknown class holding the deeper ones it put."""
    if () in paths:
        return paths[()] if len(paths) == 1 else None
    deeper: dict[str, dict[tuple[str, ...], Handed | None]] = {}
    for path, held in paths.items():
        deeper.setdefault(path[0], {})[path[1:]] = held
    return Instance(PUT_OBJECT, attributes=tuple((name, _holding(inner)) for name, inner in sorted(deeper.items())))


def _assigns_name(statement: cst.BaseStatement, name: str) -> bool:
    """`name = ...` (or `name: T = ...`) as one of the statement's own small statements."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Assign) and any(
            isinstance(target.target, cst.Name) and target.target.value == name for target in small.targets
        ):
            return True
        if (
            isinstance(small, cst.AnnAssign)
            and small.value is not None
            and isinstance(small.target, cst.Name)
            and small.target.value == name
        ):
            return True
    return False


def _within(parents: Mapping[cst.CSTNode, cst.CSTNode], node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
    current: cst.CSTNode | None = node
    while current is not None:
        if current is ancestor:
            return True
        current = parents.get(current)
    return False
