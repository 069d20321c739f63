"""The reader: turns one parsed module into `ModuleSummary` facts.

It walks only what pytest looks at (module-level statements, class bodies, decorators, signatures) and scans
function bodies only where a fact needs them (async functions and fixtures), so reading costs a fraction of
the parse. No LibCST metadata provider is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from asynclint.model.facts import (
    UNKNOWN,
    BaseRef,
    ClassInfo,
    Decorator,
    DecoratorKind,
    FixtureDecorator,
    FixtureDef,
    Function,
    Hook,
    ImportTable,
    Literal,
    Mark,
    MarkSet,
    ModuleSummary,
    NodeKey,
    Unknown,
)
from asynclint.model.loop_binding import loop_binding
from asynclint.model.names import dotted_name, import_module_name, literal_value, string_items
from asynclint.walk import code_children, descendants

LOCAL = "<local>"

FIXTURE_DECORATORS = {
    "pytest.fixture": FixtureDecorator.PYTEST,
    "_pytest.fixtures.fixture": FixtureDecorator.PYTEST,
    "pytest_asyncio.fixture": FixtureDecorator.PYTEST_ASYNCIO,
    "pytest_asyncio.plugin.fixture": FixtureDecorator.PYTEST_ASYNCIO,
    "pytest_trio.trio_fixture": FixtureDecorator.PYTEST_TRIO,
}

#: Decorators that leave a coroutine test function a coroutine function pytest collects as a test.
TRANSPARENT_DECORATORS = frozenset(
    {
        "hypothesis.given",
        "hypothesis.settings",
        "hypothesis.example",
        "hypothesis.seed",
        "hypothesis.reproduce_failure",
        "unittest.mock.patch",
        "unittest.mock.patch.object",
        "unittest.mock.patch.dict",
        "unittest.mock.patch.multiple",
        "mock.patch",
        "mock.patch.object",
        "mock.patch.dict",
        "mock.patch.multiple",
        "builtins.staticmethod",
        # unittest's conditional skips return the test itself when it is not skipped
        "unittest.skipIf",
        "unittest.skipUnless",
        "unittest.expectedFailure",
    }
)

#: `mock.patch` forms that pass the mock to the test as a leading positional argument (unless `new` is given).
_PATCH_INJECTING = frozenset({"unittest.mock.patch", "unittest.mock.patch.object", "mock.patch", "mock.patch.object"})

#: Methods through which a class can change how its test methods are called (unittest wraps them so).
CALL_HOOK_METHODS = frozenset(
    {"__init__", "__new__", "__init_subclass__", "__call__", "__getattribute__", "run", "debug", "_callTestMethod"}
)

#: Hooks that decide how test functions are collected or called.
RUNNER_HOOKS = frozenset({"pytest_pyfunc_call", "pytest_pycollect_makeitem"})
_ASYNC_WORDS = re.compile(r"asyncio|coroutine|is_async_test|iscoroutine|anyio|trio|\basync\b|\bawait\b|aiohttp|tornado")


class NodeMap:
    """In-process map from the `NodeKey`s in a summary back to the nodes they were read from."""

    def __init__(self) -> None:
        self._nodes: list[cst.CSTNode] = []

    def add(self, node: cst.CSTNode) -> NodeKey:
        self._nodes.append(node)
        return len(self._nodes) - 1

    def __getitem__(self, key: NodeKey) -> cst.CSTNode:
        return self._nodes[key]


@dataclass
class _Bindings:
    """Module-level names, gathered before anything is interpreted."""

    imports: dict[str, set[str]] = field(default_factory=dict)
    assigned: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    other: set[str] = field(default_factory=set)
    star_imports: list[str] = field(default_factory=list)


def _block(suite: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    """The statements of an indented block, or of a one-line suite (`if x: y = 1`)."""
    if isinstance(suite, cst.IndentedBlock):
        return suite.body
    if isinstance(suite, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=suite.body)]
    return ()


def _flatten(statements: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseStatement]:
    """Statements at this level, looking into `if`/`try`/`with` blocks (their defs bind at this level too)."""
    for statement in statements:
        if isinstance(statement, cst.If):
            yield from _flatten(_block(statement.body))
            orelse = statement.orelse
            while orelse is not None:
                yield from _flatten(_block(orelse.body))
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            yield from _flatten(_block(statement.body))
            for handler in statement.handlers:
                yield from _flatten(_block(handler.body))
            if statement.orelse is not None:
                yield from _flatten(_block(statement.orelse.body))
            if statement.finalbody is not None:
                yield from _flatten(_block(statement.finalbody.body))
        elif isinstance(statement, cst.With):
            yield from _flatten(_block(statement.body))
        else:
            yield statement


def _small_statements(statement: cst.BaseStatement) -> Sequence[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.body
    return ()


_NESTED_SCOPES = frozenset({cst.FunctionDef, cst.Lambda, cst.ClassDef})


def _nested_scope(node: cst.CSTNode) -> bool:
    return type(node) in _NESTED_SCOPES


@dataclass
class _BodyScan:
    """Facts from a function's own body: nested functions, lambdas and classes are not its body."""

    has_yield: bool = False
    getfixturevalue: bool = False

    @classmethod
    def of(cls, body: cst.BaseSuite) -> _BodyScan:
        scan = cls()
        for node in descendants(body, prune=_nested_scope, expand=code_children):
            kind = type(node)  # exact type checks: isinstance against LibCST's abstract bases is slow
            if kind is cst.Yield:
                scan.has_yield = True
            elif kind is cst.Attribute and node.attr.value == "getfixturevalue":  # type: ignore[attr-defined]
                scan.getfixturevalue = True
        return scan


