"""AIO304: resource-closed-before-use."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from asynclint.analysis.syntax import PRUNED, all_names, target_names
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.model.coroutines import FunctionRef
from asynclint.model.names import dotted_name, literal_value
from asynclint.model.values import INSTANCE
from asynclint.rule import Example, Rule
from asynclint.walk import descendants

_HEAD = "import pytest\n\n\n@pytest.fixture\n"

#: Context managers whose `as` value is meant to be used after the block (or that close nothing).
SURVIVES_EXIT = frozenset(
    {
        "raises",  # pytest.raises: the ExceptionInfo is read after the block
        "warns",
        "deprecated_call",
        "catch_warnings",
        "assertRaises",
        "assertRaisesRegex",
        "assertWarns",
        "assertWarnsRegex",
        "assertLogs",
        "assertNoLogs",
        "nullcontext",
        "suppress",
        "redirect_stdout",
        "redirect_stderr",
        "capture_logs",
        "connect",  # sqlite3 connections commit on exit and stay open; too many libraries differ to judge
        "at_level",
        "disabled",
    }
)
#: Builtin classes of in-memory data: nothing closes them when a block ends.
PLAIN_DATA = frozenset({"dict", "list", "tuple", "set", "frozenset", "str", "bytes", "int", "float", "bool"})
#: Methods that close or stop the object they are called on.
CLOSING_METHODS = frozenset(
    {
        "close",
        "aclose",
        "wait_closed",
        "shutdown",
        "terminate",
        "disconnect",
        "dispose",
        "destroy",
        "cleanup",
        "teardown",
        "stop",
        "kill",
    }
)
#: Functions that clean up the object passed to them: `cleanup(r)`, `await close_connection(c)`.
_CLEANUP_FUNCTION = re.compile(r"(^|_)(a?close|clean_?up|tear_?down|dispose|destroy|shut_?down|disconnect)(_|$)")


@dataclass(frozen=True)
class _Closed:
    """A `return x` of a resource already closed when the fixture hands it over."""

    ret: cst.Return
    name: str
    how: str
    #: The `with` statement whose block closes it, or the cleanup statements that did.
    with_statement: cst.With | None
    cleanups: tuple[cst.BaseStatement, ...]


def _own_nodes(body: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    return descendants(body, prune=lambda n: isinstance(n, PRUNED))


def _call_of(statement: cst.BaseStatement) -> cst.Call | None:
    """The call of a statement that is only a call (`x.close()`, `await cleanup(x)`)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = small.value if isinstance(small, cst.Expr) else None
    if isinstance(value, cst.Await):
        value = value.expression
    return value if isinstance(value, cst.Call) else None


def _cleaned_up(statement: cst.BaseStatement) -> tuple[str, str] | None:
    """(name, how) when the statement closes or cleans up a plain name."""
    call = _call_of(statement)
    if call is None:
        return None
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in CLOSING_METHODS:
        return func.value.value, f"`{func.value.value}.{func.attr.value}()`"
    callee = dotted_name(func)
    if callee and call.args and isinstance(call.args[0].value, cst.Name):
        last = callee.rpartition(".")[2]
        if _CLEANUP_FUNCTION.search(last):
            name = call.args[0].value.value
            return name, f"`{callee}({name})`"
    return None


def _returned_name(statement: cst.BaseStatement) -> cst.Return | None:
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Return) and isinstance(small.value, cst.Name):
                return small
    return None


