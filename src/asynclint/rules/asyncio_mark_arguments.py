"""AIO406: asyncio-mark-arguments."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import libcst as cst

from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.model.facts import Mark
from asynclint.model.loops import SCOPES, AsyncioVersion, Era, asyncio_version
from asynclint.rule import Example, Rule

_HEAD = "import pytest\n\n\n"


def _call_of(node: cst.CSTNode) -> cst.Call | None:
    if isinstance(node, cst.Decorator):
        node = node.decorator
    return node if isinstance(node, cst.Call) else None


class AsyncioMarkArguments(Rule):
    """
    ## What it does
    Checks the arguments of `asyncio` marks: the deprecated `scope=` keyword, a positional scope
    (`@pytest.mark.asyncio("module")`), `scope=` and `loop_scope=` together, and scope values that do not exist.

    ## Why is this bad?
    - `scope=` is deprecated from pytest-asyncio 0.24 (use `loop_scope=`), and ignored by 0.21, which runs the
      tests in the `event_loop` fixture's loop whatever the mark says.
    - A positional scope fails collection from 0.24 (it was silently ignored before).
    - `scope=` with `loop_scope=` is an error from 0.24.
    - A value other than function, class, module, package or session fails the test.

    ## Example
    ```python
    pytestmark = pytest.mark.asyncio(scope="module")
    ```

    Use instead:
    ```python
    pytestmark = pytest.mark.asyncio(loop_scope="module")
    ```

    ## Fix safety
    Safe when the project pins pytest-asyncio 0.24 or later (its lock, an `==` pin or a range starting at
    0.24; a version only its environment holds is not enough): `scope=` and a positional scope become
    `loop_scope=`; `scope=` is dropped when `loop_scope=` has the same value. Unsafe when the version is not
    pinned (`loop_scope` does nothing before 0.24). No fix for an invalid value.
    """

    code = "AIO406"
    name = "asyncio-mark-arguments"
    finds = "`scope=`, a positional scope, `scope=` with `loop_scope=`, or an invalid scope on the `asyncio` mark"
    fix_summary = "safe on pinned >= 0.24"
    fix_availability = FixAvailability.SOMETIMES
    triggers = ("asyncio(",)
    file_kinds = frozenset({"test"})

    valid = (
        Example(f"{_HEAD}pytestmark = pytest.mark.asyncio(loop_scope='module')\n"),
        Example(
            f"{_HEAD}pytestmark = pytest.mark.asyncio(scope='module')\n",
            files={"requirements-dev.txt": "pytest==8.0.0\npytest-asyncio==0.23.8\n"},
        ),
    )
    invalid = (
        Example(
            f"{_HEAD}pytestmark = pytest.mark.asyncio(scope='module')\n",
            expected_fix=f"{_HEAD}pytestmark = pytest.mark.asyncio(loop_scope='module')\n",
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio('module')\nasync def test_a():\n    pass\n",
            expected_fix=f"{_HEAD}@pytest.mark.asyncio(loop_scope='module')\nasync def test_a():\n    pass\n",
        ),
        Example(
            f"{_HEAD}@pytest.mark.asyncio(scope='module', loop_scope='module')\nasync def test_a():\n    pass\n",
            expected_fix=f"{_HEAD}@pytest.mark.asyncio(loop_scope='module')\nasync def test_a():\n    pass\n",
        ),
        Example(f"{_HEAD}@pytest.mark.asyncio(loop_scope='sesion')\nasync def test_a():\n    pass\n"),
    )

    def visit_Module(self, node: cst.Module) -> None:
        if self.model.asyncio_evidence is None:
            return
        version = asyncio_version(self.model.versions)
        for mark in self._asyncio_marks():
            problem = self._problem(mark, version)
            if problem is None:
                continue
            message, fix = problem
            self.report(self.ctx.node(mark.key), message, fix=fix)

    def _asyncio_marks(self) -> Iterator[Mark]:
        summary = self.model.summary
        for mark_set in (
            summary.module_marks,
            *(c.marks for c in summary.classes),
            *(f.marks for f in summary.functions),
        ):
            yield from mark_set.named("asyncio")

    def _problem(self, mark: Mark, version: AsyncioVersion) -> tuple[str, NodeFix | None] | None:
        scope = mark.kwarg("scope")
        loop_scope = mark.kwarg("loop_scope")
        modern = version.era is Era.LOOP_SCOPE
        assumed = "" if version.known else f" ({version.described})"
        for keyword, value in (
            ("loop_scope", loop_scope),
            ("scope", scope),
            ("positional", mark.args[0] if mark.args else None),
        ):
            if isinstance(value, str) and value not in SCOPES and version.era is not Era.EVENT_LOOP:
                close = difflib.get_close_matches(value, SCOPES, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                shown = f"`{keyword}={value!r}`" if keyword != "positional" else f"`{value!r}`"
                return (
                    f"{shown} on the asyncio mark is not a scope (function, class, module, package or session): "
                    f"the test fails{hint}",
                    None,
                )
        if mark.args:
            if not modern:
                return (
                    f"a positional argument to the asyncio mark is ignored by {version.described}: the test runs "
                    "in a function loop",
                    None,
                )
            return (
                f"a positional argument to the asyncio mark fails collection from pytest-asyncio 0.24{assumed}; "
                "write it as `loop_scope=`",
                self._fix(mark, version, "positional"),
            )
        if scope is not None and loop_scope is not None:
            if not modern:
                return None
            message = (
                f"the asyncio mark has both `scope=` and `loop_scope=`: an error from pytest-asyncio 0.24{assumed}"
            )
            return message, self._fix(mark, version, "drop") if scope == loop_scope else None
        if scope is not None:
            if version.era is Era.CACHING_SCOPE:
                return None  # `scope=` is the 0.23 spelling
            if version.era is Era.EVENT_LOOP:
                return (
                    f"`scope=` on the asyncio mark is ignored by {version.described}: the tests run in the "
                    "`event_loop` fixture's loop, not a shared one",
                    None,
                )
            return (
                f"`scope=` on the asyncio mark is deprecated from pytest-asyncio 0.24{assumed} "
                "(a PytestDeprecationWarning): write `loop_scope=`",
                self._fix(mark, version, "rename"),
            )
        return None

    def _fix(self, mark: Mark, version: AsyncioVersion, kind: str) -> NodeFix | None:
        call = _call_of(self.ctx.node(mark.key))
        if call is None:
            return None
        args = list(call.args)
        if kind == "rename":
            args = [
                a.with_changes(keyword=cst.Name("loop_scope")) if a.keyword and a.keyword.value == "scope" else a
                for a in args
            ]
        elif kind == "positional":
            positional = [a for a in args if a.keyword is None]
            if len(positional) != 1 or positional[0].star:
                return None
            equal = cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            )
            args = [
                a.with_changes(keyword=cst.Name("loop_scope"), equal=equal) if a is positional[0] else a for a in args
            ]
        else:
            kept = [a for a in args if not (a.keyword and a.keyword.value == "scope")]
            if kept and kept[-1] is not args[-1]:
                kept[-1] = kept[-1].with_changes(comma=args[-1].comma)
            args = kept
        applicability = Applicability.SAFE if version.guaranteed else Applicability.UNSAFE
        return NodeFix("Use `loop_scope=`", applicability, {call: call.with_changes(args=args)})
