"""What a decorator does to the function below it, read from the decorator's own source.

A call of a decorated `async def` returns a coroutine only if its decorators leave it a coroutine function.
`read_decorator` reads a plain function's source (with `ast`, never importing it) and says what it does when
used as `@name` and as `@name(...)` (a factory such as `@retry(times=3)`):

- returns its argument unchanged, possibly after registering it somewhere (`IDENTITY`);
- returns an `async def` wrapper that awaits the argument (`AWAITING`, the `functools.wraps` pattern);
- is annotated to return a coroutine function (`Callable[P, Coroutine[...]]`), an awaitable-returning one
  (`Callable[P, Awaitable[T]]`), or the type it was given (`def d(f: F) -> F`, `F` a TypeVar bound to a
  callable) (`COROUTINE_TYPED`, `AWAITABLE_TYPED`, `SAME_TYPED`);
- returns a sync wrapper that hands back the argument's coroutine when an event loop is running, and says so
  explicitly with a check for one (`asyncio.get_running_loop()`, `sniffio.current_async_library()`) (`LOOP_DEPENDENT`);
- hands the work to another decorator, named in its one statement (`DELEGATE`, `DELEGATE_CALLED`).

Anything else (a condition on the argument, a wrapper that may not call it, a class-based decorator) is no
effect at all: the decorated function stays unknown. `apply` composes the effects of a function's decorators,
innermost first, starting from what the `def` itself is; the curated decorators of the standard library and
Tornado (`CURATED`) are applied the same way.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

IDENTITY = "identity"
AWAITING = "awaiting"
COROUTINE_TYPED = "coroutine-typed"
AWAITABLE_TYPED = "awaitable-typed"
SAME_TYPED = "same-typed"
#: A sync wrapper every path of which returns the call of the function it wraps (`return func(*args,
#: params=params, **kwargs)` after reshaping the arguments): calling it gives what the function gives.
FORWARDING = "forwarding"
LOOP_DEPENDENT = "loop-dependent"
#: Returns an `async def` wrapper that awaits the function when `iscoroutinefunction` says it is one, and
#: another wrapper otherwise (`return async_wrapper if inspect.iscoroutinefunction(func) else sync_wrapper`).
NATIVE_DISPATCH = "native-dispatch"
#: The decorator is another one, named as written in `Effect.name`: `def d(f): return other(f)`.
DELEGATE = "delegate"
#: The decorator is what calling another factory returns: `def retry(times): return other(times)`.
DELEGATE_CALLED = "delegate-called"
#: Curated decorators (matched by their absolute name, never read).
ASYNCIO_COROUTINE = "asyncio-coroutine"
TYPES_COROUTINE = "types-coroutine"
TORNADO_COROUTINE = "tornado-coroutine"

#: Decorators known by absolute name: what `@name` does, and what `@name(...)` does.
CURATED: dict[str, tuple[str | None, str | None]] = {
    "asyncio.coroutine": (ASYNCIO_COROUTINE, None),
    "asyncio.coroutines.coroutine": (ASYNCIO_COROUTINE, None),
    "types.coroutine": (TYPES_COROUTINE, None),
    "tornado.gen.coroutine": (TORNADO_COROUTINE, None),
    # Prefect's client methods (`Block.save`, `Block.load`...): the coroutine when an event loop runs in the
    # thread, the result otherwise. Its wrapper decides through run contexts and settings as well, more than
    # `_loop_dependent` follows, so it is known by name.
    "prefect.utilities.asyncutils.sync_compatible": (LOOP_DEPENDENT, None),
    "prefect.utilities.asyncio.sync_compatible": (LOOP_DEPENDENT, None),  # its module before Prefect 2.0
    "functools.wraps": (None, IDENTITY),
}
#: Keywords by which a caller chooses whether a call runs at once or hands back a coroutine (Prefect's
#: `_sync=True`, taken by `@sync_compatible` and `@async_dispatch` wrappers): such a call is never judged.
MODE_KEYWORDS = frozenset({"_sync"})
#: Calls that tell whether an event loop (or any async library) is running in this thread.
LOOP_CHECKS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.events.get_running_loop",
        "asyncio._get_running_loop",
        "asyncio.events._get_running_loop",
        "sniffio.current_async_library",
    }
)
#: Of those, the ones that return None rather than raise when nothing runs (usable in an `if`).
_OPTIONAL_LOOP_CHECKS = ("_get_running_loop",)
_LOOP_ERRORS = frozenset({"RuntimeError", "Exception", "BaseException", "AsyncLibraryNotFoundError"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class Decorator:
    """A decorator as written above a function: `@name` or `@name(...)`."""

    #: Dotted as written; None for any other expression (a subscript, a lambda, a call of a call).
    name: str | None
    called: bool = False

    @property
    def shown(self) -> str:
        return f"`@{self.name}(...)`" if self.called else f"`@{self.name}`"


def written_decorators(decorators: Sequence[ast.expr], keeping: frozenset[str]) -> tuple[Decorator, ...]:
    """The decorators of a function, outermost first, leaving out those known to keep it (`staticmethod`...)."""
    found: list[Decorator] = []
    for decorator in decorators:
        called = isinstance(decorator, ast.Call)
        name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name is not None and name.rpartition(".")[2] in keeping:
            continue
        found.append(Decorator(name, called))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Effect:
    kind: str
    #: The line of the `def` that makes it so (the decorator's, or its wrapper's).
    line: int
    #: LOOP_DEPENDENT: the loop check as written (checked against `LOOP_CHECKS` where the module's imports are
    #: known); DELEGATE and DELEGATE_CALLED: the other decorator, as written.
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DecoratorShape:
    """What a plain function does used as `@name` (`direct`) and as `@name(...)` (`called`); None: unknown."""

    direct: Effect | None = None
    called: Effect | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What calling a (decorated) function returns."""

    #: "coroutine", "awaitable" (a coroutine, task or future: its annotations say no more), "future" (Tornado's
    #: `gen.coroutine`: started at once), "generator" (a generator-based coroutine); or, nothing to await:
    #: "sync", "generator-function" (a plain generator), "asyncgen".
    returns: str
    #: `inspect.iscoroutinefunction` holds: an `async def`, or an `async def` wrapper of one.
    native: bool = False
    #: A coroutine only when called while an event loop runs; otherwise the decorator runs the work itself.
    only_in_async: bool = False
    #: Under `@asyncio.coroutine`, which Python 3.11 removed.
    legacy_asyncio: bool = False

    @property
    def awaitable(self) -> bool:
        return self.returns in AWAITABLE_RESULTS


