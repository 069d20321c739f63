"""AIO408: event-loop-policy-override."""

from __future__ import annotations

import libcst as cst

from asynclint.diagnostics import FixAvailability
from asynclint.model.loops import asyncio_version
from asynclint.rule import Example, Rule

_HEAD = "import asyncio\n\nimport pytest\n\n\n"
_POLICY = "def event_loop_policy():\n    return asyncio.DefaultEventLoopPolicy()\n"


class EventLoopPolicyOverride(Rule):
    """
    ## What it does
    Finds user-defined `event_loop_policy` fixtures, when the project uses pytest-asyncio 1.4 or later (or does
    not pin it).

    ## Why is this bad?
    pytest-asyncio 1.4 deprecated overriding `event_loop_policy` (a PytestDeprecationWarning says to use the
    `pytest_asyncio_loop_factories` hook), and asyncio's policy system itself is deprecated from Python 3.14.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def event_loop_policy():
        return uvloop.EventLoopPolicy()
    ```

    Use instead: a `pytest_asyncio_loop_factories` hook in conftest.py returning the loop factories to use.

    ## Fix safety
    No automatic fix.
    """

    code = "AIO408"
    name = "event-loop-policy-override"
    finds = "a user-defined `event_loop_policy` fixture (deprecated from 1.4)"
    fix_availability = FixAvailability.NONE
    triggers = ("event_loop_policy",)
    file_kinds = frozenset({"test", "conftest"})

    valid = (
        Example(
            f"{_HEAD}@pytest.fixture(scope='session')\n{_POLICY}",
            files={"requirements-dev.txt": "pytest==8.3.5\npytest-asyncio==0.24.0\n"},
        ),
    )
    invalid = (Example(f"{_HEAD}@pytest.fixture(scope='session')\n{_POLICY}", filename="conftest.py"),)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.ctx.function(node)
        fixture = function.fixture if function is not None else None
        if fixture is None or fixture.name != "event_loop_policy" or self.model.asyncio_evidence is None:
            return
        version = asyncio_version(self.model.versions)
        if version.at_least("1.4") is False:
            return
        assumed = "" if version.known else f" ({version.described})"
        message = (
            f"overriding `event_loop_policy` is deprecated from pytest-asyncio 1.4{assumed}, which warns "
            '"Use the pytest_asyncio_loop_factories hook"; provide the loop through that hook instead'
        )
        self.report_function(node, message)
