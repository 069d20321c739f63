"""Where a coroutine is created and never awaited, and other misuses of awaitables, in one file: the judge.

For every `async def` (test, fixture or helper) and every sync test or fixture, the resolver
(`analysis.resolver`) says which calls of the function's own body surely return a coroutine, and how that is
known. Each such call is judged here by how its result is used: awaited or passed on (fine), or dropped,
tested for truth, compared, subscripted, iterated, returned from a fixture, passed where a class is asked
for... (a mistake). A method call the resolver cannot tell is judged by the file's other calls of the same
method (awaited elsewhere). When the callee or the use is not certain, nothing is reported: the rules built on
this (AIO201-AIO205) must not guess.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import libcst as cst

from asynclint.analysis.resolver import (
    MADE,
    Callee,
    FileResolver,
    FixtureTypes,
    LocalBinding,
    Scope,
    argument_place,
)
from asynclint.analysis.syntax import (
    all_names,
    body_statements,
    is_load,
    target_names,
)
from asynclint.model.collection import FileModel, TestCaseKind
from asynclint.model.coroutines import (
    CoroutineIndex,
    Instance,
    KnownClass,
)
from asynclint.model.facts import DecoratorKind, Function, ImportTable
from asynclint.model.names import dotted_name

#: Attributes of a coroutine object that are fine to use without awaiting it.
COROUTINE_ATTRIBUTES = frozenset({"close", "send", "throw", "__await__", "__class__", "__name__", "__qualname__"})


#: Builtins that consume a value: a coroutine passed to them is printed, measured or converted, never run.
CONSUMING_BUILTINS = frozenset(
    {
        "print",
        "str",
        "repr",
        "len",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
        "sorted",
        "int",
        "float",
        "sum",
        "min",
        "max",
        "any",
        "all",
        "iter",
        "next",
        "enumerate",
        "callable",
        "hasattr",
    }
)
#: `isinstance(value, Cls)` looks at the coroutine object, unless the class is one a coroutine is.
_COROUTINE_CLASSES = frozenset({"Coroutine", "Awaitable", "CoroutineType", "Generator", "object"})


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


RAISES_CONTEXTS = frozenset({"pytest.raises"})


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


#: A `patch` decorator as written (`@patch(...)`, `@mock.patch.object(...)`, `@patch.multiple(...)`).
_PATCHERS = re.compile(r"(?:^|\.)patch(?:\.(?:object|multiple|dict))?(?:\(|$)")


TASK_SPAWNERS = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task"})


class Use(enum.Enum):
    """How a coroutine object is used, and what happens at runtime."""

    DROPPED = ("is never awaited", "the coroutine never runs")
    TRUTH = ("is tested for truth", "a coroutine object is always true, so this check cannot fail")
    COMPARED = ("is compared", "the comparison sees a coroutine object, not the result")
    SUBSCRIPTED = ("is subscripted", "this raises `TypeError` ('coroutine' object is not subscriptable)")
    ATTRIBUTE = ("has an attribute read", "this raises `AttributeError` on the coroutine object")
    ITERATED = ("is iterated", "this raises `TypeError` ('coroutine' object is not iterable)")
    ASYNC_ITERATED = (
        "is iterated with `async for`",
        "this raises `TypeError` ('async for' requires an object with __aiter__ method, got coroutine)",
    )
    UNPACKED = ("is unpacked", "this raises `TypeError` (cannot unpack non-iterable coroutine object)")
    CONTEXT = ("is used as a context manager", "this raises `TypeError` on the coroutine object")
    RAISES = (
        "is the whole body of a `pytest.raises` block",
        "nothing runs, so nothing raises and the test fails with DID NOT RAISE",
    )
    RETURNED = ("is the fixture's value", "the test receives a coroutine object instead of the result")
    #: `return fetch()` in an `async def`: awaiting the function hands out the coroutine object.
    FORWARDED = (
        "is returned from an `async def` without `await`",
        "awaiting the function gives its caller this coroutine object instead of the result, and it runs only if "
        "the caller awaits it a second time",
    )
    CONSUMED = ("is passed to a builtin", "it only sees a coroutine object")
    FORMATTED = ("is formatted into a string", "the string shows the coroutine object, not the result")
    OPERAND = ("is an operand of an arithmetic operator", "this raises `TypeError` on the coroutine object")
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
    Use.ASYNC_ITERATED: "`async for` gets the awaitable, not its result",
    Use.UNPACKED: "this unpacks the awaitable, not its result",
    Use.CONTEXT: "this enters the awaitable, not its result",
    Use.RAISES: "what it raises is only raised by `await`, so the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives the awaitable instead of its result",
    Use.FORWARDED: "awaiting the function gives its caller the awaitable instead of its result",
    Use.CONSUMED: "it only sees the awaitable, not its result",
    Use.FORMATTED: "the string shows the awaitable, not its result",
    Use.OPERAND: "this operates on the awaitable, not its result",
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
    Use.ASYNC_ITERATED: "this raises `TypeError`: `async for` needs `__aiter__`, which the Future has not",
    Use.UNPACKED: None,
    Use.CONTEXT: "this raises `TypeError`: the Future is no context manager",
    Use.RAISES: "what it raises is set on the Future, not raised, so the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives the Future instead of its result",
    Use.FORWARDED: "awaiting the function gives its caller the Future instead of its result",
    Use.CONSUMED: "it only sees the Future, not its result",
    Use.FORMATTED: "the string shows the Future, not its result",
    Use.OPERAND: "this raises `TypeError` on the Future instead of using its result",
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
    Use.ASYNC_ITERATED: "this raises `TypeError`: `async for` needs `__aiter__`, which a generator has not",
    Use.UNPACKED: None,
    Use.CONTEXT: "this raises `TypeError`: a generator-based coroutine is no context manager",
    Use.RAISES: "nothing runs, so nothing raises and the test fails with DID NOT RAISE",
    Use.RETURNED: "the test receives a generator-based coroutine instead of the result",
    Use.FORWARDED: "awaiting the function gives its caller a generator-based coroutine instead of the result",
    Use.CONSUMED: "it only sees a generator-based coroutine",
    Use.FORMATTED: "the string shows a generator-based coroutine, not the result",
    Use.OPERAND: "this raises `TypeError` on a generator-based coroutine",
    Use.ASSERTED: "it checks a generator-based coroutine, not the result",
    Use.PASSED: "it receives a generator-based coroutine instead",
}


def consequence(callee: Callee, use: Use) -> str | None:
    """What happens at runtime when the call's result is used so; None: nothing wrong."""
    if use is Use.RAISES and callee.runs_first:
        return None  # `pytest.raises` may be waiting for what the plain function raises before it returns
    if callee.awaited_elsewhere or callee.returns == "awaitable":
        text: str | None = use.awaitable_consequence
    elif callee.returns == "future":
        text = _FUTURE_CONSEQUENCES[use]
    elif callee.returns == "generator":
        text = _GENERATOR_CONSEQUENCES[use]
    else:
        text = use.consequence
    if text is not None and callee.legacy_asyncio:
        text = (
            f"on Python 3.10 and earlier {text}; on 3.11 and later `asyncio.coroutine` does not exist, so "
            "importing the module that uses it fails with `AttributeError`"
        )
    return text