AWAITABLE_RESULTS = frozenset({"coroutine", "awaitable", "future", "generator"})


def undecorated(kind: str) -> Outcome:
    """What calling the bare `def` returns, from its shape's kind ("async", "sync", "generator", "asyncgen")."""
    if kind == "async":
        return Outcome("coroutine", native=True)
    if kind == "generator":
        return Outcome("generator-function")
    return Outcome(kind)


def apply(outcome: Outcome, kind: str) -> Outcome | None:
    """What a decorator of effect `kind` makes of a function whose calls return `outcome`; None: unknown."""
    if kind == IDENTITY:
        return outcome
    if kind == AWAITING:
        # The `async def` wrapper is what is called now: a coroutine whatever awaitable the function returned.
        return Outcome("coroutine", native=True, legacy_asyncio=outcome.legacy_asyncio) if outcome.awaitable else None
    if kind == COROUTINE_TYPED:
        return replace(outcome, native=False) if outcome.returns == "coroutine" else None
    if kind == AWAITABLE_TYPED:
        return replace(outcome, returns="awaitable", native=False) if outcome.awaitable else None
    if kind == SAME_TYPED:
        return replace(outcome, native=False)
    if kind == LOOP_DEPENDENT:
        return replace(outcome, native=False, only_in_async=True) if outcome.returns == "coroutine" else None
    if kind == FORWARDING:
        return replace(outcome, native=False)
    if kind == NATIVE_DISPATCH:
        # Only what `iscoroutinefunction` holds for takes the `async def` branch; the other branch is not read.
        return Outcome("coroutine", native=True, legacy_asyncio=outcome.legacy_asyncio) if outcome.native else None
    if kind == ASYNCIO_COROUTINE:
        # Up to Python 3.10: an `async def` is returned as it is; any other function becomes a generator-based
        # coroutine whose body runs only when iterated (even a plain `def`: it is wrapped in a generator).
        if outcome.returns == "coroutine" and outcome.native:
            return replace(outcome, native=False, legacy_asyncio=True)
        if outcome.returns in {"sync", "generator-function"}:
            return Outcome("generator", legacy_asyncio=True)
        return None
    if kind == TYPES_COROUTINE:
        # A coroutine function is returned as it is; a generator function gets the flag that makes its
        # generators awaitable; a plain function is called at once (its body runs): unknown.
        if outcome.returns == "coroutine" and outcome.native:
            return outcome
        if outcome.returns == "generator-function":
            return Outcome("generator", legacy_asyncio=outcome.legacy_asyncio)
        return None
    if kind == TORNADO_COROUTINE:
        # A generator runs up to its first `yield` at once and the call returns a Future; a plain function runs
        # whole, and an `async def` gives a Future of its (never run) coroutine: neither is a missing `await`.
        return Outcome("future") if outcome.returns == "generator-function" else None
    return None


