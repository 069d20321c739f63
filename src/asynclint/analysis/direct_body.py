"""What runs directly in a test's or fixture's body, and whether that body runs inside an asyncio loop.

Code in nested functions, lambdas and classes runs later or elsewhere (a thread, an executor, a callback), so
rules about the body itself (blocking calls, nested loops) look only at the direct body.
"""

from __future__ import annotations

import functools
from typing import Protocol

import libcst as cst

from asynclint.analysis.async_fixtures import runs_fixture
from asynclint.model.collection import FileModel, Owner, TestCaseKind, TestItem
from asynclint.model.facts import Function
from asynclint.walk import code_children, descendants


class FunctionFacts(Protocol):
    """What these helpers read of a file (a rule's `RuleContext` is one): its model and each function's facts."""

    @property
    def model(self) -> FileModel: ...

    def function(self, node: cst.FunctionDef) -> Function | None: ...

    def test(self, node: cst.FunctionDef) -> TestItem | None: ...


_LATER = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})  # concrete node types: an exact type test


def direct_nodes(node: cst.FunctionDef) -> tuple[cst.CSTNode, ...]:
    """Every code node of the function's body that runs when the body runs (nested scopes excluded; no
    whitespace, comments or punctuation).

    Several rules read the same bodies (blocking calls, nested loops, `get_event_loop`, returned values): the
    walk is made once per function. Nodes hash by identity, so a function of another parse is another entry.
    """
    return _direct_nodes(node)


@functools.lru_cache(maxsize=32)  # the functions of the file being linted; bounded, as it holds their trees
def _direct_nodes(node: cst.FunctionDef) -> tuple[cst.CSTNode, ...]:
    return tuple(descendants(node.body, prune=lambda n: type(n) in _LATER, expand=code_children))


def forget_trees() -> None:
    """Drop the cached walks once a file is linted: they would keep parts of its tree alive."""
    _direct_nodes.cache_clear()


def asyncio_role(ctx: FunctionFacts, node: cst.FunctionDef) -> str | None:
    """ "test" or "fixture" when this `async def` runs in an asyncio event loop; None when it does not or that
    is not known (anyio and trio tests may run elsewhere, unknown runners say nothing)."""
    function = ctx.function(node)
    if function is None or not function.is_async:
        return None
    test = ctx.test(node)
    if test is not None:
        if test.owner is Owner.PYTEST_ASYNCIO:
            return "test"
        if test.owner is Owner.UNITTEST and test.testcase is TestCaseKind.ASYNC:
            return "test"
        return None
    if function.fixture is not None and runs_fixture(function.fixture, ctx.model):
        return "fixture"
    return None


def sync_role(ctx: FunctionFacts, node: cst.FunctionDef) -> str | None:
    """ "test" or "fixture" for a sync test or fixture of a project that uses pytest-asyncio."""
    function = ctx.function(node)
    if function is None or function.is_async or ctx.model.asyncio_evidence is None:
        return None
    if ctx.test(node) is not None:
        return "test"
    return "fixture" if function.fixture is not None else None


def parents_of(node: cst.FunctionDef) -> dict[cst.CSTNode, cst.CSTNode]:
    """The parent of every node in the function's direct body (built only when a fix needs one)."""
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    for inner in direct_nodes(node):
        for child in inner.children:
            parents[child] = inner
    return parents
