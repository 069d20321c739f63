"""What the expressions of one file evaluate to, for the await analysis (`analysis.awaiting`).

Each function's scope is read once: its parameters, local bindings, what the file patches or replaces. A
name or attribute chain is then resolved through those bindings, the fixtures pytest hands out and the
coroutine index (`model.coroutines`): an instance of a known class, a function, a coroutine function, or
unknown. `FileResolver.callee` says whether a call surely returns a coroutine, and how that is known.
How the result is used is the judge's business (`analysis.awaiting`).
"""

from __future__ import annotations

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
    module_constants,
    patch_call_names,
    statements,
    target_names,
)
from asynclint.model.collection import ClassFacts, FileModel, TestCaseKind
from asynclint.model.coroutines import (
    ASYNC_MOCK_CLASS,
    LOOP_GETTERS,
    MOCK_CLASS,
    PUT_OBJECT,
    STDLIB_AWAITED,
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
    stdlib_awaited,
)
from asynclint.model.decorators import MODE_KEYWORDS
from asynclint.model.environment import FIXTURE_VALUE_HOOKS
from asynclint.model.facts import UNKNOWN, FixtureDef, Function, ImportTable, Mark
from asynclint.model.names import dotted_name, literal_value
from asynclint.model.reader import LOCAL
from asynclint.model.shapes import ModuleShape, read_shape
from asynclint.model.values import (
    ATTRIBUTE,
    AWAIT,
    CALL,
    MAPPING_ANNOTATIONS,
    MOCK_CLASSES,
    MOCK_SETTINGS,
    MOCK_SPECS,
    RECONFIGURES,
    SEQUENCE_ANNOTATIONS,
    Value,
    is_mock_maker,
)
from asynclint.walk import code_children, descendants

#: Context managers under which a test expects "never awaited" warnings, or silences them.
WARNING_CONTEXTS = frozenset({"pytest.warns", "pytest.deprecated_call", "warnings.catch_warnings"})


PATCHERS = frozenset({"unittest.mock.patch", "mock.patch", "unittest.mock.patch.object", "mock.patch.object"})


MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})


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
    #: An `@abstractmethod`: what a call runs is a subclass's override (`FunctionShape.abstract`).
    abstract: bool = False
    #: A property whose getter is `async def`: read, not called (`client.primary`).
    is_property: bool = False

    @property
    def shown(self) -> str:
        """The call or read as a finding shows it: `client.fetch()`, `client.primary`."""
        return self.name if self.is_property else f"{self.name}()"


#: Bindings that hold a value `_agreed` may compare, and how many of them it reads before giving up.
_VALUE_BINDINGS = frozenset({"value", "element", "item", "annotation", "enter", "param"})


_AGREEING_BINDINGS = 6


#: Parents of an attribute that is not read for its value there: an assignment target, `del`, `await`.
_NOT_READS = frozenset({cst.AssignTarget, cst.Del, cst.Await})
#: Parents whose `target` is assigned, not read.
_MAYBE_TARGETS = frozenset({cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem, cst.NamedExpr})


@dataclass(eq=False)
class LocalBinding:
    kind: str  # "value", "element", "item", "annotation", "enter", "param", "import", "def", "opaque"
    expr: cst.BaseExpression | None = None
    dotted: str | None = None
    param: cst.Param | None = None
    #: For an "element" (a name `a, (b, c) = expr` binds): (index, length) of the target at each level down.
    path: tuple[tuple[int, int], ...] = ()
    #: For a "def": the function defined in the body.
    definition: cst.CSTNode | None = None