@dataclass
class _ModuleLevel:
    """What the module-level statements say, gathered while they are read (`ModuleReader.read`)."""

    marks: list[Mark] = field(default_factory=list)
    unknown: str | None = None
    pytestmark_assignments: int = 0
    pytest_plugins: tuple[str, ...] | Unknown | None = None
    registered: list[str] = field(default_factory=list)
    collect_flag: Literal = None


class ModuleReader:
    """Reads one module. Use `read_module`."""

    def __init__(self, module: cst.Module, path: str, text: str | None = None) -> None:
        self.module = module
        self.path = path
        # A body scan looks for two words; a module whose text has neither needs no scan (most test modules).
        self.scan_bodies = text is None or "yield" in text or "getfixturevalue" in text
        # What ties an async fixture to its loop is always something of asyncio's (`model.loop_binding`).
        self.scan_loops = text is None or "asyncio" in text
        self.nodes = NodeMap()
        self.imports = ImportTable(bindings={})
        self.mark_aliases: dict[str, cst.BaseExpression] = {}
        #: Hook methods of classes (a plugin object a conftest registers with `config.pluginmanager.register`).
        self.class_hooks: list[Hook] = []
        self.uses_pytest_asyncio = False
        self.applies_asyncio_mark = False

    # -- names -------------------------------------------------------------------------------------------

    def _gather_bindings(self) -> _Bindings:
        found = _Bindings()
        for statement in _flatten(self.module.body):
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                found.other.add(statement.name.value)
                continue
            for small in _small_statements(statement):
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        full = dotted_name(alias.name)
                        if full is None:
                            continue
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                            found.imports.setdefault(alias.asname.name.value, set()).add(full)
                        else:
                            head = full.partition(".")[0]
                            found.imports.setdefault(head, set()).add(head)
                elif isinstance(small, cst.ImportFrom):
                    module_name = import_module_name(small)
                    if isinstance(small.names, cst.ImportStar):
                        found.star_imports.append(module_name)
                        continue
                    for alias in small.names:
                        name = dotted_name(alias.name)
                        if name is None:
                            continue
                        local = name
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                            local = alias.asname.name.value
                        sep = "" if module_name.endswith(".") else "."
                        found.imports.setdefault(local, set()).add(f"{module_name}{sep}{name}")
                elif isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            found.assigned.setdefault(target.target.value, []).append(small.value)
                        else:
                            for name_node in _target_names(target.target):
                                found.other.add(name_node)
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    if small.value is not None:
                        found.assigned.setdefault(small.target.value, []).append(small.value)
                    else:
                        found.other.add(small.target.value)
                elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                    found.other.add(small.target.value)
        return found

    def _build_import_table(self, found: _Bindings) -> None:
        bindings: dict[str, str | None] = {}
        for name, targets in found.imports.items():
            bindings[name] = next(iter(targets)) if len(targets) == 1 else None
        for name in found.other:
            bindings[name] = None if name in bindings else f"{LOCAL}.{name}"
        self.imports = ImportTable(bindings=dict(bindings), star_imports=tuple(found.star_imports))
        # Simple aliases (`mark = pytest.mark`, `asyncio_mark = pytest.mark.asyncio`) resolve in a second step,
        # against the imports; a name assigned more than once, or also imported, stays ambiguous.
        for name, values in found.assigned.items():
            if name in found.imports or name in found.other or len(values) != 1:
                bindings[name] = None
                continue
            value = values[0]
            written = dotted_name(value)
            resolved = self.imports.resolve(written) if written is not None else None
            if self._is_mark_expression(value):
                self.mark_aliases[name] = value
                bindings[name] = f"{LOCAL}.{name}"
            elif resolved is not None and not resolved.startswith(LOCAL):
                bindings[name] = resolved
            else:
                bindings[name] = f"{LOCAL}.{name}"
        self.imports = ImportTable(bindings=bindings, star_imports=tuple(found.star_imports))
        self.uses_pytest_asyncio = any(
            target is not None and target.partition(".")[0] == "pytest_asyncio" for target in bindings.values()
        )

    def _is_mark_expression(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            expr = expr.func
        if isinstance(expr, (cst.List, cst.Tuple)):
            return bool(expr.elements) and all(self._is_mark_expression(element.value) for element in expr.elements)
        written = dotted_name(expr)
        if written is None:
            return False
        resolved = self.imports.resolve(written)
        return resolved is not None and resolved.startswith("pytest.mark.")

    def canonical(self, expr: cst.BaseExpression) -> str | None:
        written = dotted_name(expr)
        return self.imports.resolve(written) if written is not None else None

    # -- marks -------------------------------------------------------------------------------------------

    def marks_of(self, expr: cst.BaseExpression, via: str, key_node: cst.CSTNode) -> MarkSet:
        """Marks applied by an expression (a decorator, or a `pytestmark` value)."""
        if isinstance(expr, (cst.List, cst.Tuple)):
            marks: list[Mark] = []
            unknown: str | None = None
            for element in expr.elements:
                if isinstance(element, cst.StarredElement):
                    unknown = "a starred element in `pytestmark`"
                    continue
                found = self.marks_of(element.value, via, element.value)
                marks.extend(found.marks)
                unknown = unknown or found.unknown
            return MarkSet(tuple(marks), unknown)
        called = isinstance(expr, cst.Call)
        func = expr.func if isinstance(expr, cst.Call) else expr
        written = dotted_name(func)
        if written is not None and written in self.mark_aliases and not called:
            alias_value = self.mark_aliases[written]
            aliased = self.marks_of(alias_value, via, key_node)
            # The alias's marks are applied here: point them at this node.
            key = self.nodes.add(key_node)
            return MarkSet(tuple(_rekey(mark, key, via) for mark in aliased.marks), aliased.unknown)
        resolved = self.imports.resolve(written) if written is not None else None
        if resolved is None or not resolved.startswith("pytest.mark."):
            shown = written or self.module.code_for_node(func).strip()
            return MarkSet((), f"`{shown}` is not a mark asynclint can read")
        parts = resolved.split(".")
        if len(parts) < 3 or (len(parts) > 3 and parts[3:] != ["with_args"]):
            return MarkSet((), f"`{written}` is not a mark asynclint can read")
        args: tuple[Literal, ...] = ()
        kwargs: tuple[tuple[str, Literal], ...] = ()
        param_marks = False
        if isinstance(expr, cst.Call):
            positional: list[Literal] = []
            keywords: list[tuple[str, Literal]] = []
            for arg in expr.args:
                if arg.star:
                    positional.append(UNKNOWN)
                elif arg.keyword is not None:
                    keywords.append((arg.keyword.value, literal_value(arg.value)))
                else:
                    positional.append(literal_value(arg.value))
            args, kwargs = tuple(positional), tuple(keywords)
            param_marks = self._has_param_marks(expr)
        mark = Mark(
            name=parts[2],
            called=called,
            args=args,
            kwargs=kwargs,
            key=self.nodes.add(key_node),
            via=via,
            has_param_marks=param_marks,
        )
        if mark.name == "asyncio":
            self.applies_asyncio_mark = True
        return MarkSet((mark,))

    def _has_param_marks(self, call: cst.Call) -> bool:
        """`pytest.param(..., marks=...)` among a mark's arguments adds marks to some parametrizations."""
        return any(
            isinstance(node, cst.Call)
            and self.canonical(node.func) == "pytest.param"
            and any(arg.keyword is not None and arg.keyword.value == "marks" for arg in node.args)
            for node in descendants(call, expand=code_children)
        )

    # -- decorators ----------------------------------------------------------------------------------------

    def _is_mark(self, decorator: Decorator) -> bool:
        """A mark (`@pytest.mark.x`, an alias of one), even one whose arguments are not known: it leaves the
        function as it is."""
        canonical = decorator.canonical or ""
        return canonical.startswith("pytest.mark.") or (
            canonical.startswith(f"{LOCAL}.") and decorator.written.partition(".")[0] in self.mark_aliases
        )

    def decorator(self, node: cst.Decorator) -> tuple[Decorator, MarkSet]:
        expr = node.decorator
        func = expr.func if isinstance(expr, cst.Call) else expr
        written = dotted_name(func)
        key = self.nodes.add(node)
        shown = written or self.module.code_for_node(func).strip()
        if written is not None and (written.partition(".")[0] in self.mark_aliases):
            marks = self.marks_of(expr, "decorator", node)
            kind = DecoratorKind.MARK if not marks.unknown else DecoratorKind.UNKNOWN
            return Decorator(shown, f"{LOCAL}.{written}", kind, key), marks
        canonical = self.imports.resolve(written) if written is not None else None
        if canonical is not None and canonical.startswith("pytest.mark."):
            marks = self.marks_of(expr, "decorator", node)
            kind = DecoratorKind.MARK if not marks.unknown else DecoratorKind.UNKNOWN
            return Decorator(shown, canonical, kind, key), marks
        if canonical in FIXTURE_DECORATORS:
            return Decorator(shown, canonical, DecoratorKind.FIXTURE, key), MarkSet()
        if canonical in TRANSPARENT_DECORATORS:
            return Decorator(shown, canonical, DecoratorKind.TRANSPARENT, key), MarkSet()
        return Decorator(shown, canonical, DecoratorKind.UNKNOWN, key), MarkSet()

    # -- functions ------------------------------------------------------------------------------------------

    def function(self, node: cst.FunctionDef, class_qualname: str | None) -> Function:
        name = node.name.value
        qualname = f"{class_qualname}.{name}" if class_qualname else name
        decorators: list[Decorator] = []
        marks: list[Mark] = []
        unknown_marks: str | None = None
        fixture_decorator: cst.Decorator | None = None
        for dec_node in node.decorators:
            decorator, dec_marks = self.decorator(dec_node)
            decorators.append(decorator)
            marks.extend(dec_marks.marks)
            if any(mark.has_param_marks for mark in dec_marks.marks):
                unknown_marks = "`pytest.param(..., marks=...)` adds marks to some parametrizations"
            if decorator.kind is DecoratorKind.FIXTURE:
                fixture_decorator = dec_node
        is_async = node.asynchronous is not None
        scan: _BodyScan | None = None
        if is_async or fixture_decorator is not None:
            scan = _BodyScan.of(node.body) if self.scan_bodies else _BodyScan()
        is_static = any(d.canonical == "builtins.staticmethod" for d in decorators)
        argnames = _argnames(node, is_method=class_qualname is not None and not is_static)
        argnames = self._drop_injected(argnames, node.decorators, decorators)
        key = self.nodes.add(node)
        fixture = None
        if fixture_decorator is not None:
            fixture = self._fixture(node, fixture_decorator, decorators, argnames, class_qualname, qualname, scan, key)
        return Function(
            name=name,
            qualname=qualname,
            class_qualname=class_qualname,
            is_async=is_async,
            is_generator=bool(scan and scan.has_yield),
            decorators=tuple(decorators),
            marks=MarkSet(tuple(marks), unknown_marks),
            argnames=argnames,
            fixture=fixture,
            dynamic_requests=bool(scan and scan.getfixturevalue),
            key=key,
        )

    def _drop_injected(
        self,
        argnames: tuple[str, ...],
        nodes: Sequence[cst.Decorator],
        decorators: Sequence[Decorator],
    ) -> tuple[str, ...]:
        """Arguments filled by `mock.patch` or hypothesis `@given` are not fixtures (as pytest decides)."""
        names = list(argnames)
        injected = 0
        for dec_node, decorator in zip(nodes, decorators, strict=True):
            expr = dec_node.decorator
            if decorator.canonical in _PATCH_INJECTING and isinstance(expr, cst.Call):
                positional = [arg for arg in expr.args if arg.keyword is None and not arg.star]
                keywords = {arg.keyword.value for arg in expr.args if arg.keyword is not None}
                new_position = 2 if decorator.canonical.endswith(".object") else 1
                if "new" not in keywords and len(positional) <= new_position:
                    injected += 1
            elif decorator.canonical == "hypothesis.given" and isinstance(expr, cst.Call):
                for arg in expr.args:
                    if arg.keyword is not None and arg.keyword.value in names:
                        names.remove(arg.keyword.value)
                positional_count = sum(1 for arg in expr.args if arg.keyword is None)
                if positional_count:
                    names = names[:-positional_count] if positional_count <= len(names) else []
        return tuple(names[injected:])

    def _fixture(
        self,
        node: cst.FunctionDef,
        dec_node: cst.Decorator,
        decorators: Sequence[Decorator],
        argnames: tuple[str, ...],
        class_qualname: str | None,
        qualname: str,
        scan: _BodyScan | None,
        key: NodeKey,
    ) -> FixtureDef:
        canonical = next(d.canonical for d in decorators if d.kind is DecoratorKind.FIXTURE)
        assert canonical is not None
        kwargs: dict[str, Literal] = {}
        expr = dec_node.decorator
        if isinstance(expr, cst.Call):
            for position, arg in enumerate(expr.args):
                if arg.star:
                    kwargs.update(scope=UNKNOWN, autouse=UNKNOWN, name=UNKNOWN, loop_scope=UNKNOWN, params=UNKNOWN)
                elif arg.keyword is not None:
                    kwargs[arg.keyword.value] = literal_value(arg.value)
                elif position == 0:
                    kwargs["scope"] = literal_value(arg.value)  # old positional scope
        name = kwargs.get("name", node.name.value)
        # Another decorator may hand pytest a function with a signature of its own (`@gen_cluster` fills some
        # parameters itself): what the fixture requests is then not what the `def` says.
        rewriting = next(
            (
                decorator
                for decorator, dec_node_of in zip(decorators, node.decorators, strict=True)
                if decorator.kind is DecoratorKind.UNKNOWN
                and not self._is_mark(decorator)
                and not (decorator.canonical or "").startswith("builtins.")
                and dec_node_of is not dec_node
            ),
            None,
        )
        return FixtureDef(
            name=name if isinstance(name, str) else node.name.value,
            function=qualname,
            path=self.path,
            class_qualname=class_qualname,
            is_async=node.asynchronous is not None,
            is_generator=bool(scan and scan.has_yield),
            decorator=FIXTURE_DECORATORS[canonical],
            scope=kwargs.get("scope", "function"),
            loop_scope=kwargs.get("loop_scope"),
            autouse=kwargs.get("autouse", False),
            requests=argnames if rewriting is None else (),
            dynamic_requests=bool(scan and scan.getfixturevalue),
            key=key,
            requests_unknown=f"`@{rewriting.written}` may change its signature" if rewriting is not None else None,
            loop_binding=(
                loop_binding(node, self.imports.resolve) if node.asynchronous is not None and self.scan_loops else None
            ),
            params=kwargs.get("params"),
            returns=_returned_literal(node),
            makes_loop=(name if isinstance(name, str) else node.name.value) == "event_loop" and _makes_loop(node),
        )

    # -- classes ---------------------------------------------------------------------------------------------

    def klass(
        self,
        node: cst.ClassDef,
        outer: str | None,
        classes: list[ClassInfo],
        functions: list[Function],
    ) -> None:
        qualname = f"{outer}.{node.name.value}" if outer else node.name.value
        decorators: list[Decorator] = []
        marks: list[Mark] = []
        unknown: str | None = None
        for dec_node in node.decorators:
            decorator, dec_marks = self.decorator(dec_node)
            decorators.append(decorator)
            marks.extend(dec_marks.marks)
            if decorator.kind is DecoratorKind.UNKNOWN:
                unknown = f"the class decorator `@{decorator.written}` is unknown"
        bases: list[BaseRef] = []
        for arg in node.bases:
            written = dotted_name(arg.value)
            if arg.star or written is None:
                bases.append(BaseRef(None, None))
                continue
            bases.append(BaseRef(written, self.imports.resolve(written)))
        has_init = False
        collect_flag: Literal = None
        call_hooks: list[str] = []
        for statement in _flatten(_block(node.body)):
            if isinstance(statement, cst.FunctionDef):
                if statement.name.value == "__init__":
                    has_init = True
                if statement.name.value in CALL_HOOK_METHODS:
                    call_hooks.append(statement.name.value)
                if statement.name.value.startswith("pytest_"):
                    self.class_hooks.append(self._hook(statement))
                functions.append(self.function(statement, qualname))
            elif isinstance(statement, cst.ClassDef):
                self.klass(statement, qualname, classes, functions)
            for small in _small_statements(statement):
                target, value = _assignment(small)
                if target == "pytestmark":
                    if value is None or not isinstance(small, (cst.Assign, cst.AnnAssign)):
                        unknown = "the class `pytestmark` is modified in place"
                        continue
                    body_marks = self.marks_of(value, "pytestmark", value)
                    marks.extend(body_marks.marks)
                    unknown = unknown or body_marks.unknown
                elif target == "__test__":
                    collect_flag = literal_value(value) if value is not None else UNKNOWN
        classes.append(
            ClassInfo(
                name=node.name.value,
                qualname=qualname,
                outer_qualname=outer,
                bases=tuple(bases),
                decorators=tuple(decorators),
                marks=MarkSet(tuple(marks), unknown),
                has_init=has_init,
                collect_flag=collect_flag,
                key=self.nodes.add(node),
                has_metaclass=any(k.keyword is not None and k.keyword.value == "metaclass" for k in node.keywords),
                call_hooks=tuple(call_hooks),
            )
        )

    # -- the module --------------------------------------------------------------------------------------------

    def read(self) -> ModuleSummary:
        self._build_import_table(self._gather_bindings())
        classes: list[ClassInfo] = []
        functions: list[Function] = []
        hooks: list[Hook] = []
        level = _ModuleLevel()
        mode_assignments: list[Literal] = []
        for statement in _flatten(self.module.body):
            if isinstance(statement, cst.FunctionDef):
                function = self.function(statement, None)
                functions.append(function)
                if function.name.startswith("pytest_"):
                    hooks.append(self._hook(statement))
                    mode_assignments.extend(_mode_assignments(statement.body))
                    if function.name == "pytest_configure":
                        level.registered.extend(_registered_markers(statement))
                continue
            if isinstance(statement, cst.ClassDef):
                self.klass(statement, None, classes, functions)
                continue
            mode_assignments.extend(_mode_assignments(statement))
            for small in _small_statements(statement):
                self._module_statement(small, level)
        module_unknown = level.unknown
        if level.pytestmark_assignments > 1:
            module_unknown = module_unknown or "`pytestmark` is assigned more than once"
        hooks.extend(self.class_hooks)
        hooks.extend(_imported_hooks(self.imports))
        fixtures = tuple(fn.fixture for fn in functions if fn.fixture is not None)
        if any(mark.name == "asyncio" for fn in functions for mark in fn.marks.marks):
            self.applies_asyncio_mark = True
        return ModuleSummary(
            path=self.path,
            imports=self.imports,
            module_marks=MarkSet(tuple(level.marks), module_unknown),
            classes=tuple(classes),
            functions=tuple(functions),
            fixtures=fixtures,
            hooks=tuple(hooks),
            pytest_plugins=level.pytest_plugins,
            registered_markers=tuple(level.registered),
            collect_flag=level.collect_flag,
            uses_pytest_asyncio=self.uses_pytest_asyncio,
            mode_assignments=tuple(mode_assignments),
            applies_asyncio_mark=self.applies_asyncio_mark,
            class_index={info.qualname: info for info in classes},
        )

    def _module_statement(self, small: cst.BaseSmallStatement, level: _ModuleLevel) -> None:
        """What a module-level statement says of the module: `pytestmark`, `pytest_plugins`, `__test__`, markers
        registered by a call."""
        target, value = _assignment(small)
        if target == "pytestmark":
            level.pytestmark_assignments += 1
            if value is None or not isinstance(small, (cst.Assign, cst.AnnAssign)):
                level.unknown = "the module `pytestmark` is modified in place"
                return
            found = self.marks_of(value, "pytestmark", value)
            level.marks.extend(found.marks)
            level.unknown = level.unknown or found.unknown
        elif target == "pytest_plugins" and value is not None:
            items = string_items(value)
            level.pytest_plugins = items if items is not None else UNKNOWN
        elif target == "__test__":
            level.collect_flag = literal_value(value) if value is not None else UNKNOWN
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            # `pytestmark.append(...)` / `pytestmark.extend(...)` at module level
            func = small.value.func
            if isinstance(func, cst.Attribute) and dotted_name(func.value) == "pytestmark":
                level.unknown = "the module `pytestmark` is modified in place"
            level.registered.extend(_markers_from_call(small.value))

    def _hook(self, node: cst.FunctionDef) -> Hook:
        name = node.name.value
        if name in RUNNER_HOOKS:
            return Hook(name, True)
        words, is_async = _words(node.body)
        parametrizes = _parametrized_names(node) if name == "pytest_generate_tests" else None
        mentions_async = is_async or any(_ASYNC_WORDS.search(word) for word in words)
        async_only = name == "pytest_fixture_setup" and _leaves_plain_fixtures(node)
        return Hook(name, mentions_async, parametrizes, async_only)


#: Tests of a function that tell an `async def` apart (`inspect.iscoroutinefunction(fixturedef.func)`).
_ASYNC_FUNCTION_TESTS = frozenset({"iscoroutinefunction", "isasyncgenfunction"})


def _leaves_plain_fixtures(node: cst.FunctionDef) -> bool:
    """A `pytest_fixture_setup` hook whose first statements (after a docstring and plain assignments) return
    for any fixture function that is not a coroutine or async generator function: `if not
    iscoroutinefunction(func): return`, or `if isasyncgenfunction(func): ... elif iscoroutinefunction(func): ...
    else: return`."""
    for statement in _block(node.body):
        if isinstance(statement, cst.SimpleStatementLine):
            if all(
                (isinstance(small, cst.Assign) and all(isinstance(t.target, cst.Name) for t in small.targets))
                or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString))
                for small in statement.body
            ):
                continue  # a docstring, `func = fixturedef.func`
            return False
        if not isinstance(statement, cst.If):
            return False
        return _returns_unless_async(statement)
    return False


