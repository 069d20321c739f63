"""Property tests for the missing-await fixes: on generated async tests that use coroutines in every way a
test can, `--fix` parses, converges, leaves no AIO201/AIO202 behind, and only ever adds `await` (and the
parentheses it needs): removing them gives back the original code."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.diagnostics import Applicability
from tests.helpers import run, write_project

APP = "async def fetch(key=0):\n    return {'key': key, 'items': [1]}\n\n\nasync def fail():\n    raise KeyError\n"
#: Ways a test uses a coroutine call (`{call}`), all of them mistakes without `await`.
USES = [
    "{call}",
    "assert {call}",
    "assert not {call}",
    "assert {call} == {{'key': 0}}",
    "assert {call}['key'] == 0",
    "assert {call}.get('key') == 0",
    "print({call})",
    "for item in {call}['items']:\n        assert item",
    "if {call}:\n        pass",
    "value = {call}\n    assert value['key'] == 0",
    "unused = {call}",
    "with pytest.raises(KeyError):\n        fail()",
]
#: Uses that are right as they are, and must stay untouched.
FINE = [
    "await {call}",
    "assert (await {call})['key'] == 0",
    "task = asyncio.create_task({call})\n    await task",
    "await asyncio.gather({call}, {call})",
    "callback = lambda: {call}\n    callback().close()",
]
CALLS = st.sampled_from(["fetch()", "fetch(1)", "asyncio.sleep(0)", "client.fetch()"])


@st.composite
def async_test_functions(draw: st.DrawFn, index: int) -> str:
    lines = [f"@pytest.mark.asyncio\nasync def test_{index}():", "    client = Client()"]
    for _ in range(draw(st.integers(1, 4))):
        template = draw(st.sampled_from(USES + FINE))
        call = draw(CALLS)
        if "['" in template or ".get(" in template or "== {" in template:
            call = draw(st.sampled_from(["fetch()", "client.fetch()"]))
        lines.append("    " + template.format(call=call))
    return "\n".join(lines) + "\n"


@st.composite
def modules(draw: st.DrawFn) -> str:
    header = (
        "import asyncio\n\nimport pytest\n\nfrom app import fail, fetch\n\n\n"
        "class Client:\n    async def fetch(self):\n        return {'key': 0, 'items': [1]}\n"
    )
    return header + "".join("\n\n" + draw(async_test_functions(index)) for index in range(draw(st.integers(1, 3))))


PROJECT = {
    "pytest.ini": "[pytest]\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "app.py": APP,
}


def without_awaits(source: str) -> str:
    """The code with every `await` the fix may have added taken out again (and the parentheses it needed)."""
    source = re.sub(r"\(await ([^()]*\([^()]*\))\)(?=[\[.(])", r"\1", source)
    return source.replace("await ", "")


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_await_fixes(source: str) -> None:
    cst.parse_module(source)
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), {**PROJECT, "tests/test_generated.py": source})
        target = root / "tests" / "test_generated.py"
        select = ["AIO201", "AIO202"]
        before = run([root], cwd=root, select=select)
        first = run([root], cwd=root, fix=Applicability.SAFE, select=select)
        assert not first.internal_errors, first.internal_errors
        fixed = target.read_text(encoding="utf-8")
        cst.parse_module(fixed)
        assert first.diagnostics == [], first.diagnostics
        assert fixed.count("await ") - source.count("await ") == len(before.diagnostics)
        assert without_awaits(fixed) == without_awaits(source)
        second = run([root], cwd=root, fix=Applicability.SAFE, select=select)
        assert second.fixed == 0
        assert target.read_text(encoding="utf-8") == fixed