# -- reading a decorator's source ---------------------------------------------------------------------------


def dotted(expr: ast.expr) -> str | None:
    """`a.b.c` for an `ast` Name/Attribute chain; None for anything else."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def _last(expr: ast.expr) -> str | None:
    name = dotted(expr)
    return name.rpartition(".")[2] if name is not None else None


def own_nodes(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a function's body that run when it runs: a nested function, lambda or class is there (its
    definition runs), but not its body."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            stack.extend(node.decorator_list if not isinstance(node, ast.Lambda) else ())
            continue
        stack.extend(ast.iter_child_nodes(node))


def callable_typevars(statements: Sequence[ast.stmt]) -> frozenset[str]:
    """Module-level `F = TypeVar("F", bound=Callable[...])`: names whose `F -> F` keeps a function's type."""
    found: set[str] = set()
    for statement in statements:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target, value = statement.targets[0], statement.value
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Call) and _last(value.func) == "TypeVar"):
            continue
        for keyword in value.keywords:
            if keyword.arg == "bound" and _outer(_annotation(keyword.value)) == "Callable":
                found.add(target.id)
    return frozenset(found)


def read_decorator(node: ast.FunctionDef | ast.AsyncFunctionDef, typevars: frozenset[str]) -> DecoratorShape | None:
    """What `node` does as a decorator, or None when it is no decorator asynclint can read (most functions)."""
    if not isinstance(node, ast.FunctionDef) or not node.body:
        return None
    last = node.body[-1]
    returned = last.value if isinstance(last, ast.Return) else None
    direct: Effect | None = None
    called: Effect | None = None
    if returned is not None and isinstance(returned, (ast.Name, ast.Call, ast.Attribute, ast.IfExp)):
        direct = _direct(node, returned)
        called = _factory(node, returned, typevars)
    if node.returns is not None:
        # What the body shows beats the annotations; the annotations beat a decorator it hands the work to.
        if direct is None or direct.kind == DELEGATE:
            direct = _typed(node, typevars) or direct
        if called is None or called.kind in {DELEGATE, DELEGATE_CALLED}:
            called = _typed_factory(node, typevars) or called
    if direct is None and called is None:
        return None
    return DecoratorShape(direct, called)


def _params(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg] | None:
    """The positional parameters, when the function can be called with one argument (as a decorator is)."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    if len(positional) - len(args.defaults) > 1:
        return None
    if any(default is None for default in args.kw_defaults):
        return None  # a keyword-only parameter without a default
    return positional


def _body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The statements, without a docstring."""
    body = node.body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return body[1:]
    return body


def _stores(nodes: Sequence[ast.AST], name: str) -> bool:
    """`name` is bound among `nodes` (assigned, a loop or `with` target, deleted, imported)."""
    for node in nodes:
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (alias.asname or alias.name.partition(".")[0]) == name for alias in node.names
        ):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
    return False