def _returns_unless_async(statement: cst.If) -> bool:
    tests: list[cst.BaseExpression] = []
    current: cst.If | cst.Else | None = statement
    while isinstance(current, cst.If):
        tests.append(current.test)
        if not all(_ASYNC_FUNCTION_TESTS & _names(test) for test in tests):
            return False
        negated = isinstance(current.test, cst.UnaryOperation) and isinstance(current.test.operator, cst.Not)
        if negated and len(tests) == 1 and current.orelse is None:
            return _bare_return(current.body)  # `if not iscoroutinefunction(func): return`
        current = current.orelse
    return isinstance(current, cst.Else) and _bare_return(current.body)


def _names(node: cst.CSTNode) -> set[str]:
    return {child.value for child in descendants(node, expand=code_children) if isinstance(child, cst.Name)}


def _bare_return(block: cst.BaseSuite) -> bool:
    """The block is a lone `return` (or `return None`)."""
    statements = _block(block)
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return False
    only = statements[0].body
    return (
        len(only) == 1
        and isinstance(only[0], cst.Return)
        and (only[0].value is None or (isinstance(only[0].value, cst.Name) and only[0].value.value == "None"))
    )


def _parametrized_names(node: cst.FunctionDef) -> tuple[str, ...] | None:
    """The argument names of every `<metafunc>.parametrize(...)` call of a `pytest_generate_tests` hook, when
    each call writes them as a string or a tuple or list of strings; None when one does not (or the hook hands
    `metafunc` to another function, which may parametrize anything)."""
    names: list[str] = []
    params = node.params.params
    metafunc = params[0].name.value if params else None
    for child in descendants(node.body, expand=code_children):
        if not isinstance(child, cst.Call):
            continue
        func = child.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "parametrize"):
            if metafunc is not None and any(
                isinstance(arg.value, cst.Name) and arg.value.value == metafunc for arg in child.args
            ):
                return None
            continue
        argnames = next((arg.value for arg in child.args if arg.keyword is None), None)
        for arg in child.args:
            if arg.keyword is not None and arg.keyword.value == "argnames":
                argnames = arg.value
        found = literal_value(argnames) if argnames is not None else None
        if isinstance(found, str):
            names.extend(part.strip() for part in found.split(",") if part.strip())
        elif isinstance(found, (tuple, list)) and all(isinstance(part, str) for part in found):
            names.extend(str(part) for part in found)
        else:
            return None
    return tuple(names)