@dataclass(eq=False)
class Scope:
    function: cst.FunctionDef
    info: Function | None
    role: str
    #: The enclosing class when it is defined at module level (its shape is read from the module's).
    class_name: str | None
    class_node: cst.ClassDef | None
    self_name: str | None
    nested: bool
    #: The function this one is nested in (its names are this one's free variables), or None.
    parent: Scope | None = None
    bindings: dict[str, list[LocalBinding]] = field(default_factory=dict)
    parents: dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict)
    #: Name nodes in the function's own body (not in nested scopes), by name.
    names: dict[str, list[cst.Name]] = field(default_factory=dict)
    #: Nested functions, lambdas and comprehensions: not this scope's body, but they may use its names.
    nested_scopes: list[cst.CSTNode] = field(default_factory=list)
    _nested_names: set[str] | None = None
    calls: list[cst.Call] = field(default_factory=list)
    #: Attributes read in the function's own body (not called, assigned or awaited): an async property's
    #: coroutine is made by the read itself.
    reads: list[cst.Attribute] = field(default_factory=list)
    #: Calls directly under `await` in the function's own body.
    awaited_calls: list[cst.Call] = field(default_factory=list)
    silenced: set[cst.CSTNode] = field(default_factory=set)

    def bind(self, name: str, binding: LocalBinding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def nested_names(self) -> set[str]:
        """Names referenced from nested scopes (computed when first asked: most functions never need it)."""
        if self._nested_names is None:
            self._nested_names = {name for node in self.nested_scopes for name in all_names(node)}
        return self._nested_names


class FileResolver:
    """Resolves the expressions of one file's functions (see the module's docstring)."""

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
        #: Names the file replaces anywhere (decorators, fixtures, helpers): calls of them are never judged.
        #: What each Name/Attribute chain refers to in a scope, once reading is done (`_expr_value`).
        #: With how many names that needed the project's environment it met, and the last one's package.
        self._chain_values: dict[tuple[Scope, str, bool], tuple[Resolved | None, int, str | None]] | None = None
        self.call_patched = patch_call_names(text)
        self.assigned_attributes = assigned_attributes(text)
        self.patched: set[str] = self.call_patched | set(self.assigned_attributes.counts)
        self.scopes: list[Scope] = []
        self.constants = module_constants(module)
        #: `await <callee expression>(...)` anywhere in the file, by callee key, with the awaited nodes.
        self.awaited: dict[tuple[object, str], list[cst.Call]] = {}
        #: Attribute chains the file assigns in a function (`client.session = Mock()`): not resolved by class.
        self.replaced_chains: set[tuple[object, str]] = set()
        #: Chains helpers replace on a parameter (`_helper_parameter`): (helper, parameter, rest of the chain).
        self.helper_replaced: list[tuple[Scope, str, str]] = []
        #: How many of the text's attribute assignments those are, by attribute (`_narrow_patched`).
        self._helper_counts: dict[str, int] = {}
        #: The chains `_spread_helper_replacements` added: no assignment of the text's own.
        self._spread: set[tuple[object, str]] = set()
        #: Callees whose made values are being keyed (`_made_key`): one met again is made through itself.
        self._making: set[str] = set()
        #: Names patched only while tests run (`_patched_for`), worked out when a fixture first needs them.
        self._test_scoped: dict[str, set[cst.FunctionDef]] | None = None
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
        self._resolving: set[LocalBinding] = set()
        #: The async property each (class, attribute) read is, or None (`property_callee`).
        self._async_properties: dict[tuple[str, str], FunctionRef | None] = {}
        #: What each binding worked out so far holds (`_binding_class`).
        self._held: dict[LocalBinding, Handed | None] = {}

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

    def prepare(self) -> None:
        """Read every function's scope and what the file patches; from then on a chain means the same all along."""
        self._collect(self.module.body, None, None, nested=False)
        for scope in self.scopes:
            self._read_scope(scope)
        self._spread_helper_replacements()
        self._narrow_patched()
        # Every binding is read and what the file patches is settled: a chain means the same all along now.
        self._chain_values = {}
        for scope in self.scopes:  # keys need every binding of the scope, so after reading it all
            for call in scope.awaited_calls:
                for key in (self.callee_key(scope, call.func), self.made_callee_key(scope, call.func)):
                    if key is not None:
                        self.awaited.setdefault(key, []).append(call)
        self.awaited_written = {key[1] for key in self.awaited}

    def _collect(
        self,
        body: Sequence[cst.CSTNode],
        class_node: cst.ClassDef | None,
        class_name: str | None,
        *,
        nested: bool,
        parent: Scope | None = None,
    ) -> None:
        for statement in body:
            dead = self._dead_branch(statement) if isinstance(statement, cst.If) else None
            if dead is not None:
                # `if not _IS_SYNC: async def join(...)` in the sync flavour of generated code: never defined.
                assert isinstance(statement, cst.If)
                self._collect(_live_statements(statement, dead), class_node, class_name, nested=nested, parent=parent)
                continue
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
                    scope = Scope(node, info, role, class_name, class_node, self_name, nested, parent)
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

    def _read_scope(self, scope: Scope) -> None:
        function = scope.function
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bind(param.name.value, LocalBinding("param", param=param))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bind(star.name.value, LocalBinding("opaque"))
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
                    scope.bind(cast(cst.FunctionDef, node).name.value, LocalBinding("def", definition=node))
                elif kind is cst.ClassDef:
                    scope.bind(cast(cst.ClassDef, node).name.value, LocalBinding("opaque"))
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
            elif kind is cst.Attribute:
                parent_kind = type(parent)
                if not (
                    (parent_kind is cst.Call and cast(cst.Call, parent).func is node)
                    or parent_kind in _NOT_READS
                    or (parent_kind in _MAYBE_TARGETS and getattr(parent, "target", None) is node)
                ):
                    scope.reads.append(cast(cst.Attribute, node))
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
        scope: Scope,
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

    def _chain_owner(self, scope: Scope, head: str) -> object:
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

    def _helper_parameter(self, scope: Scope, head: str) -> cst.Param | None:
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
        by_helper: dict[str, list[tuple[Scope, str, str]]] = {}
        for helper, param, rest in self.helper_replaced:
            by_helper.setdefault(helper.function.name.value, []).append((helper, param, rest))
            attribute = rest.rpartition(".")[2]
            self._helper_counts[attribute] = self._helper_counts.get(attribute, 0) + 1
        for scope in self.scopes:
            for call in scope.calls:
                func = call.func
                if not isinstance(func, cst.Name) or func.value not in by_helper or self.local(scope, func.value):
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

    def _note_binding(self, scope: Scope, node: cst.CSTNode) -> None:
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
                        scope.bind(name.value, LocalBinding("element", node.value, path=path))
                    continue
                for name in target_names(target.target):
                    plain = single and name is target.target
                    scope.bind(name.value, LocalBinding("value", node.value) if plain else LocalBinding("opaque"))
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            scope.bind(node.target.value, LocalBinding("annotation", node.annotation.annotation))
            if node.value is not None:
                scope.bind(node.target.value, LocalBinding("value", node.value))
        elif isinstance(node, cst.For) and node.asynchronous is None and isinstance(node.target, cst.Name):
            # `for client in clients`: each round binds an element of what `clients` holds.
            scope.bind(node.target.value, LocalBinding("item", node.iter))
        elif (
            isinstance(node, cst.For)
            and node.asynchronous is None
            and (enumerated := _enumerated(node)) is not None
            and "enumerate" not in self.imports.bindings
        ):
            # `for index, client in enumerate(clients)`: the second name binds an element of `clients`.
            index_name, element_name, collection = enumerated
            scope.bind(index_name.value, LocalBinding("opaque"))
            scope.bind(element_name.value, LocalBinding("item", collection))
        elif isinstance(node, (cst.AugAssign, cst.For, cst.NamedExpr)):
            for name in target_names(node.target):
                scope.bind(name.value, LocalBinding("opaque"))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            names = list(target_names(node.asname.name))
            if len(names) == 1 and names[0] is node.asname.name:
                scope.bind(names[0].value, LocalBinding("enter", node.item))
            else:
                for name in names:
                    scope.bind(name.value, LocalBinding("opaque"))
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            for name in target_names(node.name.name):
                scope.bind(name.value, LocalBinding("opaque"))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                scope.bind(item.name.value, LocalBinding("opaque"))
        elif isinstance(node, cst.Del):
            for name in target_names(node.target):
                scope.bind(name.value, LocalBinding("opaque"))
        elif isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    scope.bind(alias.asname.name.value, LocalBinding("import", dotted=full))
                elif full is not None:
                    head = full.partition(".")[0]
                    scope.bind(head, LocalBinding("import", dotted=head))
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
                scope.bind(local, LocalBinding("import", dotted=absolute) if absolute else LocalBinding("opaque"))
        elif isinstance(node, cst.MatchAs) and node.name is not None:
            scope.bind(node.name.value, LocalBinding("opaque"))

    @staticmethod
    def _unpacked_names(
        target: cst.BaseExpression, path: tuple[tuple[int, int], ...] = ()
    ) -> list[tuple[cst.Name, tuple[tuple[int, int], ...]]] | None:
        """The names a tuple or list target binds, each with where its element is (see `LocalBinding.path`); None
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
            inner = FileResolver._unpacked_names(element.value, where)
            if inner is None:
                return None
            found.extend(inner)
        return found

    def _silences(self, node: cst.With) -> bool:
        for item in node.items:
            expr = item.item
            target = expr.func if isinstance(expr, cst.Call) else expr
            written = dotted_name(target)
            canonical = self.canonical(written) if written else None
            if canonical in WARNING_CONTEXTS:
                return True
        return False

    def canonical(self, written: str) -> str | None:
        """A module-level dotted name made absolute through the imports (`pt.raises` -> `pytest.raises`)."""
        head, _, rest = written.partition(".")
        bound = self._module_level(head)
        if bound is False:
            return written if head in {"pytest", "asyncio", "warnings"} else None
        if not isinstance(bound, str) or bound == LOCAL:
            return None
        return f"{bound}.{rest}" if rest else bound

    def local(self, scope: Scope, name: str) -> LocalBinding | bool | None:
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

    def _resolve_name(self, scope: Scope, name: str) -> Resolved | None:
        local = self.local(scope, name)
        if local is False:
            if name in self.patched:
                return None
            if scope.nested:  # a free variable: what the enclosing function binds it to
                return self._resolve_name(scope.parent, name) if scope.parent is not None else None
            return self._resolve_module_level([name])
        if not isinstance(local, LocalBinding):
            return self._agreed(scope, name)
        if local.kind == "import" and local.dotted:
            return self.index.resolve(local.dotted)
        if local.kind == "def":
            return self._nested_coroutine_function(local.definition)
        return self._binding_class(scope, local)

    def _agreed(self, scope: Scope, name: str) -> Instance | None:
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

    def _defined_in_function(self, scope: Scope, name: str) -> cst.CSTNode | None:
        """The `def` a function (or one enclosing it) binds `name` to, if that is how it is bound."""
        local = self.local(scope, name)
        if local is False and scope.nested and scope.parent is not None:
            return self._defined_in_function(scope.parent, name)
        return local.definition if isinstance(local, LocalBinding) and local.kind == "def" else None

    def _binding_class(self, scope: Scope, binding: LocalBinding) -> Handed | None:
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

    def _binding_class_of(self, scope: Scope, binding: LocalBinding) -> Handed | None:
        expr = binding.expr
        if binding.kind == "value" and expr is not None:
            return self._assigned(scope, expr)
        if binding.kind == "element" and expr is not None:
            return self._element(scope, expr, binding.path)
        if binding.kind == "item" and expr is not None:
            return self._item(scope, expr)
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
                    found = self._annotated_sequence(scope, annotation)
                    if found is not None:
                        return found
                else:
                    cls = self._annotated(scope, annotation, outside=True)
            if cls is None and scope.role in {"test", "fixture"} and param.name.value != scope.self_name:
                # Unannotated, or annotated with no one class (`declare_queue: Callable`): the fixture's value.
                return self.fixture_types.value_of(self, scope, param.name.value)
            if cls is None and param.annotation is None and scope.nested:
                cls = self._callback_argument(scope, param)
        return Instance(cls) if cls is not None else None

    def _callback_argument(self, scope: Scope, param: cst.Param) -> KnownClass | None:
        """The class a nested function's parameter is given when the function is only ever passed as a callback
        (`await queue.consume(handle)`) to functions asynclint reads whose parameter is annotated
        `Callable[[Message], Any]`: the argument in the parameter's place is a `Message`."""
        function, parent = scope.function, scope.parent
        positional = [*function.params.posonly_params, *function.params.params]
        index = next((i for i, given in enumerate(positional) if given is param), None)
        if index is None or parent is None or function.decorators:
            return None
        name = function.name.value
        bindings = parent.bindings.get(name, [])
        if len(bindings) != 1 or bindings[0].definition is not function:
            return None
        if any(name in all_names(node) for node in parent.nested_scopes if node is not function):
            return None  # used by other nested code as well
        found: KnownClass | None = None
        uses = [use for use in parent.names.get(name, []) if use is not function.name]
        for use in uses:
            arg = parent.parents.get(use)
            call = parent.parents.get(arg) if arg is not None else None
            if not isinstance(arg, cst.Arg) or arg.value is not use or not isinstance(call, cst.Call):
                return None  # called, stored or handed on: what it is given is not known
            place = argument_place(call, arg)
            target = self.signature(parent, call.func) if place is not None else None
            if target is None or target.module is None:
                return None
            wanted = next(
                (
                    parameter
                    for parameter in target.shape.parameters
                    if (parameter.position == place if isinstance(place, int) else parameter.name == place)
                ),
                None,
            )
            if wanted is None or index >= len(wanted.callback) or wanted.callback[index] is None:
                return None
            written = wanted.callback[index]
            assert written is not None
            cls = self.index.resolve_in(target.module, written.split("."))
            if not isinstance(cls, KnownClass) or (found is not None and cls.dotted != found.dotted):
                return None
            found = cls
        return found

    def _assigned(self, scope: Scope, expr: cst.BaseExpression) -> Handed | None:
        """What `name = expr` binds: a constructor's instance, what a call (or awaiting it) gives, an element of
        a tuple at a constant index (`pair[0]`)."""
        values_of = _values_of(expr)
        if values_of is not None:
            mapping = self._items(scope, values_of)
            if isinstance(mapping, Many) and mapping.keyed:
                return Many(mapping.element)  # `clients.values()` of a `dict[str, Client]`
        if isinstance(expr, cst.Call):
            cls = self.constructed(scope, expr)
            return self._made(scope, expr, cls) if cls is not None else self._call_value(scope, expr, awaited=False)
        if isinstance(expr, cst.Await) and isinstance(expr.expression, cst.Call):
            cls = self.constructed(scope, expr.expression)
            if cls is not None:  # `await ConnectionPool(...)`: what its `__await__` gives
                if cls.is_async_mock:
                    return None
                awaited = self._unpatched(self.index.awaited_instance(cls))
                mocked = any(self._is_mock_argument(scope, arg.value) for arg in expr.expression.args)
                return replace(awaited, mocked=True) if isinstance(awaited, Instance) and mocked else awaited
            written = dotted_name(expr.expression.func)
            absolute = self.absolute(scope, written) if written is not None else None
            if absolute in STDLIB_AWAITED and absolute.rpartition(".")[2] not in self.patched:
                return stdlib_awaited(absolute)  # `reader, writer = await asyncio.open_connection(...)`
            return self._call_value(scope, expr.expression, awaited=True)
        if isinstance(expr, cst.Tuple):
            return self._items(scope, expr)  # `pair = (client, server)`: a tuple is never changed
        if isinstance(expr, (cst.Name, cst.Attribute)):
            # `blockchain = empty_blockchain`: another name for the same object.
            found = self.value_of(scope, expr)
            return found if isinstance(found, (Instance, Items, Coroutine, Many)) else None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            index = expr.slice[0].slice
            if not isinstance(index, cst.Index) or index.star is not None:
                return None
            items = self._items(scope, expr.value)
            if isinstance(items, Many):
                return items.element  # `clients[0]`, `clients[i]`: one of its elements (else IndexError)
            if items is None:
                # `client["mydb"]`: what the class's `__getitem__` gives.
                named = isinstance(expr.value, (cst.Name, cst.Attribute))
                holder = self.value_of(scope, expr.value) if named else self._assigned(scope, expr.value)
                found = self.index.item_value(holder) if isinstance(holder, Instance) else None
                if found is not None:
                    return found
            number, sign = index.value, 1
            if isinstance(number, cst.UnaryOperation) and isinstance(number.operator, cst.Minus):
                number, sign = number.expression, -1
            position = literal_value(number) if isinstance(number, cst.Integer) else None
            if not isinstance(position, int):
                return None
            if items is None or not -len(items.elements) <= sign * position < len(items.elements):
                return None
            return items.elements[sign * position]
        return None

    def _made(self, scope: Scope, call: cst.Call, cls: KnownClass) -> Instance:
        """The instance `Cls(...)` makes: what it stores of its arguments (`CoroutineIndex.instance`); with a mock
        among them, its collaborators may be mocks."""
        if cls.is_async_mock or cls.is_mock:
            return self._mock(scope, call, cls)
        if cls.shape is None:
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

    def _mock(self, scope: Scope, call: cst.Call, cls: KnownClass) -> Instance:
        """A mock made here. An `AsyncMock()` without a spec has `AsyncMock`s for attributes (its `children`);
        its keywords set attributes (`AsyncMock(fetch=MagicMock())`, `return_value=...`). Of a plain mock only
        what `return_value=` sets is kept (`MagicMock(return_value=AsyncMock())`): its other attributes are
        plain mocks, or follow its spec."""
        attributes: list[tuple[str, Handed | None]] = []
        plain = cls.is_async_mock
        for arg in call.args:
            if arg.keyword is None:
                plain = False  # `AsyncMock(Client)`, `**config`: a spec, or attributes not written
                continue
            name = arg.keyword.value
            if name in MOCK_SPECS:
                plain = False
            elif name == "return_value" or (cls.is_async_mock and name not in MOCK_SETTINGS):
                attributes.append((name, self._assigned(scope, arg.value)))
        if cls.is_mock:
            return Instance(cls, attributes=tuple(a for a in attributes if a[0] == "return_value"))
        if plain and RECONFIGURES.search(self.text):
            plain = False  # `attach_mock`, `configure_mock`, `mock_add_spec`: attributes set out of sight
        return Instance(cls, attributes=tuple(attributes), children=plain)

    def _is_mock_argument(self, scope: Scope, value: cst.BaseExpression) -> bool:
        """`MagicMock()`, `mock.sentinel.x`, or a local name bound to a new mock."""
        if isinstance(value, cst.Name):
            local = self.local(scope, value.value)
            if isinstance(local, LocalBinding) and local.kind == "value" and local.expr is not None:
                value = local.expr
        written = dotted_name(value.func if isinstance(value, cst.Call) else value)
        return is_mock_maker(written) and (isinstance(value, cst.Call) or "sentinel" in (written or ""))

    def _element(self, scope: Scope, expr: cst.BaseExpression, path: tuple[tuple[int, int], ...]) -> Handed | None:
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
                    if found.keyed:
                        return None  # unpacking a mapping gives its keys
                    found = found.element  # unpacking succeeded, so each name got one of its elements
                    continue
                if not isinstance(found, Items) or len(found.elements) != size:
                    return None  # unpacking something else, or a tuple of another length, raises
                found = found.elements[index]
            return found
        return self._assigned(scope, expr)

    def _item(self, scope: Scope, collection: cst.BaseExpression) -> Handed | None:
        """What each round of `for item in collection` binds: the element of a sequence of like elements, or of
        a tuple whose elements are all known and alike (`for client in (first, second)`)."""
        found = self._items(scope, collection)
        if isinstance(found, Many):
            return None if found.keyed else found.element  # a mapping's keys are not looked at
        if isinstance(found, Items) and found.elements and None not in found.elements:
            first = found.elements[0]
            return first if all(element == first for element in found.elements) else None
        return None

    def _items(self, scope: Scope, expr: cst.BaseExpression) -> Items | Many | None:
        """The tuple `expr` holds, when its length and elements are known, or the sequence of like elements it
        holds: a fixture, parameter or local holding one, a call of a helper returning one. A list or set written
        out counts only where it is written (`for c in [a, b]`): a list a name holds may be appended to."""
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            if any(isinstance(element, cst.StarredElement) for element in expr.elements):
                return None
            return Items(tuple(self._assigned(scope, element.value) for element in expr.elements))
        named = isinstance(expr, (cst.Name, cst.Attribute))
        found = self.value_of(scope, expr) if named else self._assigned(scope, expr)
        return found if isinstance(found, (Items, Many)) else None

    def _call_value(self, scope: Scope, call: cst.Call, *, awaited: bool) -> Handed | None:
        """What a call of a helper, a factory or a method gives (`awaited`: what `await call` gives), as the
        callee's source says (`CoroutineIndex.call_value`): `make_client()`, `await Client.connect()`,
        `make_client()` where `make_client` is a factory fixture. A name the file patches (the callee, or the
        class of what it gives) leaves it unknown: the patch decides what the call gives."""
        function = self.called_function(scope, call.func)
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

    def value_of(self, scope: Scope, expr: cst.BaseExpression, *, outside: bool = False) -> Resolved | None:
        """What a Name/Attribute chain refers to in this scope; `outside`: in the scope the function is defined
        in (where its parameters' annotations are evaluated), so none of the function's own names count."""
        written = dotted_name(expr)
        if written is None:
            if isinstance(expr, cst.Call) and not outside:
                cls = self.constructed(scope, expr)
                return self._made(scope, expr, cls) if cls is not None else self._call_value(scope, expr, awaited=False)
            if isinstance(expr, cst.Attribute) and not outside:
                # `Client().fetch`, `make_client().session.close`: an attribute of what a call gives.
                base = self.value_of(scope, expr.value)
                return self._attribute(base, expr.attr.value) if base is not None else None
            if isinstance(expr, cst.Subscript) and not outside:
                return self._assigned(scope, expr)  # `clients[0]`, `self.plugs[index]`
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
            # Resolving it needed the project's environment: each use tells the judge so, as the first did.
            self.index.unreadable += memo[1]
            self.index.last_unreadable = memo[2]
        return memo[0]

    def _chain_value(self, scope: Scope, expr: cst.BaseExpression, written: str, outside: bool) -> Resolved | None:
        head, *rest = written.split(".")
        if rest and self.replaced_chains and self._replaced(scope, head, rest):
            return None
        if outside:
            # The enclosing scope: the module for a top-level function or method, else the enclosing function.
            if head in self.patched:
                return None
            if scope.nested:
                return self.value_of(scope.parent, expr) if scope.parent is not None else None
            return self._resolve_module_level([head, *rest])
        if head == scope.self_name and scope.class_name is not None:
            binding = self.shape.names.get(scope.class_name)
            if binding is None or binding.klass is None:
                return None
            cls = KnownClass(f"{self.ref.dotted}.{scope.class_name}", binding.klass, self.ref)
            current: Resolved | None = Instance(cls)
        elif self.local(scope, head) is False:
            # A module-level name: the whole chain resolves at once (`asyncio.sleep` through the stdlib table).
            if head in self.patched:
                return None
            if scope.nested:  # a free variable: the chain as the enclosing function sees it
                return self.value_of(scope.parent, expr) if scope.parent is not None else None
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

    def _replacements(self, scope: Scope, written: str, call: cst.Call) -> tuple[tuple[str, Handed | None], ...]:
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

    def _runs_before(self, scope: Scope, statement: cst.CSTNode, call: cst.Call) -> bool:
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

    def _replaced_attributes(self, scope: Scope, written: str) -> set[str]:
        """The attributes of `written`'s object that the function (or the file, for a shared object) sets, or
        sets attributes of (`ep.device = Mock()`, `ep.device.request = Mock()`: both "device")."""
        prefix = f"{written}."
        return {
            chain[len(prefix) :].partition(".")[0]
            for owner, chain in self.replaced_chains
            if chain.startswith(prefix) and (owner is scope.function or owner == "file")
        }

    def _replaced(self, scope: Scope, head: str, rest: Sequence[str]) -> bool:
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
            if current.cls.is_async_mock or current.cls.is_mock:
                return _mock_attribute(current, part)
            replaced, held = current.attribute(part)
            if replaced:
                return held  # set on the object where it was made (a fixture's `obj.client = Fake()`)
            method = self.index.method(current.cls, part)
            if method is not None:
                return method
            return self.index.attribute_value(current, part)
        return None

    def constructed(self, scope: Scope, call: cst.Call) -> KnownClass | None:
        """The class of `Cls(...)`, `mocker.AsyncMock(...)`, `asyncio.get_running_loop()`."""
        written = dotted_name(call.func)
        if written is None:
            return None
        head, _, rest = written.partition(".")
        if head in MOCKER_FIXTURES and rest in {"AsyncMock", *_PLAIN_MOCKS} and self.local(scope, head) is not False:
            return ASYNC_MOCK_CLASS if rest == "AsyncMock" else MOCK_CLASS
        found = self.value_of(scope, call.func)
        if isinstance(found, KnownClass):
            return found
        absolute = self.absolute(scope, written) if found is None else None
        if absolute in LOOP_GETTERS:
            return KnownClass("asyncio.AbstractEventLoop", None, None, STDLIB_CLASSES["asyncio.AbstractEventLoop"])
        if absolute is not None and absolute.rpartition(".")[::2] in _PLAIN_MOCK_NAMES:
            return MOCK_CLASS
        if self._is_patcher(scope, written):
            return self._patch_mock(scope, call)
        return None

    def _is_patcher(self, scope: Scope, written: str) -> bool:
        """`patch(...)`, `mock.patch.object(...)`, `mocker.patch(...)`: calls that make a mock for a target."""
        head, _, rest = written.partition(".")
        if head in MOCKER_FIXTURES and rest in {"patch", "patch.object"}:
            return self.local(scope, head) is not False
        return self.absolute(scope, written) in PATCHERS

    def absolute(self, scope: Scope, written: str) -> str | None:
        head = written.partition(".")[0]
        if self.local(scope, head) is not False:
            return None
        return self.canonical(written)

    def _patch_mock(self, scope: Scope, call: cst.Call) -> KnownClass | None:
        """The mock a `patch(...)` call makes: an AsyncMock for `new_callable=AsyncMock` or an async target."""
        for arg in call.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value == "new_callable":
                found = self.value_of(scope, arg.value)
                return found if isinstance(found, KnownClass) and found.is_async_mock else None
            if arg.keyword.value == "new":
                if isinstance(arg.value, cst.Call):
                    made = self.constructed(scope, arg.value)
                    return made if made is not None and made.is_async_mock else None
                return None
            if arg.keyword.value in {"side_effect", "spec", "spec_set", "wraps", "create"}:
                return None
        positional = [arg for arg in call.args if arg.keyword is None]
        written = dotted_name(call.func) or ""
        target: Resolved | None = None
        if written.endswith(".object") and len(positional) == 2:
            attribute = literal_value(positional[1].value)
            owner = self.value_of(scope, positional[0].value)
            if isinstance(attribute, str) and isinstance(owner, (KnownClass, ModuleRef)):
                target = self._attribute(owner, attribute)
        elif len(positional) == 1 and not written.endswith(".object"):
            path = literal_value(positional[0].value)
            if isinstance(path, str):
                target = self.index.resolve(path)
        if isinstance(target, CoroutineFunction) and target.native:
            return KnownClass("unittest.mock.AsyncMock", None, None)  # mock makes an AsyncMock for async targets
        return None

    def _annotated(self, scope: Scope, annotation: cst.BaseExpression, *, outside: bool = False) -> KnownClass | None:
        """The class an annotation names; `outside` for a parameter's, evaluated where the function is defined."""
        if isinstance(annotation, cst.SimpleString):
            value = literal_value(annotation)
            if not isinstance(value, str):
                return None
            try:
                annotation = cst.parse_expression(value)
            except cst.ParserSyntaxError:
                return None
        found = self.value_of(scope, annotation, outside=outside)
        return found if isinstance(found, KnownClass) else None

    def _annotated_sequence(self, scope: Scope, annotation: cst.BaseExpression, depth: int = 0) -> Handed | None:
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
        keyed = kind in MAPPING_ANNOTATIONS and len(values) == 2
        if keyed or (kind in SEQUENCE_ANNOTATIONS and len(values) == 1):
            element = self._annotated_sequence(scope, values[-1], depth + 1)
            return Many(element, keyed=keyed) if element is not None else None
        cls = self._annotated(scope, annotation.value, outside=True)  # a generic class: `Pool[Connection]`
        return Instance(cls) if cls is not None else None

    def _entered(self, scope: Scope, call: cst.Call) -> KnownClass | None:
        """The class of `x` in `with call as x`."""
        cls = self.constructed(scope, call)
        if cls is None:
            function = self.called_function(scope, call.func)
            if function is not None and (function.shape.context_manager or function.shape.enters is not None):
                entered = self.index.entered(function)  # `async with open_client() as x`, a context manager
                return entered.cls if isinstance(entered, Instance) and not entered.cls.is_async_mock else None
            made = self._call_value(scope, call, awaited=False)  # `with open_client() as x`
            if isinstance(made, Instance) and made.type_arguments and not made.cls.is_async_mock:
                # `async with session.get(url) as resp` on a generic context manager: what its `__aenter__` gives.
                entered = self.index.entered_instance(made)
                return entered.cls if isinstance(entered, Instance) else None
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

    def callee(
        self,
        scope: Scope,
        call: cst.Call,
        otherwise: Callable[[Scope, cst.Call, str], Callee | None] | None = None,
    ) -> Callee | None:
        """The callee of `call` when it surely returns a coroutine; `otherwise`, for a method call none of this
        tells, asks what the rest of the file says (the same method awaited elsewhere)."""
        if any(arg.keyword is not None and arg.keyword.value in MODE_KEYWORDS for arg in call.args):
            # `block.save(_sync=True)`: the caller chose how it runs (a subclass's dispatching wrapper may take
            # it even where the class a fixture is annotated with defines an `async def`).
            return None
        func = call.func
        written = dotted_name(func)
        last = func.attr.value if isinstance(func, cst.Attribute) else written
        found = self.value_of(scope, func)
        if isinstance(found, Instance) and found.cls.is_async_mock:
            shown = written or self._shown(func)
            return Callee(shown, f"`{shown}` is an `AsyncMock`: calling it returns a coroutine")
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
                written or self._shown(func),
                found.how,
                returns=found.returns,
                legacy_asyncio=found.legacy_asyncio,
                definition=definition,
                abstract=found.abstract or (found.function is not None and found.function.shape.abstract),
            )
        returned = self._returned_coroutine(scope, call) or self._super_coroutine(scope, func)
        if returned is not None:
            return returned
        if written is not None and "." in written and otherwise is not None:
            return otherwise(scope, call, written)
        return None

    def property_callee(self, scope: Scope, read: cst.Attribute) -> Callee | None:
        """The property read by `read` when its getter is `async def` (`client.primary`): the read itself makes
        the coroutine."""
        name = read.attr.value
        if name in self._patched_for(scope):
            return None
        holder = self.value_of(scope, read.value)
        if not isinstance(holder, Instance) or holder.mocked or holder.cls.is_mock or holder.cls.is_async_mock:
            return None
        if holder.attribute(name)[0]:
            return None  # set on the object where it was made
        key = (holder.cls.dotted, name)
        if key not in self._async_properties:
            # Most reads are of plain attributes, met again and again (`self.client`): looked up once.
            found = self.index.member(holder.cls, name)
            self._async_properties[key] = found if found is not None and found.shape.kind == "async-property" else None
        getter = self._async_properties[key]
        if getter is None:
            return None
        written = dotted_name(read) or self._shown(read)
        where = getter.module.where(getter.shape.line)
        how = f"`{getter.name}` is a property whose getter is `async def` in {where}"
        return Callee(written, how, is_property=True)

    def _shown(self, func: cst.BaseExpression) -> str:
        """A callee written as an expression (`Client(url).fetch`), as a message shows it: rendered only for a
        finding, as rendering code is costly."""
        return _short_code(self.module.code_for_node(func))

    def _super_coroutine(self, scope: Scope, func: cst.BaseExpression) -> Callee | None:
        """`super().asyncSetUp()` in a method: the base class's method, when it is an `async def`."""
        if not (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Call)
            and isinstance(func.value.func, cst.Name)
            and func.value.func.value == "super"
            and not func.value.args
            and scope.class_name is not None
            and not scope.nested  # a method of the class itself, where `super()` needs no arguments
            and self.local(scope, "super") is False
            and "super" not in self.imports.bindings
        ):
            return None
        binding = self.shape.names.get(scope.class_name)
        if binding is None or binding.klass is None:
            return None
        cls = KnownClass(f"{self.ref.dotted}.{scope.class_name}", binding.klass, self.ref)
        method = self.index.super_method(cls, func.attr.value)
        if method is None or method.returns != "coroutine" or method.only_in_async:
            return None
        return Callee(f"super().{func.attr.value}", method.how, legacy_asyncio=method.legacy_asyncio)

    def _returned_coroutine(self, scope: Scope, call: cst.Call) -> Callee | None:
        """A plain function or method that returns a coroutine function's call without awaiting it (`def
        request(self): return self.device.request(...)`): calling it gives that coroutine."""
        function = self.called_function(scope, call.func)
        if function is None or function.shape.kind != "sync" or function.shape.value is None:
            return None
        receiver: Instance | None = None
        if isinstance(call.func, cst.Attribute):
            found = self.value_of(scope, call.func.value)
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

    def called_function(self, scope: Scope, func: cst.BaseExpression) -> FunctionRef | None:
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
            holder = self.value_of(scope, func.value)
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
        found = self.value_of(scope, func)
        if isinstance(found, CoroutineFunction):
            return found.function
        return found if isinstance(found, FunctionRef) else None

    def signature(self, scope: Scope, func: cst.BaseExpression) -> FunctionRef | None:
        """The function whose parameters a call's arguments go to, positions as `TypedParameter` counts them:
        a function, a method called on an object, or a class's own `__init__` (not one a decorator or a metaclass
        may write)."""
        found = self.value_of(scope, func)
        if isinstance(found, KnownClass):
            init = self.index.member(found, "__init__")
            return init if init is not None and init.shape.kind == "sync" else None
        function = self.called_function(scope, func)
        if function is None or function.shape.kind not in {"sync", "async"} or not function.shape.parameters:
            return None
        if function.owner is None:
            return function
        if not isinstance(func, cst.Attribute):
            return None
        holder = self.value_of(scope, func.value)
        return function if isinstance(holder, Instance) and not holder.mocked else None

    def callee_key(self, scope: Scope, func: cst.BaseExpression) -> tuple[object, str] | None:
        """A key under which the same callee expression means the same object across the file."""
        written = dotted_name(func)
        return self._chain_key(scope, written) if written is not None and "." in written else None

    def _chain_key(self, scope: Scope, written: str) -> tuple[object, str] | None:
        head = written.partition(".")[0]
        if head == scope.self_name and scope.class_node is not None:
            return (scope.class_node, written)
        local = self.local(scope, head)
        if local is False:
            if scope.nested:  # a free variable: the enclosing function's receiver
                return self._chain_key(scope.parent, written) if scope.parent is not None else None
            if self._module_level(head) != LOCAL:
                return None
            binding = self.shape.names.get(head)
            return ("module", written) if binding is not None and binding.instance_of is not None else None
        if not isinstance(local, LocalBinding):
            return None
        if local.kind == "value" and isinstance(local.expr, cst.Name) and local.expr.value != head:
            # `chain = empty_chain`: another name for the fixture (or parameter) it copies.
            source = self.local(scope, local.expr.value)
            if isinstance(source, LocalBinding) and source.kind == "param":
                return self._chain_key(scope, f"{local.expr.value}.{written.partition('.')[2]}")
        if local.kind in {"value", "enter", "def"}:
            # A local, or what a decorator made of a function defined here (`@entrypoint async def graph`).
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

    def _patched_for(self, scope: Scope) -> set[str]:
        """The names the file patches that may be patched while `scope` runs. A name patched only by `with
        patch...(...)` blocks and `@patch...(...)` decorators of tests is patched only while those tests run:
        not in a fixture (`async_client.clear_scroll(...)` in a teardown, patched in one test's `with`), nor in
        another test (`@patch.object(Executor, "validate")` on one test leaves it real in the next)."""
        if scope.role not in {"fixture", "test"} or not self.patched:
            return self.patched
        if self._test_scoped is None:
            self._test_scoped = self._test_scoped_patches()
        if not self._test_scoped:
            return self.patched
        elsewhere = {name for name, tests in self._test_scoped.items() if scope.function not in tests}
        return self.patched - elsewhere if elsewhere else self.patched

    def _test_scoped_patches(self) -> dict[str, set[cst.FunctionDef]]:
        """The tests that patch each name every patch call of the file names only as a `with` item or a
        decorator of a test function; none when a patch call names its target in a way not read
        (`patch.object(obj, name)`, an f-string). A name the file also assigns (`Client.fetch = ...`) is not
        one of them: the assignment may hold in any test."""
        in_tests: dict[cst.CSTNode, cst.FunctionDef] = {}
        for scope in self.scopes:
            if scope.role == "test":
                undone = _undone_patchers(scope.function)
                for call in scope.calls:
                    written = dotted_name(call.func) if undone else None
                    # `mocker.patch...(...)`, `monkeypatch.setattr(...)`: undone when the test ends.
                    if isinstance(scope.parents.get(call), cst.WithItem) or (
                        written is not None and written.partition(".")[0] in undone
                    ):
                        in_tests[call] = scope.function
                for decorator in scope.function.decorators:
                    in_tests[decorator.decorator] = scope.function
        scoped: dict[str, set[cst.FunctionDef] | None] = {}
        for node in descendants(self.module, expand=code_children):
            if not isinstance(node, cst.Call):
                continue
            test = in_tests.get(node)
            if not _is_patch_call(node):
                if test is not None:
                    # `@autospec(Cog, "format_message")`: a helper of the project's own that patches while the
                    # test runs; the names its strings give are patched in that test at most.
                    for name in _string_arguments(node):
                        tests = scoped.get(name, set())
                        scoped[name] = None if tests is None else tests | {test}
                continue
            names = _patched_names(node)
            if names is None:
                return {}  # `patch.object(obj, name)`: which attribute is not written
            for name in names:
                tests = scoped.get(name, set())
                scoped[name] = None if tests is None or test is None else tests | {test}
        assigned = self.assigned_attributes.counts
        return {name: tests for name, tests in scoped.items() if tests is not None and name not in assigned}

    def made_callee_key(self, scope: Scope, func: cst.BaseExpression) -> tuple[object, str] | None:
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
        return (only, f"{MADE}.{rest}") if only is not None else None

    def _made_key(self, scope: Scope, local: LocalBinding) -> object | None:
        """For a local bound once by a call (`x = make(...)`, `async with make(...) as x`, not awaited) of a
        method of a receiver the file keys (`self.get_lock`, a fixture's `client.lock`): that callee's key."""
        expr = local.expr
        if not isinstance(expr, cst.Call):
            return None
        if isinstance(expr.func, cst.Name):
            # `client = Client()`, `lock = make_lock()`: a module-level name (an import, a definition).
            name = expr.func.value
            if scope.nested or self.local(scope, name) is not False:
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
            key = self.callee_key(scope, expr.func)
        finally:
            self._making.discard(made_by)
        return ("made", key) if key is not None else None


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

    def value_of(self, analysis: FileResolver, scope: Scope, name: str, depth: int = 0) -> Handed | None:
        found = self._definitions(scope, name)
        if not found:
            return None
        return self._value(analysis, scope, found, depth)

    def _value(self, analysis: FileResolver, scope: Scope, definitions: list[FixtureDef], depth: int) -> Handed | None:
        """The value of the first of `definitions` (those of a name the test may get, nearest first)."""
        definition = definitions[0]
        if self._unreadable_may_override(definition, scope):
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
            value = shape.value
            if value.written == definition.name and value.kind == ATTRIBUTE and depth < _REQUEST_DEPTH:
                # `def declare_queue(declare_queue): return declare_queue`: the definition it overrides.
                return self._value(analysis, scope, definitions[1:], depth + 1) if len(definitions) > 1 else None
            if owner:
                return None  # a class's fixture: which of its requests is which is not followed
            return self._through_request(analysis, scope, definition, module, shape.value, depth)
        return analysis.index.value(module, shape.value, name=definition.name)

    def _through_request(
        self, analysis: FileResolver, scope: Scope, definition: FixtureDef, module: ModuleRef, value: Value, depth: int
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

    def _shown_to_run(self, analysis: FileResolver, definition: FixtureDef) -> bool:
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

    def definition(self, scope: Scope, name: str) -> FixtureDef | None:
        """The definition of fixture `name` the function of `scope` surely receives, or None."""
        return self._definition(scope, name)

    def _definition(self, scope: Scope, name: str) -> FixtureDef | None:
        """The definition of fixture `name` that the function of `scope` receives, when it is certain."""
        definitions = self._definitions(scope, name)
        if not definitions or self._unreadable_may_override(definitions[0], scope):
            return None
        return definitions[0]

    def _unreadable_may_override(self, definition: FixtureDef, scope: Scope) -> bool:
        """Whether a conftest asynclint cannot read may hold the definition the function gets instead."""
        model = self.model
        if model.fixtures.unreadable is None:
            return False
        info = scope.info
        item = model.test_for(info) if info is not None else None
        if item is not None:
            class_fixtures = [fixture for facts in item.classes for fixture in facts.fixtures]
        else:
            qualname = info.class_qualname if info is not None else None
            class_fixtures = list(model.class_fixtures(qualname))
        return definition not in (*class_fixtures, *model.fixtures.module, *model.fixtures.imported)

    def _definitions(self, scope: Scope, name: str) -> list[FixtureDef]:
        """The definitions of fixture `name` the function of `scope` may get, the one it gets first and then
        each it overrides; none when which it gets is not certain."""
        info = scope.info
        model = self.model
        environment = model.directory.environment
        if info is None or environment.fixture_values_unknown is not None or name in environment.parametrized_by_hooks:
            return []
        for hook in model.summary.hooks:
            if hook.name in FIXTURE_VALUE_HOOKS and (hook.parametrizes is None or name in hook.parametrizes):
                return []
        item = model.test_for(info)
        if item is not None:
            if item.marks_unknown is not None or _parametrizes((m.mark for m in item.marks), name):
                return []  # a mark asynclint cannot read may parametrize it
            class_facts: tuple[ClassFacts | None, ...] = item.classes
            class_fixtures = [fixture for facts in item.classes for fixture in facts.fixtures]
        elif info.fixture is not None and not model.is_conftest:
            # A fixture of a test module: its requests resolve from its tests, which see the module's fixtures
            # (or their class's) before any conftest's.
            if any(fixture.name == name and fixture.class_qualname is not None for fixture in model.summary.fixtures):
                return []  # each test gets the fixture of its own class, if it has one
            qualname = info.class_qualname
            class_facts = (model.classes.get(qualname),) if qualname is not None else ()
            class_fixtures = list(model.class_fixtures(qualname))
        else:
            return []
        if any(facts is None or facts.testcase is TestCaseKind.UNKNOWN for facts in class_facts):
            return []  # a base class asynclint cannot read may define the fixture
        definitions = list(model.fixtures.definitions(name, class_fixtures))
        if item is None and info.fixture is not None and info.fixture.name == name:
            # A fixture requesting its own name gets the next definition out.
            at = next((i for i, found in enumerate(definitions) if found.key == info.fixture.key), None)
            definitions = definitions[at + 1 :] if at is not None else []
        return definitions


#: What stands for a local's name in the key of a value made by a call (`FileResolver._made_key`).
MADE = "()"


#: Plain mock classes (not `create_autospec`, whose mock of a coroutine function is async).
_PLAIN_MOCKS = MOCK_CLASSES - {"AsyncMock"}
_PLAIN_MOCK_NAMES = frozenset((module, name) for module in ("unittest.mock", "mock") for name in _PLAIN_MOCKS)
#: A mock's own attributes and methods, which are not children (`return_value` is one: see `_attribute`).
_MOCK_INTERFACE = frozenset(
    {
        "assert_any_await", "assert_any_call", "assert_awaited", "assert_awaited_once", "assert_awaited_once_with",
        "assert_awaited_with", "assert_called", "assert_called_once", "assert_called_once_with", "assert_called_with",
        "assert_has_awaits", "assert_has_calls", "assert_not_awaited", "assert_not_called", "attach_mock",
        "await_args", "await_args_list", "await_count", "call_args", "call_args_list", "call_count", "called",
        "configure_mock", "mock_add_spec", "mock_calls", "reset_mock", "side_effect",
    }
)  # fmt: skip

#: How many fixtures deep a fixture handing out another's value is followed (`FixtureTypes._through_request`).
_REQUEST_DEPTH = 4


#: The last names of calls that patch (`mock.patch.object`, `mocker.patch`, `monkeypatch.setattr`).
_PATCHING = frozenset({"patch", "setattr", "setitem"})


def _mock_attribute(mock: Instance, part: str) -> Handed | None:
    """An attribute of a mock: what was set there (`return_value=`, `mock.fetch = MagicMock()`), else, of an
    `AsyncMock` without a spec, an `AsyncMock` child (a plain mock's are plain, or as its spec says). Chains set
    deeper (`mock.return_value.fetch.side_effect = ...`, kept as `return_value.fetch.side_effect`) go with it."""
    replaced, held = mock.attribute(part)
    if not replaced:
        if not mock.cls.is_async_mock or not mock.children or part.startswith("_") or part in _MOCK_INTERFACE:
            return None  # a spec decides, or it is the mock's own interface (`called`, `assert_awaited`)
        held = Instance(mock.cls, children=True, child=True)
    prefix = f"{part}."
    deeper = tuple((name[len(prefix) :], value) for name, value in mock.attributes if name.startswith(prefix))
    if not deeper:
        return held
    if not isinstance(held, Instance) or not (held.cls.is_async_mock or held.cls.is_mock):
        return None  # attributes set on something other than a mock: not followed
    return replace(held, attributes=(*deeper, *held.attributes))


def argument_place(call: cst.Call, arg: cst.Arg) -> int | str | None:
    """Where an argument lands: its position among the positional arguments, or its keyword; None after a
    `*args` (its position is not known) and for `**kwargs`."""
    if arg.keyword is not None:
        return arg.keyword.value
    if arg.star:
        return None
    for position, other in enumerate(call.args):
        if other is arg:
            return position
        if other.star:
            return None
    return None


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


def _live_statements(node: cst.If, dead: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The statements of the branch of `node` that runs, when `dead` is the one that never does."""
    live = node.orelse if dead is node.body else node.body
    if isinstance(live, cst.Else):
        return body_statements(live.body)
    if isinstance(live, cst.If):
        return [live]
    return body_statements(live) if isinstance(live, cst.BaseSuite) else ()


def _values_of(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """The holder of `holder.values()` (called without arguments), else None."""
    if isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Attribute):
        return expr.func.value if expr.func.attr.value == "values" else None
    return None


def _enumerated(loop: cst.For) -> tuple[cst.Name, cst.Name, cst.BaseExpression] | None:
    """The names and `clients` of `for index, client in enumerate(clients)` (two plain names, one argument)."""
    target, call = loop.target, loop.iter
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != 2:
        return None
    first, second = (element.value for element in target.elements)
    if not isinstance(first, cst.Name) or not isinstance(second, cst.Name):
        return None
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name) or call.func.value != "enumerate":
        return None
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    return first, second, call.args[0].value


def _undone_patchers(function: cst.FunctionDef) -> set[str]:
    """The function-scoped patching fixtures a test takes, whose patches end with the test."""
    names = {param.name.value for param in (*function.params.params, *function.params.kwonly_params)}
    return names & {"mocker", "monkeypatch"}


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


def _string_arguments(call: cst.Call) -> set[str]:
    """The last dotted names of a call's string arguments (`"app.client.fetch"` gives "fetch")."""
    found: set[str] = set()
    for argument in call.args:
        value = literal_value(argument.value)
        if isinstance(value, str) and value:
            found.add(value.rpartition(".")[2])
    return found


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


def _holding(paths: Mapping[tuple[str, ...], Handed | None]) -> Handed | None:
    """The value a test put directly (`()`), or an object of unknown class holding the deeper ones it put."""
    if () in paths:
        return paths[()] if len(paths) == 1 else None
    deeper: dict[str, dict[tuple[str, ...], Handed | None]] = {}
    for path, held in paths.items():
        deeper.setdefault(path[0], {})[path[1:]] = held
    return Instance(PUT_OBJECT, attributes=tuple((name, _holding(inner)) for name, inner in sorted(deeper.items())))


def _short_code(code: str) -> str:
    """A callee written as an expression (`Client(url).fetch`), on one line and shortened for a message."""
    code = " ".join(code.split())
    return code if len(code) <= 60 else f"{code[:57]}..."