def _nested(node: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The one function named `name` defined directly in `node`'s body (not under a condition)."""
    defined = [s for s in node.body if isinstance(s, _FUNCTIONS) and s.name == name]
    if len(defined) != 1:
        return None
    # Bound nowhere else: not reassigned, not defined again in a branch.
    for child in own_nodes(node.body):
        if isinstance(child, _FUNCTIONS) and child.name == name and child is not defined[0]:
            return None
        if isinstance(child, ast.ClassDef) and child.name == name:
            return None
    own = list(own_nodes(node.body))
    if _stores(own, name):
        return None
    return defined[0]


def _returns_only(node: ast.FunctionDef | ast.AsyncFunctionDef, own: Sequence[ast.AST], name: str) -> bool:
    """Every `return` of `node` returns the name `name`, it never yields, and `name` is never rebound."""
    for child in own:
        if isinstance(child, ast.Return):
            if not (isinstance(child.value, ast.Name) and child.value.id == name):
                return False
        elif isinstance(child, (ast.Yield, ast.YieldFrom, ast.Await)):
            return False
    return not _stores(own, name)


def _direct(node: ast.FunctionDef, returned: ast.expr) -> Effect | None:
    """What `@node` does to the function below it."""
    params = _params(node)
    if not params:
        return None
    param = params[0].arg
    dispatched = _dispatched(node, param)
    if dispatched is not None:
        return _native_dispatch(node, param, dispatched)
    if isinstance(returned, ast.Name):
        if returned.id == param:
            own = list(own_nodes(node.body))
            if not _returns_only(node, own, param) or _touches_code(own):
                return None
            return Effect(IDENTITY, node.lineno)
        wrapper = _nested(node, returned.id)  # cheap when there is none: most functions end here
        if wrapper is None:
            return None
        own = list(own_nodes(node.body))
        if not _returns_only(node, own, returned.id) or _stores(own, param):
            return None
        if not _wraps_only(wrapper, param) or param in _argument_names(wrapper):
            return None
        wrapper_own = list(own_nodes(wrapper.body))
        if _stores(wrapper_own, param):
            return None
        if isinstance(wrapper, ast.AsyncFunctionDef):
            return Effect(AWAITING, wrapper.lineno) if _awaits_call_of(wrapper_own, param) else None
        check = _loop_dependent(wrapper, param)
        if check is not None:
            return Effect(LOOP_DEPENDENT, wrapper.lineno, check)
        return Effect(FORWARDING, wrapper.lineno) if _forwards(wrapper, wrapper_own, param) else None
    if isinstance(returned, ast.Call) and len(_body(node)) == 1:
        # `def d(f): return other(f)`: `@d` is `@other`.
        other = dotted(returned.func)
        args = returned.args
        if other is None or returned.keywords or len(args) != 1:
            return None
        if not (isinstance(args[0], ast.Name) and args[0].id == param):
            return None
        return Effect(DELEGATE, node.lineno, other)
    return None


#: What tells a coroutine function from a plain one (`inspect.iscoroutinefunction`, `asyncio.iscoroutinefunction`).
_COROUTINE_FUNCTION_CHECKS = frozenset({"iscoroutinefunction", "_is_coroutine_function", "is_coroutine_function"})


def _checks_native(test: ast.expr, param: str) -> bool | None:
    """True for `iscoroutinefunction(f)`, False for `not iscoroutinefunction(f)`, None for any other test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _checks_native(test.operand, param)
        return None if inner is None else not inner
    if (
        isinstance(test, ast.Call)
        and _last(test.func) in _COROUTINE_FUNCTION_CHECKS
        and len(test.args) == 1
        and not test.keywords
        and isinstance(test.args[0], ast.Name)
        and test.args[0].id == param
    ):
        return True
    return None


def _dispatched(node: ast.FunctionDef, param: str) -> tuple[str, str, list[ast.stmt]] | None:
    """The wrappers a decorator returns for a coroutine function and for another function, by name, when it
    ends choosing between them (`return a if iscoroutinefunction(f) else s`, or `if iscoroutinefunction(f):
    ...; return a` then `return s`), with the statements where the first may be defined."""
    body = _body(node)
    last = body[-1] if body else None
    if not isinstance(last, ast.Return):
        return None
    chosen: tuple[ast.expr | None, ast.expr | None] | None = None
    where = body
    if isinstance(last.value, ast.IfExp):
        native = _checks_native(last.value.test, param)
        if native is not None:
            chosen = (last.value.body, last.value.orelse) if native else (last.value.orelse, last.value.body)
    elif len(body) > 1 and isinstance(body[-2], ast.If) and not body[-2].orelse:
        branch = body[-2]
        inner = branch.body[-1]
        native = _checks_native(branch.test, param)
        if native is not None and isinstance(inner, ast.Return):
            chosen = (inner.value, last.value) if native else (last.value, inner.value)
            where = [*body[:-2], *branch.body] if native else body[:-2]
    if chosen is None or not isinstance(chosen[0], ast.Name) or not isinstance(chosen[1], ast.Name):
        return None
    names = (chosen[0].id, chosen[1].id)
    return (*names, where) if names[0] != names[1] else None


def _native_dispatch(node: ast.FunctionDef, param: str, dispatched: tuple[str, str, list[ast.stmt]]) -> Effect | None:
    """`NATIVE_DISPATCH` when the wrapper for coroutine functions is an `async def` defined in the decorator
    that awaits the call of the function, and the decorator returns nothing but its two wrappers."""
    names = dispatched[:2]
    own = list(own_nodes(node.body))
    for child in own:
        if isinstance(child, ast.Return):
            value = child.value
            choices = (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,)
            if not all(isinstance(choice, ast.Name) and choice.id in names for choice in choices):
                return None
        if isinstance(child, (ast.Yield, ast.YieldFrom, ast.Await)):
            return None
    if _stores(own, param):
        return None
    defined = [
        statement for statement in dispatched[2] if isinstance(statement, _FUNCTIONS) and statement.name == names[0]
    ]
    wrapper = defined[0] if len(defined) == 1 else None
    if sum(isinstance(child, _FUNCTIONS) and child.name == names[0] for child in own) != 1:
        return None  # defined once, in the branch that returns it
    if not isinstance(wrapper, ast.AsyncFunctionDef) or not _wraps_only(wrapper, param):
        return None
    if param in _argument_names(wrapper):
        return None
    wrapper_own = list(own_nodes(wrapper.body))
    if _stores(wrapper_own, param) or not _awaits_call_of(wrapper_own, param):
        return None
    return Effect(NATIVE_DISPATCH, wrapper.lineno)


def _factory(node: ast.FunctionDef, returned: ast.expr, typevars: frozenset[str]) -> Effect | None:
    """What `@node(...)` does: the decorator the call returns."""
    arg_names = _argument_names(node)
    if isinstance(returned, ast.Name) and returned.id not in arg_names:
        inner = _nested(node, returned.id)
        if inner is None:
            if len(_body(node)) == 1:
                return Effect(DELEGATE, node.lineno, returned.id)  # `def retry(times): return _retry`
            return None
        own = list(own_nodes(node.body))
        if not isinstance(inner, ast.FunctionDef) or inner.decorator_list or not _returns_only(node, own, inner.name):
            return None
        inner_last = inner.body[-1]
        if not isinstance(inner_last, ast.Return) or inner_last.value is None:
            return _typed(inner, typevars)
        found = _direct(inner, inner_last.value)
        return found or _typed(inner, typevars)
    if len(_body(node)) == 1:
        written = dotted(returned)
        if written is not None and written.partition(".")[0] not in arg_names:
            return Effect(DELEGATE, node.lineno, written)
        if isinstance(returned, ast.Call) and not any(isinstance(a, ast.Starred) for a in returned.args):
            other = dotted(returned.func)
            if other is not None and other.partition(".")[0] not in arg_names:
                return Effect(DELEGATE_CALLED, node.lineno, other)
    return None


def _argument_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    for star in (args.vararg, args.kwarg):
        if star is not None:
            names.add(star.arg)
    return names


def _touches_code(own: Sequence[ast.AST]) -> bool:
    """`f.__code__ = ...` (or any `__code__` use) changes what calling the function does."""
    return any(isinstance(child, ast.Attribute) and child.attr == "__code__" for child in own)


def _wraps_only(wrapper: ast.FunctionDef | ast.AsyncFunctionDef, param: str) -> bool:
    """The wrapper is decorated with nothing, or with `functools.wraps(<the decorated function>)`."""
    for decorator in wrapper.decorator_list:
        if not (isinstance(decorator, ast.Call) and _last(decorator.func) == "wraps"):
            return False
        if not decorator.args or not (isinstance(decorator.args[0], ast.Name) and decorator.args[0].id == param):
            return False
    return True


def _is_call_of(expr: ast.expr | None, param: str) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == param


def _awaits_call_of(own: Sequence[ast.AST], param: str) -> bool:
    """`await f(...)` in the wrapper's own body, and no `yield` (which would make it an async generator)."""
    awaits = False
    for child in own:
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(child, ast.Await) and _is_call_of(child.value, param):
            awaits = True
    return awaits


def _forwards(wrapper: ast.FunctionDef | ast.AsyncFunctionDef, own: Sequence[ast.AST], param: str) -> bool:
    """A sync wrapper whose every `return` returns a call of the wrapped function, which it ends with, and
    which calls it nowhere else (`params = ...; return func(*args, params=params, **kwargs)`)."""
    body = _body(wrapper)
    if not body or not isinstance(body[-1], ast.Return) or not _is_call_of(body[-1].value, param):
        return False
    calls = 0
    for child in own:
        if isinstance(child, (ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if isinstance(child, ast.Return) and not _is_call_of(child.value, param):
            return False
        if isinstance(child, ast.expr) and _is_call_of(child, param):
            calls += 1
    returns = sum(isinstance(child, ast.Return) for child in own)
    return calls == returns


def _loop_dependent(wrapper: ast.FunctionDef | ast.AsyncFunctionDef, param: str) -> str | None:
    """The loop check of a sync wrapper returning `f(...)` itself when an event loop runs, as written.

    Two shapes, each ending the sync path before the async one:

        try:                                   loop = asyncio._get_running_loop()
            asyncio.get_running_loop()         if loop is None:
        except RuntimeError:                       return asyncio.run(f(*args, **kwargs))
            return asyncio.run(f(...))         return f(*args, **kwargs)
        return f(*args, **kwargs)
    """
    body = _body(wrapper)
    own = list(own_nodes(body))
    if any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in own):
        return None
    if len(body) >= 2 and isinstance(body[0], ast.Try):
        statement = body[0]
        check = _checked_call(statement.body)
        if check is None or statement.finalbody or len(statement.handlers) != 1:
            return None
        handler = statement.handlers[0]
        if handler.type is not None and _last(handler.type) not in _LOOP_ERRORS:
            return None
        if not _ends(handler.body):
            return None
        rest = [*statement.orelse, *body[1:]]
        return check if _returns_call(rest[0] if rest else None, param) else None
    assigned: str | None = None
    check_written: str | None = None
    if body and isinstance(body[0], ast.Assign) and len(body[0].targets) == 1:
        target, value = body[0].targets[0], body[0].value
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and not value.args:
            check_written = dotted(value.func)
            if check_written is not None and check_written.rpartition(".")[2] in _OPTIONAL_LOOP_CHECKS:
                assigned = target.id
                body = body[1:]
    if not body or not isinstance(body[0], ast.If):
        return None
    branch = body[0]
    running = _running_test(branch.test, assigned)
    if running is None:
        return None
    positive, written = running
    if assigned is not None:
        written = check_written
    if written is None:
        return None
    if positive:
        return written if len(branch.body) == 1 and _returns_call(branch.body[0], param) else None
    if not _ends(branch.body):
        return None
    rest = [*branch.orelse, *body[1:]]
    return written if rest and _returns_call(rest[0], param) else None


#: What asyncio hands back to await, made from its arguments: returned by a function when a loop runs, the
#: function is meant to be awaited there.
_AWAITABLE_MAKERS = frozenset({"wrap_future", "ensure_future", "gather", "wait", "wait_for", "shield", "sleep"})


@dataclass(frozen=True, slots=True)
class LoopDependent:
    """A plain function that hands back an awaitable made by asyncio when an event loop is running, and says so
    with an explicit check (`read_loop_dependent`)."""

    #: The line of the `if` that checks.
    line: int
    #: The check as written (`asyncio._get_running_loop`, or the project's own `get_running_loop`).
    check: str
    #: What it returns when a loop runs, as written (`asyncio.wrap_future`).
    returned: str


def read_loop_dependent(node: ast.FunctionDef | ast.AsyncFunctionDef) -> LoopDependent | None:
    """For a plain function that, among its own statements, returns an awaitable when a loop runs:

        future = self._submit(item)
        if get_running_loop() is not None:
            return asyncio.wrap_future(future)
        return future.result()

    Called from an `async def`, it returns that awaitable; dropping it leaves the work unwaited for. The check's
    meaning is verified where its name resolves (`CoroutineIndex`); None for any other function.
    """
    if not isinstance(node, ast.FunctionDef) or not node.body:
        return None
    body = _body(node)
    assigned: dict[str, str] = {}
    for index, statement in enumerate(body):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            if isinstance(target, ast.Name) and isinstance(value, ast.Call) and not value.args and not value.keywords:
                written = dotted(value.func)
                if written is not None:
                    assigned[target.id] = written  # `loop = asyncio._get_running_loop()`
            continue
        if not isinstance(statement, ast.If):
            continue
        running = _loop_test(statement.test, assigned)
        if running is None:
            return None  # the first condition decides, or nothing here is known
        positive, check = running
        branch = statement.body if positive else [*statement.orelse, *body[index + 1 :]]
        if not positive and not _ends(statement.body):
            return None
        returned = _made_awaitable(branch[0].value) if branch and isinstance(branch[0], ast.Return) else None
        return LoopDependent(statement.lineno, check, returned) if returned is not None else None
    return None


def _loop_test(test: ast.expr, assigned: Mapping[str, str]) -> tuple[bool, str] | None:
    """(whether the test holds when a loop runs, the check as written) for `check() is not None`, `not loop`..."""
    tested = _tested(test)
    if tested is None:
        return None
    positive, test = tested
    if isinstance(test, ast.Name) and test.id in assigned:
        return positive, assigned[test.id]
    if isinstance(test, ast.Call) and not test.args and not test.keywords:
        written = dotted(test.func)
        return (positive, written) if written is not None else None
    return None


def _made_awaitable(expr: ast.expr | None) -> str | None:
    """`asyncio.wrap_future` for `asyncio.wrap_future(...)` (either side of `a if c else b` agreeing on asyncio)."""
    if isinstance(expr, ast.IfExp):
        body, orelse = _made_awaitable(expr.body), _made_awaitable(expr.orelse)
        return body if body is not None and orelse is not None else None
    if not isinstance(expr, ast.Call):
        return None
    written = dotted(expr.func)
    if written is None or written.count(".") != 1 or written.rpartition(".")[2] not in _AWAITABLE_MAKERS:
        return None
    return written


def read_loop_getter(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The loop check a plain function without parameters returns the result of, as written: a project's own
    `get_running_loop()` whose body is `return asyncio._get_running_loop()`, or `asyncio.get_running_loop()`
    returned in a `try` whose `except RuntimeError` returns None."""
    if not isinstance(node, ast.FunctionDef) or not node.body or _params(node) != []:
        return None
    body = _body(node)
    if len(body) != 1:
        return None
    statement = body[0]
    if isinstance(statement, ast.Return):
        return _plain_call(statement.value)
    if not isinstance(statement, ast.Try) or statement.finalbody or statement.orelse or len(statement.handlers) != 1:
        return None
    handler = statement.handlers[0]
    if handler.type is None or _last(handler.type) not in _LOOP_ERRORS or len(handler.body) != 1:
        return None
    none = handler.body[0]
    if not (isinstance(none, ast.Return) and isinstance(none.value, ast.Constant) and none.value.value is None):
        return None
    if len(statement.body) != 1 or not isinstance(statement.body[0], ast.Return):
        return None
    return _plain_call(statement.body[0].value)


def _plain_call(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Call) and not expr.args and not expr.keywords:
        return dotted(expr.func)
    return None


def _checked_call(body: Sequence[ast.stmt]) -> str | None:
    """`asyncio.get_running_loop()` (or `x = ...`) as the only statement of a `try`."""
    if len(body) != 1:
        return None
    statement = body[0]
    value: ast.expr | None = None
    if isinstance(statement, (ast.Expr, ast.Assign)):
        plain = isinstance(statement, ast.Expr) or all(isinstance(target, ast.Name) for target in statement.targets)
        value = statement.value if plain else None
    if not isinstance(value, ast.Call) or value.args or value.keywords:
        return None
    return dotted(value.func)


def _tested(test: ast.expr) -> tuple[bool, ast.expr] | None:
    """(whether the condition holds when `x` is set, `x`) for `x`, `not x`, `x is not None`, `x is None`; None for
    any other comparison."""
    positive = True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        positive, test = False, test.operand
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        if not (isinstance(right, ast.Constant) and right.value is None):
            return None
        if isinstance(test.ops[0], ast.Is):
            positive = not positive
        elif not isinstance(test.ops[0], ast.IsNot):
            return None
        test = test.left
    return positive, test


def _running_test(test: ast.expr, assigned: str | None) -> tuple[bool, str | None] | None:
    """(whether the test holds when a loop runs, the check as written) for `check() is not None`, `not x`..."""
    tested = _tested(test)
    if tested is None:
        return None
    positive, test = tested
    if assigned is not None:
        return (positive, None) if isinstance(test, ast.Name) and test.id == assigned else None
    if isinstance(test, ast.Call) and not test.args and not test.keywords:
        written = dotted(test.func)
        if written is not None and written.rpartition(".")[2] in _OPTIONAL_LOOP_CHECKS:
            return positive, written
    return None


def _ends(body: Sequence[ast.stmt]) -> bool:
    """The block never falls through: it ends with `return` or `raise`."""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def _returns_call(statement: ast.stmt | None, param: str) -> bool:
    return isinstance(statement, ast.Return) and _is_call_of(statement.value, param)


# -- annotations --------------------------------------------------------------------------------------------


def _annotation(expr: ast.expr | None) -> ast.expr | None:
    """An annotation, with a string annotation parsed."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            return ast.parse(expr.value, mode="eval").body
        except SyntaxError:
            return None
    return expr


def _outer(expr: ast.expr | None) -> str | None:
    """`Callable` for `typing.Callable[...]` or a bare `Callable`."""
    if expr is None:
        return None
    return _last(expr.value if isinstance(expr, ast.Subscript) else expr)


def _callable_result(expr: ast.expr | None) -> str | None:
    """For `Callable[P, Coroutine[...]]` / `Callable[..., Awaitable[T]]`: "Coroutine" / "Awaitable"."""
    expr = _annotation(expr)
    if not (isinstance(expr, ast.Subscript) and _outer(expr) == "Callable"):
        return None
    inner = expr.slice
    if not (isinstance(inner, ast.Tuple) and len(inner.elts) == 2):
        return None
    result = _outer(_annotation(inner.elts[1]))
    return result if result in {"Coroutine", "Awaitable"} else None


def _typed_effect(given: ast.expr | None, returned: ast.expr | None, typevars: frozenset[str]) -> str | None:
    given, returned = _annotation(given), _annotation(returned)
    if isinstance(given, ast.Name) and isinstance(returned, ast.Name):
        return SAME_TYPED if given.id == returned.id and given.id in typevars else None
    if _callable_result(given) is None:
        return None
    result = _callable_result(returned)
    if result == "Coroutine":
        return COROUTINE_TYPED
    return AWAITABLE_TYPED if result == "Awaitable" else None


def _typed(node: ast.FunctionDef | ast.AsyncFunctionDef, typevars: frozenset[str]) -> Effect | None:
    """`def d(f: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]`, `def d(f: F) -> F`."""
    if not isinstance(node, ast.FunctionDef):
        return None
    params = _params(node)
    if not params:
        return None
    kind = _typed_effect(params[0].annotation, node.returns, typevars)
    return Effect(kind, node.lineno) if kind is not None else None


def _typed_factory(node: ast.FunctionDef, typevars: frozenset[str]) -> Effect | None:
    """`def retry(times: int) -> Callable[[F], F]`: the call returns a decorator typed as above."""
    returns = _annotation(node.returns)
    if not (isinstance(returns, ast.Subscript) and _outer(returns) == "Callable"):
        return None
    inner = returns.slice
    if not (isinstance(inner, ast.Tuple) and len(inner.elts) == 2 and isinstance(inner.elts[0], ast.List)):
        return None
    arguments = inner.elts[0].elts
    if len(arguments) != 1:
        return None
    kind = _typed_effect(arguments[0], inner.elts[1], typevars)
    return Effect(kind, node.lineno) if kind is not None else None