def _imported_hooks(imports: ImportTable) -> list[Hook]:
    """Hooks a module binds by importing them (`from .plugin import pytest_pyfunc_call`): their bodies are
    elsewhere, so they may do anything. pytest-asyncio's own hooks are not counted."""
    return [
        Hook(name, True)
        for name, target in imports.bindings.items()
        if name.startswith("pytest_")
        and name != "pytest_plugins"
        and target is not None
        and not target.startswith((f"{LOCAL}.", "pytest_asyncio"))
    ]


def _returned_literal(node: cst.FunctionDef) -> Literal:
    """The literal a function returns when its body is one `return <literal>` (after a docstring)."""
    statements: list[cst.CSTNode] = []
    for line in _block(node.body):
        statements.extend(_small_statements(line) or (line,))
    if statements and isinstance(statements[0], cst.Expr) and isinstance(statements[0].value, cst.SimpleString):
        statements = statements[1:]
    if len(statements) != 1 or not isinstance(statements[0], cst.Return) or statements[0].value is None:
        return UNKNOWN
    return literal_value(statements[0].value)


def _words(body: cst.BaseSuite) -> tuple[list[str], bool]:
    """The identifiers and string values of a function body (comments are not code), and whether it awaits."""
    words: list[str] = []
    is_async = False
    for node in descendants(body, expand=code_children):
        if isinstance(node, cst.Name):
            words.append(node.value)
        elif isinstance(node, cst.SimpleString):
            value = literal_value(node)
            if isinstance(value, str):
                words.append(value)
        elif isinstance(node, cst.Await) or (
            # `async for`, `async with`, an async comprehension or a nested `async def` (the `async` keyword
            # sits in a punctuation field the code-only walk does not enter)
            isinstance(node, (cst.For, cst.With, cst.CompFor, cst.FunctionDef)) and node.asynchronous is not None
        ):
            is_async = True
    return words, is_async