@dataclass(eq=False)
class UnawaitedCall:
    #: The call, or the read of an async property.
    call: cst.Call | cst.Attribute
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
        call = f"`{self.callee.shown}`"
        # Known to be a coroutine function, or only to return something awaitable (awaited elsewhere).
        happens = consequence(self.callee, self.use)
        what = self.passed_to or self.use.what
        if self.stored_in is None:
            text = f"{call} {what}: {happens}"
        elif self.use is Use.DROPPED:
            text = f"{call} is stored in `{self.stored_in}`, which is never awaited: {happens}"
        elif self.passed_to is not None:
            line = line_of(self.used_node)
            text = (
                f"{call} is stored in `{self.stored_in}` without `await`, and on line {line} `{self.stored_in}` "
                f"{what}: {happens}"
            )
        else:
            line = line_of(self.used_node)
            text = (
                f"{call} is stored in `{self.stored_in}` without `await`, and `{self.stored_in}` {what} "
                f"on line {line}: {happens}"
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


class FileAwaits:
    """Builds the `AwaitAnalysis` of one file: what its calls are comes from the resolver; how each result is
    used, and what the file's other calls of the same method say, is judged here."""

    def __init__(self, resolver: FileResolver) -> None:
        self.resolver = resolver
        self.result = AwaitAnalysis()
        #: Keys of the resolver's `awaited` whose callee is also called without `await` for its value
        #: (`_note_used_unawaited`).
        self.used_unawaited: set[tuple[object, str]] = set()
        #: How many times each key of the resolver's `awaited` is called without `await` in the file.
        self.plain_calls: dict[tuple[object, str], int] = {}
        #: Names the file uses other than as the function of a call (`_only_called`), read on first need.
        self._names_not_called: frozenset[str] | None = None

    def run(self) -> AwaitAnalysis:
        resolver = self.resolver
        resolver.prepare()
        if resolver.awaited:
            self._note_used_unawaited()
        for scope in resolver.scopes:
            self._judge(scope)
        return self.result

    def _consistent(self, scope: Scope, call: cst.Call, written: str) -> Callee | None:
        """The same receiver's method awaited elsewhere in the file: it returns an awaitable.

        Only an awaitable, not surely a coroutine: objects such as aiohttp's request context managers can be
        awaited or entered, and tasks run whether awaited or not. So this evidence counts only for a dropped
        call, on a receiver whose class asynclint cannot read, of a method not named like a task spawner.
        """
        method = written.rpartition(".")[2]
        if TASK_LIKE.search(method) or (method.startswith("__") and method.endswith("__")):
            return None  # a task spawner, or a protocol hook called by name (`__getattr__`), which gives anything
        if not isinstance(call.func, cst.Attribute) or not self._maybe_awaited(written):
            return None
        if not self._judged_by_evidence(scope, self._evidence_use(scope, call)):
            return None
        receiver = self.resolver.value_of(scope, call.func.value)
        if receiver is not None and not self._may_hand_awaitable(receiver, method):
            # A receiver of a known class: its method is known not to be a plain `async def`, and unless its
            # annotation says it may return an awaitable, the awaits elsewhere prove nothing.
            return None
        head = written.partition(".")[0]
        local = self.resolver.local(scope, head)
        if isinstance(local, LocalBinding) and local.kind == "enter" and isinstance(local.expr, cst.Call):
            # `async with Cluster(...) as cluster`: whatever `__aenter__` hands out, a class that defines the
            # method as a plain `def` (`scale()`, which may be awaited or not) says the awaits prove nothing.
            entered = self.resolver.constructed(scope, local.expr)
            member = self.resolver.index.member(entered, method) if entered is not None else None
            if member is not None and member.shape.kind != "async":
                return None
        if isinstance(local, LocalBinding) and local.kind == "value" and not _alias(local.expr):
            # A local made by a call: only when that callee is not defined in the function itself. (A local
            # copying an attribute, `client = self.async_client`, is that object under another name.)
            made = local.expr.func if isinstance(local.expr, cst.Call) else None
            made_by = dotted_name(made) if made is not None else None
            made_head = made_by.partition(".")[0] if made_by is not None else None
            if made_head is None or (
                made_head != scope.self_name and self.resolver.local(scope, made_head) is not False
            ):
                return None
        # The same receiver first; then, for a local made by a call, values the same callee made elsewhere.
        for key, share in (
            (self.resolver.callee_key(scope, call.func), 1),
            (self.resolver.made_callee_key(scope, call.func), 4),
        ):
            if key is None:
                continue
            candidates = [node for node in self.resolver.awaited.get(key, ()) if node is not call]
            if any(self._alternatives(scope, node, call) for node in candidates):
                # Awaited on one branch and called plainly on the other (`if conn.is_async: await ...`): the
                # object is async or sync depending on the path, here and wherever else it is awaited.
                return None
            awaited = tuple(candidates)
            if not awaited:
                continue
            if key in self.used_unawaited:
                return None  # also called without `await` and used as a value: it may be both ways (sync and async)
            if self.plain_calls.get(key, 0) * share > len(self.resolver.awaited[key]):
                # Called plainly more often than awaited: a method meant both ways (`cluster.scale(2)` and
                # `await cluster.scale(2)`), not one `await` forgotten. On other objects the same callee made,
                # the awaits must outnumber the plain calls four to one: a pipeline's `get()` is awaited when it
                # runs at once and not when it is queued, several times each in one file.
                return None
            return Callee(written, f"`{written}(...)` is awaited elsewhere in this file", awaited)
        return None

    def _may_hand_awaitable(self, receiver: object, method: str) -> bool:
        """Whether the receiver's class defines the method as a plain `def` annotated to return an awaitable
        (`def conversations_list(self) -> Union[Future, SlackResponse]`): one that returns an awaitable or not
        by how the object was made, so the awaits elsewhere in the file tell which this one is."""
        cls = receiver.cls if isinstance(receiver, Instance) else receiver
        if not isinstance(cls, KnownClass) or cls.is_async_mock:
            return False
        member = self.resolver.index.member(cls, method)
        return member is not None and member.shape.kind == "sync" and member.shape.awaitable_return

    @staticmethod
    def _alternatives(scope: Scope, one: cst.CSTNode, other: cst.CSTNode) -> bool:
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
        return (
            written in self.resolver.awaited_written
            or f"{MADE}.{written.partition('.')[2]}" in self.resolver.awaited_written
        )

    def _note_used_unawaited(self) -> None:
        """Receivers' methods also called without `await` for their value (stored, passed, returned): a method
        that may be sync in one place and async in another gives no evidence either way."""
        for scope in self.resolver.scopes:
            awaited = set(scope.awaited_calls)
            for call in scope.calls:
                if call in awaited or not isinstance(call.func, cst.Attribute):
                    continue
                if not self._maybe_awaited(dotted_name(call.func)):
                    continue
                for key in (
                    self.resolver.callee_key(scope, call.func),
                    self.resolver.made_callee_key(scope, call.func),
                ):
                    if key is None or key not in self.resolver.awaited:
                        continue
                    self.plain_calls[key] = self.plain_calls.get(key, 0) + 1
                    if not self._judged_by_evidence(scope, self._evidence_use(scope, call)):
                        self.used_unawaited.add(key)

    def _judge(self, scope: Scope) -> None:
        is_async = scope.function.asynchronous is not None
        wrapped = False
        if not is_async and scope.role in {"test", "fixture"}:
            if scope.info is None:
                return
            # A wrapper may run the body in a loop (`@inlineCallbacks`, a project's own runner), where a
            # function that is sync or async by its caller's context cannot be judged. An `async def`'s
            # coroutine that the body drops or tests never runs, whatever wraps the body.
            wrapped = any(decorator.kind is DecoratorKind.UNKNOWN for decorator in scope.info.decorators)
        if not is_async and self.resolver.constants.get("_IS_SYNC") is False and _decorated_otherwise(scope):
            # The async half of a module generated into a sync twin: a sync test (or a test method of a mixin)
            # under a decorator asynclint cannot read (`@client_context.require_sync`, which skips it here) is
            # the sync twin's.
            return
        for call in scope.calls:
            if call in scope.silenced:
                continue
            self._judge_call(scope, call, is_async, wrapped=wrapped)
        for read in scope.reads:
            if read in scope.silenced or self._handed_on(scope, read):
                continue
            callee = self.resolver.property_callee(scope, read)
            if callee is not None:
                self._report_use(scope, read, callee, is_async)
        for node in scope.nested_scopes:
            if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
                self._judge_comprehension(scope, node, is_async)

    @staticmethod
    def _handed_on(scope: Scope, read: cst.Attribute) -> bool:
        """Whether an attribute read is an argument of a call other than a builtin's or an assertion's: what a
        function does with it is the function's business (as `_use` finds, unless an annotation says more),
        so the read's receiver is not resolved (most attribute reads are such arguments)."""
        arg = scope.parents.get(read)
        if not isinstance(arg, cst.Arg):
            return False
        call = scope.parents.get(arg)
        if not isinstance(call, cst.Call):
            return True
        func = call.func
        if isinstance(func, cst.Name):
            return False  # a builtin, or a function whose parameters may be annotated
        return not (isinstance(func, cst.Attribute) and func.attr.value.startswith("assert"))

    def _judge_comprehension(
        self, scope: Scope, comprehension: cst.ListComp | cst.SetComp | cst.GeneratorExp, is_async: bool
    ) -> None:
        """`[client.close(i) for i in ids]` as a statement: no element's coroutine ever runs; `all(client.ready(i)
        for i in ids)`: each element is a coroutine object, always true. Only an element calling a method of a
        receiver the comprehension does not bind itself (what its own loop variables hold is not followed)."""
        call = comprehension.elt
        if not isinstance(call, cst.Call):
            return
        use = self._comprehension_use(scope, comprehension)
        written = dotted_name(call.func)
        if use is None or written is None or self._under_silencing(scope, comprehension):
            return
        bound: set[str] = set()
        loop: cst.CompFor | None = comprehension.for_in
        while loop is not None:
            bound.update(name.value for name in target_names(loop.target))
            loop = loop.inner_for_in
        if written.partition(".")[0] in bound:
            return
        callee = self.resolver.callee(scope, call)
        if callee is None or consequence(callee, use) is None:
            return
        # `[await c.close(i) for ...]` is an async comprehension; `all(await ... for ...)` would hand `all` an
        # async generator.
        fixable = is_async and not isinstance(comprehension, cst.GeneratorExp)
        self._record(scope, call, callee, use, call, fixable=fixable, parent=comprehension)

    def _comprehension_use(self, scope: Scope, comprehension: cst.CSTNode) -> Use | None:
        """A list or set comprehension that is a whole statement (its coroutines are dropped), or the one argument
        of the builtin `all` or `any` (which test each for truth)."""
        parent = scope.parents.get(comprehension)
        if isinstance(parent, cst.Expr):
            return None if isinstance(comprehension, cst.GeneratorExp) else Use.DROPPED  # a generator never runs
        call = scope.parents.get(parent) if isinstance(parent, cst.Arg) else None
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value in {"all", "any"}
            and len(call.args) == 1
            and call.args[0] is parent
            and parent.keyword is None
            and not parent.star
        ):
            return None
        name = call.func.value
        if self.resolver.local(scope, name) is not False or name in self.resolver.imports.bindings:
            return None
        return Use.TRUTH

    @staticmethod
    def _under_silencing(scope: Scope, node: cst.CSTNode) -> bool:
        """Whether `node` sits in a block that expects or silences "never awaited" warnings."""
        current: cst.CSTNode | None = scope.parents.get(node)
        while current is not None and current is not scope.function:
            if current in scope.silenced:
                return True
            current = scope.parents.get(current)
        return False

    def _judge_call(self, scope: Scope, call: cst.Call, is_async: bool, *, wrapped: bool = False) -> None:
        written = dotted_name(call.func)
        if written is not None:
            if self._mock_assertion(scope, call, written):
                return
            if is_async and self._orphan_task(scope, call, written):
                return
        if isinstance(scope.parents.get(call), cst.Await):
            return
        unreadable = self.resolver.index.unreadable
        callee = self.resolver.callee(scope, call, self._consistent)
        if callee is not None and wrapped and callee.awaited_elsewhere:
            return  # other calls' `await` is evidence for async code; this body may be run otherwise
        if callee is not None:
            self._report_use(scope, call, callee, is_async)
        elif (
            self.resolver.index.unreadable != unreadable
            and self.result.environment_needed is None
            and (self._use(scope, call) is not None or self._stored(scope, call) is not None)
        ):
            # Resolving it reached an installed package asynclint could not read: had that been a coroutine
            # function, used this way it would have been a finding.
            self.result.environment_needed = self.resolver.index.last_unreadable

    def _report_use(self, scope: Scope, call: cst.Call | cst.Attribute, callee: Callee, is_async: bool) -> None:
        use = self._use(scope, call)
        # Known from the file's other uses only: judged where it is plainly a statement or an assertion.
        if callee.awaited_elsewhere and (
            not is_async or not self._judged_by_evidence(scope, self._evidence_use(scope, call))
        ):
            return
        # A sync helper: a coroutine it drops, tests or compares never runs, whoever calls the helper, and so does
        # one it stores in a local only used as a value (`wp = make_proof(); assert wp is not None`); one it
        # returns or stores elsewhere may be awaited by its caller (`_stored` leaves those).
        name: str | None = None
        if use is not None:
            kind, node = use
        else:
            stored = self._stored(scope, call)
            if stored is None:
                return
            kind, node, name = stored
        if consequence(callee, kind) is None:
            return  # not a mistake for what this call returns (iterating a Future waits for it)
        if callee.abstract and kind in {Use.CONTEXT, Use.ASYNC_ITERATED}:
            # `async for item in source.stream()` on an abstract `async def stream()`: the overrides that run
            # are async generators (or context managers, for `async with`), as the use says; the declaration
            # only names the method.
            return
        self._record(
            scope,
            call,
            callee,
            kind,
            node,
            stored_in=name,
            fixable=is_async and kind is not Use.CONTEXT,
            parent=scope.parents.get(call),
            passed_to=self._passed_to(scope, node) if kind is Use.PASSED else None,
        )

    def _record(
        self,
        scope: Scope,
        call: cst.Call | cst.Attribute,
        callee: Callee,
        use: Use,
        node: cst.CSTNode,
        *,
        fixable: bool,
        parent: cst.CSTNode | None,
        stored_in: str | None = None,
        passed_to: str | None = None,
    ) -> None:
        self.result.unawaited.append(
            UnawaitedCall(
                call,
                scope.function,
                scope.info,
                scope.role,
                callee,
                use,
                node,
                stored_in=stored_in,
                fixable=fixable,
                parent=parent,
                passed_to=passed_to,
            )
        )

    def _evidence_use(self, scope: Scope, call: cst.Call | cst.Attribute) -> tuple[Use, cst.CSTNode] | None:
        """The use evidence is judged at: the call's own, else that of the name it is stored in, when that
        name is only checked (`response = client.list(); self.assertIsNotNone(response)`)."""
        use = self._use(scope, call)
        if use is not None:
            return use
        stored = self._stored(scope, call)
        return (stored[0], stored[1]) if stored is not None and stored[0] is not Use.DROPPED else None

    def _judged_by_evidence(self, scope: Scope, use: tuple[Use, cst.CSTNode] | None) -> bool:
        """Uses the evidence of the same call awaited elsewhere is judged at: a dropped call, one tested for
        truth or by a `unittest` assertion, and one an `assert` compares (`assert graph.ainvoke(...) == {...}`);
        not one whose value is read, passed on or returned, which a method that is async on one path only may
        have."""
        if use is None:
            return False
        kind, node = use
        if kind in {Use.DROPPED, Use.TRUTH, Use.ASSERTED}:
            return True
        if kind is not Use.COMPARED:
            return False
        parent = scope.parents.get(node)
        comparison = scope.parents.get(parent) if isinstance(parent, cst.ComparisonTarget) else parent
        holder = scope.parents.get(comparison) if isinstance(comparison, cst.Comparison) else None
        return isinstance(holder, cst.Assert) and holder.test is comparison

    def _use(self, scope: Scope, node: cst.CSTNode) -> tuple[Use, cst.CSTNode] | None:
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
        if isinstance(parent, cst.FormattedStringExpression) and parent.expression is node:
            return Use.FORMATTED, node  # `f"{client.status()}"`
        if isinstance(parent, cst.BinaryOperation):
            if not isinstance(parent.operator, cst.Modulo) or parent.left is node:
                return Use.OPERAND, node  # `client.count() + 1`: no operator takes a coroutine object
            if isinstance(parent.left, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                return Use.FORMATTED, node  # `"%s" % client.status()`
            return None  # `template % fetch()`: formatting or arithmetic, as the left operand decides
        if isinstance(parent, cst.Subscript) and parent.value is node:
            return Use.SUBSCRIPTED, node
        if isinstance(parent, cst.Attribute) and parent.value is node:
            attr = parent.attr.value
            if attr in COROUTINE_ATTRIBUTES or attr.startswith("cr_"):
                return None
            return Use.ATTRIBUTE, node
        if isinstance(parent, cst.For) and parent.iter is node:
            return (Use.ASYNC_ITERATED if parent.asynchronous is not None else Use.ITERATED), node
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
        if isinstance(parent, cst.Return) and self._only_called(scope):
            # `return fetch()` in an `async def` the file only calls: awaiting it gives the coroutine object.
            return Use.FORWARDED, node
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
                known = name in CONSUMING_BUILTINS or name == "bool" or _checks_class(call, parent)
                if known and self.resolver.local(scope, name) is False and name not in self.resolver.imports.bindings:
                    return (Use.TRUTH if name == "bool" else Use.CONSUMED), node
            if self._typed_parameter(scope, call, parent) is not None:
                return Use.PASSED, node
        return None

    def _only_called(self, scope: Scope) -> bool:
        """Whether the scope is an undecorated `async def` helper (a function, not a method, test or fixture) that
        the file only ever calls by name: its callers are code asynclint sees, which await it once. A function
        passed on (`rpc.register(handler)`), decorated (`@app.route`) or a method may have a caller that awaits
        what it returns a second time, as web frameworks do with a handler's result."""
        function = scope.function
        if function.asynchronous is None or function.decorators or scope.role in {"test", "fixture"}:
            return False
        if scope.class_name is not None and not scope.nested:
            return False
        if self._names_not_called is None:
            uses = _NameUses()
            self.resolver.module.visit(uses)
            self._names_not_called = uses.not_called
        return function.name.value not in self._names_not_called

    def _passed_to(self, scope: Scope, node: cst.CSTNode) -> str | None:
        arg = scope.parents.get(node)
        call = scope.parents.get(arg) if arg is not None else None
        if not isinstance(arg, cst.Arg) or not isinstance(call, cst.Call):
            return None
        return self._typed_parameter(scope, call, arg)

    def _typed_parameter(self, scope: Scope, call: cst.Call, arg: cst.Arg) -> str | None:
        """What `arg` is passed to, in a finding's words, when the function (or the class's `__init__`) is one
        asynclint read and the parameter's annotation asks for a class a coroutine object never is (`def
        new_peak(self, block: FullBlock)`): the function says it wants the result, not the coroutine."""
        place = argument_place(call, arg)
        if place is None:
            return None  # `f(*args, coro())`: which parameter it lands on is not known
        function = self.resolver.signature(scope, call.func)
        if function is None:
            return None
        for parameter in function.shape.parameters:
            if parameter.position == place if isinstance(place, int) else parameter.name == place:
                break
        else:
            return None
        if not parameter.written:
            return None  # a callback's parameter: it asks for a function
        if not self.resolver.index.excludes_coroutines(function.module, parameter.written):
            return None
        name = function.name.removesuffix(".__init__")
        which = f"parameter `{parameter.name}`" if parameter.name else f"parameter {(parameter.position or 0) + 1}"
        return f"is passed to `{name}`, whose {which} is typed `{parameter.written}`"

    def _unittest_assertion(self, scope: Scope, call: cst.Call) -> bool:
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
        facts = self.resolver.fixture_types.model.classes.get(scope.class_name)
        if facts is None or facts.testcase not in {TestCaseKind.PLAIN, TestCaseKind.ASYNC}:
            return False
        defined = {
            statement.name.value
            for statement in body_statements(scope.class_node.body)
            if isinstance(statement, cst.FunctionDef)
        }
        return func.attr.value not in defined

    def _only_statements_of_raises(self, scope: Scope, expr: cst.Expr, block: cst.CSTNode | None) -> bool:
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
            self.resolver.canonical(dotted_name(item.item.func) or "") in RAISES_CONTEXTS
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

    def _stored(self, scope: Scope, call: cst.Call | cst.Attribute) -> tuple[Use, cst.CSTNode, str] | None:
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
        reached = [node for node in reached if not _names_no_variable(scope, node)]
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

    def _until_rebound(self, scope: Scope, assign: cst.Assign, target: cst.Name) -> list[cst.Name] | None:
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

    def _mock_assertion(self, scope: Scope, call: cst.Call, written: str) -> bool:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ASSERT_RENAMES:
            return False
        receiver = func.value
        mock = dotted_name(receiver)
        if mock is None:
            return False
        found = self.resolver.value_of(scope, receiver)
        if not (isinstance(found, Instance) and found.cls.is_async_mock) or found.child:
            return True  # not an `AsyncMock`, or one made on first access as an attribute of one
        # Where the test itself calls the mock without awaiting it, the assertion passes on a coroutine that
        # never ran. Where only the code under test calls it, the assertion passes whether or not that code
        # awaited it: reported when the test checks awaiting nowhere (`assert_awaited*`, `await_count`...).
        calls = [other for other in scope.calls if other is not call and dotted_name(other.func) == mock]
        direct = any(not isinstance(scope.parents.get(other), cst.Await) for other in calls)
        if not direct and (calls or self._checks_awaiting(scope, mock)):
            return True
        if not direct and (
            not self._made_here(scope, mock)
            or self._result_configured(scope, mock)
            or self._awaited_by_the_test_only(scope, mock)
        ):
            # The test sets what awaiting it gives (an un-awaited call would hand the code a coroutine instead,
            # or raise nothing), or only the test's own code calls it, always under `await`: whether a missing
            # `await` would go unnoticed is not known.
            return True
        old = func.attr.value
        self.result.mock_assertions.append(
            MockAssertion(call, func.attr, mock, ASSERT_RENAMES[old], f"`{mock}` is an `AsyncMock`", direct)
        )
        return True

    def _checks_awaiting(self, scope: Scope, mock: str) -> bool:
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

    def _made_here(self, scope: Scope, mock: str) -> bool:
        """Whether the mock (or the object holding it) is made in the function, where what it is set to give
        can be seen: not one a fixture hands over, set up out of sight (a `patch` decorator's argument is
        made for the test, and configured in its body)."""
        head = mock.partition(".")[0]
        local = self.resolver.local(scope, head)
        while local is False and scope.nested and scope.parent is not None:
            scope = scope.parent  # a free variable: made (or received) by the enclosing function
            local = self.resolver.local(scope, head)
        if not isinstance(local, LocalBinding):
            return False
        if local.kind != "param":
            return True
        decorators = scope.info.decorators if scope.info is not None else ()
        return any(_PATCHERS.search(decorator.written) for decorator in decorators)

    def _result_configured(self, scope: Scope, mock: str) -> bool:
        """Whether the function sets what awaiting `mock` gives: `AsyncMock(return_value=...)`, `side_effect=`
        where it is made (a patch too), or `mock.return_value...`/`mock.side_effect` anywhere in it."""
        head, *path = mock.split(".")
        local = self.resolver.local(scope, head)
        made: cst.BaseExpression | None = local.expr if isinstance(local, LocalBinding) else None
        for part in path:
            # `AsyncMock(send=AsyncMock(side_effect=[...]))`: the attribute made by a keyword where the mock is.
            made = next(
                (
                    arg.value
                    for arg in (made.args if isinstance(made, cst.Call) else ())
                    if arg.keyword is not None and arg.keyword.value == part
                ),
                None,
            )
        if isinstance(made, cst.Call):
            keywords = {arg.keyword.value for arg in made.args if arg.keyword is not None and not _is_none(arg.value)}
            if keywords & {"return_value", "side_effect"}:
                return True
        for current in (scope, *self._nested_in(scope)):
            for name in current.names.get(head, ()):
                node: cst.CSTNode = name
                written = head
                while isinstance(parent := current.parents.get(node), cst.Attribute) and parent.value is node:
                    node = parent
                    written = f"{written}.{parent.attr.value}"
                    if written in {f"{mock}.return_value", f"{mock}.side_effect"} and not _set_to_none(current, node):
                        return True
        return False

    def _awaited_by_the_test_only(self, scope: Scope, mock: str) -> bool:
        """Whether `mock` (a plain name) is handed to nothing: the function and the functions nested in it only
        call it under `await`, read its attributes or bind it; at least one such call exists."""
        if "." in mock:
            return False
        nested = self._nested_in(scope)
        covered = {id(current.function) for current in nested}
        for node in scope.nested_scopes:
            if id(node) not in covered and mock in all_names(node):
                return False  # a lambda or comprehension uses it: not followed
        awaited = False
        for current in (scope, *nested):
            for name in current.names.get(mock, ()):
                parent = current.parents.get(name)
                if isinstance(parent, cst.Attribute) and parent.value is name:
                    continue
                if isinstance(parent, cst.AssignTarget):
                    continue
                if (
                    isinstance(parent, cst.Call)
                    and parent.func is name
                    and isinstance(current.parents.get(parent), cst.Await)
                ):
                    awaited = True
                    continue
                return False
        return awaited

    def _nested_in(self, scope: Scope) -> list[Scope]:
        """The scopes of the functions defined inside `scope`'s function, at any depth."""
        found = []
        for other in self.resolver.scopes:
            parent = other.parent
            while parent is not None and parent is not scope:
                parent = parent.parent
            if parent is scope:
                found.append(other)
        return found

    @staticmethod
    def _compared(scope: Scope, node: cst.CSTNode) -> bool:
        """Whether `node` is read in a comparison (not assigned: `mock.return_value = 5` configures the mock)."""
        current: cst.CSTNode | None = scope.parents.get(node)
        while current is not None and not isinstance(current, cst.BaseSmallStatement | cst.BaseCompoundStatement):
            if isinstance(current, (cst.Comparison, cst.ComparisonTarget)):
                return True
            current = scope.parents.get(current)
        return False

    def _orphan_task(self, scope: Scope, call: cst.Call, written: str) -> bool:
        parent = scope.parents.get(call)
        if not isinstance(parent, cst.Expr) or scope.role not in {"test", "fixture"}:
            return False
        canonical = self.resolver.absolute(scope, written)
        spawner: str | None = canonical if canonical in TASK_SPAWNERS else None
        if spawner is None and written.endswith(".create_task") and written.count(".") == 1:
            assert isinstance(call.func, cst.Attribute)
            receiver = self.resolver.value_of(scope, call.func.value)
            if isinstance(receiver, Instance) and receiver.cls.dotted == "asyncio.AbstractEventLoop":
                spawner = "loop.create_task"
        if spawner is None:
            return False
        self.result.orphan_tasks.append(OrphanTask(parent, call, spawner))
        return True


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
    resolver = FileResolver(module, text, path, index, functions, roles, FixtureTypes(model), imports)
    return FileAwaits(resolver).run()


class _NameUses(cst.CSTVisitor):
    """The names a module reads other than as the function of a call (`handler` in `register(handler)`, but not
    in `handler()`); names that only define or label something (`def f`, `x.attr`, `f(key=...)`) do not count."""

    def __init__(self) -> None:
        self._called: set[int] = set()
        self._labels: set[int] = set()
        self._not_called: set[str] = set()

    @property
    def not_called(self) -> frozenset[str]:
        return frozenset(self._not_called)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self._called.add(id(node.func))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._labels.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._labels.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._labels.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._labels.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._labels.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._called and id(node) not in self._labels:
            self._not_called.add(node.value)


#: Decorators that leave a sync function as it is, by their last name.
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "property", "no_type_check", "override", "wraps"})