def _binds(node: cst.CSTNode, name: str) -> bool:
    """Whether `node` rebinds `name` anywhere (assignment, loop, `with ... as`, walrus, import...)."""
    for inner in descendants(node, prune=lambda n: isinstance(n, PRUNED)):
        targets: list[cst.BaseExpression] = []
        if isinstance(inner, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
            targets.append(inner.target)
        elif isinstance(inner, cst.AsName) and isinstance(inner.name, cst.BaseExpression):
            targets.append(inner.name)
        if any(found.value == name for target in targets for found in target_names(target)):
            return True
    return False


class ResourceClosedBeforeUse(Rule):
    """
    ## What it does
    Finds fixtures that return a resource that is already closed: `return x` inside `with ... as x` or
    `async with ... as x` (the block closes `x` as the fixture returns), or after `x.close()`,
    `await x.aclose()`, `cleanup(x)` and the like. Only the bare name is reported: returning data read from the
    resource (`return f.read()`, `return row.id`) is fine, and so are context managers whose value is meant for
    after the block (`pytest.raises`, `catch_warnings`, `nullcontext`, `NamedTemporaryFile(delete=False)`...).

    ## Why is this bad?
    The test receives a closed file, connection or client and fails with "I/O operation on closed file" or the
    library's own "closed" error. The cleanup was meant to run after the test: that is what a `yield` fixture
    is for.

    ## Example
    ```python
    @pytest.fixture
    def config_file(tmp_path):
        with open(tmp_path / "app.cfg") as f:
            return f
    ```

    Use instead:
    ```python
    @pytest.fixture
    def config_file(tmp_path):
        with open(tmp_path / "app.cfg") as f:
            yield f
    ```

    ## Fix safety
    Safe when the `return` is the function's only one and nothing follows it: `return x` becomes `yield x`, and
    cleanup statements written before it move after it. The test then gets the open resource and the cleanup
    runs at teardown. No fix when other code between the cleanup and the `return` uses the resource.
    """

    code = "AIO304"
    name = "resource-closed-before-use"
    finds = (
        "a fixture returning the bare name of a resource it closed (`with ... as x: return x`, `x.close()` then "
        "`return x`): the test gets it closed"
    )
    fix_summary = "safe (single `return`, nothing after it)"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("return",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(f"{_HEAD}def text(tmp_path):\n    with open(tmp_path / 'a') as f:\n        return f.read()\n"),
        Example(f"{_HEAD}def path():\n    with tempfile.NamedTemporaryFile(delete=False) as f:\n        return f\n"),
        Example(
            f"{_HEAD}def error():\n    with pytest.raises(KeyError) as info:\n        {{}}['a']\n    return info\n"
        ),
        Example(f"{_HEAD}def client():\n    c = Client()\n    yield c\n    c.close()\n"),
        Example(f"{_HEAD}def client():\n    c = Client()\n    c.close()\n    c = Client()\n    return c\n"),
    )
    invalid = (
        Example(
            f"{_HEAD}def config(tmp_path):\n    with open(tmp_path / 'a') as f:\n        return f\n",
            expected_fix=f"{_HEAD}def config(tmp_path):\n    with open(tmp_path / 'a') as f:\n        yield f\n",
        ),
        Example(
            f"{_HEAD}async def client():\n    c = Client()\n    await c.aclose()\n    return c\n",
            expected_fix=f"{_HEAD}async def client():\n    c = Client()\n    yield c\n    await c.aclose()\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        if function is None or function.fixture is None or function.is_generator:
            return
        returns = [n for n in _own_nodes(node.body) if isinstance(n, cst.Return)]
        for found in [*self._with_returns(node.body), *self._cleanup_returns(node.body)]:
            message = (
                f"fixture `{function.name}` returns `{found.name}` {found.how}, so the test gets it closed: "
                f"`yield {found.name}` instead, so that it is closed after the test"
            )
            fix = self._fix(node, found) if len(returns) == 1 else None
            self.report(found.ret, message, fix=fix)

    # -- the `with` form -----------------------------------------------------------------------------------

    def _with_returns(self, body: cst.BaseSuite) -> Iterator[_Closed]:
        for statement in _own_nodes(body):
            if not isinstance(statement, cst.With):
                continue
            for item in statement.items:
                name = item.asname.name if item.asname is not None else None
                if not isinstance(name, cst.Name) or self._survives_exit(item.item):
                    continue
                for ret in self._returns_of(statement.body, name.value):
                    keyword = "async with" if statement.asynchronous else "with"
                    manager = dotted_name(item.item.func) if isinstance(item.item, cst.Call) else None
                    how = f"from inside `{keyword} {manager or '...'}(...) as {name.value}`, which closes it on return"
                    yield _Closed(ret, name.value, how, statement, ())

    def _survives_exit(self, manager: cst.BaseExpression) -> bool:
        """Context managers asynclint does not judge: non-calls (reusable managers) and those listed above."""
        if not isinstance(manager, cst.Call):
            return True
        callee = dotted_name(manager.func)
        if callee is None or callee.rpartition(".")[2] in SURVIVES_EXIT:
            return True
        for arg in manager.args:
            if arg.keyword is not None and arg.keyword.value == "delete" and literal_value(arg.value) is False:
                return True  # tempfile's delete=False: the file outlives the block
        return self._yields_plain_data(callee)

    def _yields_plain_data(self, callee: str) -> bool:
        """A context manager function (read from its source, never imported) that hands out in-memory data
        (`-> Iterator[dict[str, Any]]`, `yield load_config()` under a lock): leaving the block releases
        something else, the data stays as it was."""
        head, _, rest = callee.partition(".")
        target = self.model.summary.imports.bindings.get(head)
        if target is None or target.startswith((".", "<")):
            return False  # defined in this module, relative or unknown: not followed here
        found = self.model.coroutines.resolve(f"{target}.{rest}" if rest else target)
        if not isinstance(found, FunctionRef) or not found.shape.context_manager:
            return False
        value = found.shape.value
        return value is not None and value.kind == INSTANCE and not value.factory and value.written in PLAIN_DATA

    def _returns_of(self, block: cst.BaseSuite, name: str) -> Iterator[cst.Return]:
        """`return name` statements inside a `with` block, unless the block rebinds the name first."""
        if _binds(block, name):
            return
        for inner in _own_nodes(block):
            if isinstance(inner, cst.Return) and isinstance(inner.value, cst.Name) and inner.value.value == name:
                yield inner

    # -- the cleanup-then-return form ----------------------------------------------------------------------

    def _cleanup_returns(self, body: cst.BaseSuite) -> Iterator[_Closed]:
        for block in _blocks(body):
            closed: dict[str, list[cst.BaseStatement]] = {}
            for statement in block:
                ret = _returned_name(statement)
                if ret is not None:
                    assert isinstance(ret.value, cst.Name)
                    name = ret.value.value
                    if closed.get(name):
                        how = _cleanup_text(closed[name][0])
                        yield _Closed(ret, name, f"after {how}", None, tuple(closed[name]))
                    continue
                cleaned = _cleaned_up(statement)
                if cleaned is not None:
                    closed.setdefault(cleaned[0], []).append(statement)
                    continue
                for name in list(closed):
                    if _binds(statement, name) or _reopens(statement, name):
                        del closed[name]

    # -- the fix -------------------------------------------------------------------------------------------

    def _fix(self, node: cst.FunctionDef, found: _Closed) -> NodeFix | None:
        if not isinstance(node.body, cst.IndentedBlock):
            return None
        yielded = cst.Expr(value=cst.Yield(value=found.ret.value))
        if found.with_statement is not None:
            if not _last_all_the_way(node.body, found.ret):
                return None
            return NodeFix("Yield the resource instead of returning it", Applicability.SAFE, {found.ret: yielded})
        body = list(node.body.body)
        statement = _statement_of(body, found.ret)
        if statement is None or statement is not body[-1]:
            return None
        cleanups = [s for s in found.cleanups if s in body]
        if len(cleanups) != len(found.cleanups):
            return None  # a cleanup inside another block: moving it is not a plain reordering
        first = body.index(cleanups[0])
        between = [s for s in body[first:-1] if s not in cleanups]
        if any(found.name in set(all_names(s)) for s in between):
            return None  # something after the cleanup uses the resource: it may rely on it being closed
        new_return = statement.with_changes(body=[yielded])
        new_body = [s for s in body[:-1] if s not in cleanups] + [new_return, *cleanups]
        return NodeFix(
            "Yield the resource and clean it up after the test",
            Applicability.SAFE,
            {node.body: node.body.with_changes(body=new_body)},
        )


def _cleanup_text(statement: cst.BaseStatement) -> str:
    cleaned = _cleaned_up(statement)
    return cleaned[1] if cleaned else "it was closed"


def _reopens(statement: cst.BaseStatement, name: str) -> bool:
    """A later call on the name, or passing it on (`c.connect()`, `reopen(c)`): it may be open again."""
    for inner in _own_nodes_of(statement):
        if isinstance(inner, cst.Call):
            func = inner.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name:
                return True
            if any(isinstance(arg.value, cst.Name) and arg.value.value == name for arg in inner.args):
                return True
    return False


def _own_nodes_of(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return descendants(node, prune=lambda n: isinstance(n, PRUNED))


def _blocks(body: cst.BaseSuite) -> Iterator[Sequence[cst.BaseStatement]]:
    for node in _own_nodes(body):
        if isinstance(node, cst.IndentedBlock):
            yield node.body


def _statement_of(body: Sequence[cst.BaseStatement], ret: cst.Return) -> cst.SimpleStatementLine | None:
    """The top-level statement line holding `ret` (alone), or None when it is nested or shares its line."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine) and ret in statement.body:
            return statement if len(statement.body) == 1 else None
    return None


def _last_all_the_way(body: cst.IndentedBlock, ret: cst.Return) -> bool:
    """The return is the last statement of its block, inside `with` blocks that are each last in theirs."""
    block: Sequence[cst.BaseStatement] = body.body
    while block:
        last = block[-1]
        if isinstance(last, cst.SimpleStatementLine):
            return len(last.body) == 1 and last.body[0] is ret
        if isinstance(last, cst.With) and isinstance(last.body, cst.IndentedBlock):
            block = last.body.body
            continue
        return False
    return False