def _sets_asyncio_mode(target: cst.BaseExpression) -> bool:
    """`config.option.asyncio_mode` or `config.inicfg["asyncio_mode"]` as an assignment target."""
    if isinstance(target, cst.Attribute):
        return target.attr.value == "asyncio_mode"
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        return isinstance(index, cst.Index) and literal_value(index.value) == "asyncio_mode"
    return False


def _mode_assignments(scope: cst.CSTNode) -> list[Literal]:
    """The asyncio mode a hook (or module-level code) sets; only a plain top-level assignment has a value."""
    top: set[cst.CSTNode] = set()
    if isinstance(scope, cst.IndentedBlock):
        top = {small for line in scope.body for small in _small_statements(line)}
    elif isinstance(scope, cst.SimpleStatementLine):
        top = set(scope.body)
    found: list[Literal] = []
    for node in descendants(scope, expand=code_children):
        if isinstance(node, cst.Assign) and any(_sets_asyncio_mode(t.target) for t in node.targets):
            found.append(literal_value(node.value) if node in top else UNKNOWN)
        elif isinstance(node, cst.Call) and dotted_name(node.func) == "setattr" and len(node.args) >= 2:
            if literal_value(node.args[1].value) == "asyncio_mode":
                found.append(UNKNOWN)
        elif isinstance(node, cst.SimpleString):
            value = literal_value(node)
            if isinstance(value, str) and "--asyncio-mode" in value:
                found.append(UNKNOWN)
    return found


