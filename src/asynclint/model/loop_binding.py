"""What ties an async fixture to the event loop it runs in, as its own body shows it.

A fixture that runs in one loop and is used by a test running in another is harmless unless what it hands out,
or what it leaves running, belongs to its loop: only one loop runs at a time, so the fixture's loop is idle
while the test runs. Read from the fixture's own body (nested functions and classes are not its body):

- it hands out its loop (`asyncio.get_running_loop()`), a future or a task of it (`loop.create_future()`,
  `asyncio.Future()`, `asyncio.create_task(...)`, `asyncio.ensure_future(...)`, `loop.run_in_executor(...)`),
  or streams opened in it (`await asyncio.open_connection(...)`), directly, through a name, or inside a
  tuple, list, set or dict;
- it starts a task it does not await before handing its value out, or a server (`asyncio.start_server`).

An object that only has coroutine methods says nothing; nor do asyncio's queues, locks and events: they bind to
the loop of their first wait (Python 3.10 and later), so a test fails only when another test, in another loop,
waited on the same one before it: which tests wait on it is not in the fixture's body. Everything else (a
library's client, a class of the project) is left alone: asynclint cannot know.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import libcst as cst

from asynclint.model.names import dotted_name
from asynclint.walk import code_children, descendants

#: What a fixture's body shows: (kind, the call as written). Kinds: "loop", "future", "task", "streams"
#: (the value handed out); "running-task", "server" (work it leaves in its loop).
LoopBinding = tuple[str, str]

_LOOP_GETTERS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.events.get_running_loop",
        "asyncio.events.get_event_loop",
    }
)
_FUTURES = frozenset({"asyncio.Future", "asyncio.futures.Future"})
_TASKS = frozenset(
    {"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"}
)
_STREAMS = frozenset(
    {
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.streams.open_connection",
        "asyncio.streams.open_unix_connection",
    }
)
_SERVERS = frozenset(
    {
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.streams.start_server",
        "asyncio.streams.start_unix_server",
    }
)
#: Methods of a loop whose result belongs to it.
_LOOP_METHODS = {"create_future": "future", "run_in_executor": "future", "create_task": "task"}
_LOOP_SERVERS = frozenset({"create_server", "create_unix_server"})
_NESTED_SCOPES = frozenset({cst.FunctionDef, cst.Lambda, cst.ClassDef})


def _nested_scope(node: cst.CSTNode) -> bool:
    return type(node) in _NESTED_SCOPES


def _written(call: cst.Call) -> str:
    callee = dotted_name(call.func) or "..."
    return f"{callee}({'...' if call.args else ''})"


class _Body:
    """One walk of a fixture's body: its nodes in source order, the names it binds, its awaits."""

    def __init__(self, node: cst.FunctionDef, resolve: Callable[[str], str | None]) -> None:
        self.resolve = resolve
        self.parameters = {param.name.value for param in _parameters(node.params)}
        self.nodes = list(descendants(node.body, prune=_nested_scope, expand=code_children))
        #: name -> the expressions assigned to it (None for a binding that is not a plain assignment).
        self.bindings: dict[str, list[cst.BaseExpression | None]] = {}
        self.awaited: list[tuple[int, cst.Await]] = []
        self.handover = len(self.nodes)
        for index, child in enumerate(self.nodes):
            kind = type(child)
            if kind is cst.Assign:
                assert isinstance(child, cst.Assign)
                for assigned in child.targets:
                    self._bind(assigned.target, child.value)
            elif kind is cst.AnnAssign:
                assert isinstance(child, cst.AnnAssign)
                self._bind(child.target, child.value)
            elif kind in (cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr, cst.AsName):
                for bound in _binding_targets(child):
                    self._bind(bound, None)
            elif kind is cst.Await:
                assert isinstance(child, cst.Await)
                self.awaited.append((index, child))
            elif kind in (cst.Yield, cst.Return) and index < self.handover:
                self.handover = index

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.bindings.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [element.value for element in target.elements]
            if (
                isinstance(value, (cst.Tuple, cst.List))
                and len(value.elements) == len(elements)
                and not any(isinstance(item, cst.StarredElement) for item in (*target.elements, *value.elements))
            ):
                # `loop, name = asyncio.get_running_loop(), "x"`: each name holds its own element.
                for element, item in zip(elements, value.elements, strict=True):
                    self._bind(element, item.value)
                return
            # `reader, writer = await asyncio.open_connection(...)`: each name holds part of the value.
            for element in elements:
                self._bind(element, value)

    def canonical(self, expr: cst.BaseExpression) -> str | None:
        written = dotted_name(expr)
        head = written.partition(".")[0] if written is not None else None
        if written is None or head in self.bindings or head in self.parameters:
            return None  # a name the fixture binds itself is not the module's import
        return self.resolve(written)

    def kind(self, expr: cst.BaseExpression | None, depth: int = 0) -> LoopBinding | None:
        """What loop-bound thing `expr` evaluates to, if the body shows it."""
        if expr is None or depth > 8:
            return None
        if isinstance(expr, cst.Await):
            inner = expr.expression
            if isinstance(inner, cst.Call):
                callee = self.canonical(inner.func)
                if callee in _STREAMS:
                    return "streams", _written(inner)
            return None  # awaiting a future or a task gives its result, not the future
        if isinstance(expr, cst.Call):
            callee = self.canonical(expr.func)
            if callee in _LOOP_GETTERS:
                return "loop", _written(expr)
            if callee in _FUTURES:
                return "future", _written(expr)
            if callee in _TASKS:
                return "task", _written(expr)
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in _LOOP_METHODS:
                receiver = self.kind(func.value, depth + 1)
                if receiver is not None and receiver[0] == "loop":
                    return _LOOP_METHODS[func.attr.value], _written(expr)
            return None
        if isinstance(expr, cst.Name):
            values = self.bindings.get(expr.value)
            if not values or expr.value in self.parameters:
                return None
            kinds = [self.kind(value, depth + 1) for value in values]
            first = kinds[0]
            if first is None or any(other is None or other[0] != first[0] for other in kinds):
                return None  # bound to something else too
            return first
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            for element in expr.elements:
                found = self.kind(element.value, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(expr, cst.Dict):
            for item in expr.elements:
                if isinstance(item, cst.DictElement):
                    found = self.kind(item.value, depth + 1)
                    if found is not None:
                        return found
            return None
        return None

    def handed_out(self) -> Iterator[cst.BaseExpression]:
        for child in self.nodes:
            if type(child) in (cst.Return, cst.Yield):
                value = child.value  # type: ignore[attr-defined]
                if isinstance(value, cst.BaseExpression):
                    yield value

    def _awaited_before_handover(self, found: Callable[[cst.CSTNode], bool]) -> bool:
        """Whether an `await` before the value is handed out holds a node `found` accepts."""
        for index, node in self.awaited:
            if index >= self.handover:
                break
            if any(found(inner) for inner in descendants(node, prune=_nested_scope, expand=code_children)):
                return True
        return False

    def started(self) -> LoopBinding | None:
        """A task or a server the fixture starts in its loop and leaves there, before handing its value out."""
        for child in self.nodes[: self.handover]:
            if type(child) is cst.Await:
                assert isinstance(child, cst.Await)
                call = child.expression
                if not isinstance(call, cst.Call):
                    continue
                callee = self.canonical(call.func)
                func = call.func
                loop_method = (
                    isinstance(func, cst.Attribute)
                    and func.attr.value in _LOOP_SERVERS
                    and (self.kind(func.value) or ("",))[0] == "loop"
                )
                if callee in _SERVERS or loop_method:
                    return "server", _written(call)
            elif type(child) is cst.Call:
                assert isinstance(child, cst.Call)
                found = self.kind(child)
                if found is None or found[0] != "task" or self._awaited_call(child):
                    continue
                return "running-task", found[1]
        return None

    def _awaited_call(self, call: cst.Call) -> bool:
        """Whether the task this call starts is awaited before the handover: the call itself
        (`await asyncio.gather(asyncio.create_task(...))`), or the name it is assigned to (`await task`)."""
        if self._awaited_before_handover(lambda inner: inner is call):
            return True
        for name, values in self.bindings.items():
            if any(value is call for value in values):
                return self._awaited_before_handover(functools.partial(_is_name, name=name))
        return False


def _parameters(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    if isinstance(params.star_kwarg, cst.Param):
        yield params.star_kwarg


def _binding_targets(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    if isinstance(node, (cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
        yield node.target
    elif isinstance(node, cst.AsName) and isinstance(node.name, cst.BaseExpression):
        yield node.name


def _is_name(node: cst.CSTNode, *, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def loop_binding(node: cst.FunctionDef, resolve: Callable[[str], str | None]) -> LoopBinding | None:
    """What ties an async fixture to its loop, or None when its body shows nothing that does.

    `resolve` gives the canonical dotted name of a name written in the module (`aio.sleep` ->
    `asyncio.sleep` after `import asyncio as aio`).
    """
    body = _Body(node, resolve)
    for value in body.handed_out():
        found = body.kind(value)
        if found is not None:
            return found
    return body.started()