def _decorated_otherwise(scope: Scope) -> bool:
    """Whether the function has a decorator other than a pytest mark or fixture and the plain ones."""
    for decorator in scope.function.decorators:
        written = dotted_name(
            decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        )
        if written is None:
            return True
        if written.startswith(("pytest.mark.", "mark.")) or written.rpartition(".")[2] in {
            "fixture",
            *_PLAIN_DECORATORS,
        }:
            continue
        return True
    return False


def _checks_class(call: cst.Call, arg: cst.Arg) -> bool:
    """`isinstance(value, Cls)` for the value, with a class (or tuple of classes) none of which a coroutine
    object is an instance of (`isinstance(result, Coroutine)` checks for one on purpose)."""
    if not (isinstance(call.func, cst.Name) and call.func.value == "isinstance" and len(call.args) == 2):
        return False
    if call.args[0] is not arg:
        return False
    classes = call.args[1].value
    written = [element.value for element in classes.elements] if isinstance(classes, cst.Tuple) else [classes]
    names = [dotted_name(expr) for expr in written]
    return all(name is not None and name.rpartition(".")[2] not in _COROUTINE_CLASSES for name in names)


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


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _set_to_none(scope: Scope, node: cst.CSTNode) -> bool:
    """`mock.return_value = None`: the default result, set explicitly; the test depends on nothing more."""
    target = scope.parents.get(node)
    statement = scope.parents.get(target) if isinstance(target, cst.AssignTarget) else None
    return isinstance(statement, cst.Assign) and _is_none(statement.value)


def _alias(expr: cst.BaseExpression | None) -> bool:
    """`client = self.async_client`: an attribute chain copied into a local, the same object by another name."""
    return isinstance(expr, cst.Attribute) and dotted_name(expr) is not None


def _names_no_variable(scope: Scope, node: cst.Name) -> bool:
    """An attribute's name or a keyword (`store.size`, `f(size=1)`): the same word, not the variable."""
    parent = scope.parents.get(node)
    if isinstance(parent, cst.Attribute):
        return parent.attr is node
    return isinstance(parent, cst.Arg) and parent.keyword is node