def _rekey(mark: Mark, key: NodeKey, via: str) -> Mark:
    return Mark(mark.name, mark.called, mark.args, mark.kwargs, key, via, mark.has_param_marks)


def _assignment(small: cst.BaseSmallStatement) -> tuple[str | None, cst.BaseExpression | None]:
    """(`name`, value) for `name = value`, `name: T = value`, and (`name`, None) for `name += ...`."""
    if isinstance(small, cst.Assign):
        for target in small.targets:
            if isinstance(target.target, cst.Name):
                return target.target.value, small.value
    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value, small.value
    elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
        return small.target.value, None
    return None, None


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)


def _argnames(node: cst.FunctionDef, *, is_method: bool) -> tuple[str, ...]:
    """Argument names without defaults, as pytest's `getfuncargnames` computes them."""
    params = node.params
    names = [p.name.value for p in params.params if p.default is None]
    if is_method and params.params and params.params[0].default is None:
        names = names[1:]
    names.extend(p.name.value for p in params.kwonly_params if p.default is None)
    return tuple(names)


def _markers_from_call(call: cst.Call) -> list[str]:
    """`config.addinivalue_line("markers", "slow: ...")` registers the mark `slow`."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "addinivalue_line"):
        return []
    if len(call.args) < 2 or literal_value(call.args[0].value) != "markers":
        return []
    line = literal_value(call.args[1].value)
    if not isinstance(line, str):
        return []
    return [re.split(r"[:(]", line, maxsplit=1)[0].strip()]


def _registered_markers(node: cst.FunctionDef) -> list[str]:
    return [
        name
        for call in descendants(node.body, expand=code_children)
        if isinstance(call, cst.Call)
        for name in _markers_from_call(call)
    ]


def read_module(module: cst.Module, path: str, text: str | None = None) -> tuple[ModuleSummary, NodeMap]:
    """Read a parsed module into facts plus the in-process map from fact keys back to nodes; `text`, the
    module's source, lets the reader skip what it shows cannot be there."""
    reader = ModuleReader(module, path, text)
    summary = reader.read()
    return summary, reader.nodes


def _makes_loop(node: cst.FunctionDef) -> bool:
    """Whether the function calls `new_event_loop()` (asyncio's, uvloop's, a policy's) in its own body."""
    return any(
        isinstance(child, cst.Call) and (dotted_name(child.func) or "").rpartition(".")[2] == "new_event_loop"
        for child in descendants(node.body, expand=code_children)
    )
