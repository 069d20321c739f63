"""Names defined through themselves: a parameter's annotation is read where the function is defined (so
`mock: mock.MagicMock` names the module, not the parameter), and no binding that refers to itself (`x: x.y`,
`x = x.y()`, `with x.open() as x`) can send the await analysis round in circles."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.2.0\n",
}


def findings(root: Path, source: str) -> list[tuple[int, str]]:
    write_project(root, {**PROJECT, "test_names.py": source})
    result = run([root], cwd=root)
    assert not result.internal_errors, result.internal_errors
    return sorted((d.line, d.code) for d in result.diagnostics)


def test_a_parameter_annotated_with_its_own_name(tmp_path: Path) -> None:
    source = (
        "import os\nfrom unittest import mock\n\nimport pytest\n\n\n"
        "@pytest.mark.asyncio\n"
        '@mock.patch.object(os, "getcwd", return_value="/")\n'
        "async def test_patched(mock: mock.MagicMock):\n"
        "    os.getcwd()\n"
        "    mock.assert_called_once()\n"
    )
    assert findings(tmp_path, source) == []


def test_the_annotation_names_the_module_not_the_parameter(tmp_path: Path) -> None:
    source = (
        "from unittest import mock\n\nimport pytest\n\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_mock(mock: mock.AsyncMock):\n"
        "    mock()\n"
        "    mock.assert_called_once()\n"
    )
    assert findings(tmp_path, source) == [(8, "AIO201"), (9, "AIO204")]


def test_the_annotation_is_not_read_in_the_function_body(tmp_path: Path) -> None:
    """`Client` in the annotation is the module's class, whatever the body later binds to that name."""
    source = (
        "import pytest\n\n\nclass Client:\n    async def fetch(self):\n        return 1\n\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_fetch(client: Client):\n"
        "    Client = object\n"
        "    client.fetch()\n"
        "    assert Client\n"
    )
    assert findings(tmp_path, source) == [(12, "AIO201")]


def test_bindings_defined_through_themselves(tmp_path: Path) -> None:
    source = (
        "import pytest\n\n\n"
        "client = client.Client()\n"
        "first = second\n"
        "second = first.make()\n\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_names(x: x.y):\n"
        "    x: x.y\n"
        "    x = x.y\n"
        "    x = x.y()\n"
        "    x.assert_called_once()\n"
        "    with opener.open() as opener:\n"
        "        opener.read()\n"
        "    y: 'y.Z' = y.make()\n"
        "    y.go()\n"
        "    a = b()\n"
        "    b = a()\n"
        "    b.assert_called()\n"
        "    client.get()\n"
        "    second.assert_called()\n"
        "    await x.go()\n"
    )
    assert findings(tmp_path, source) == []


NAMES = st.sampled_from(["x", "y", "mock"])


@st.composite
def self_referential_programs(draw: st.DrawFn) -> str:
    """A module whose functions bind names through themselves and through each other, then use them."""

    def expr() -> str:
        head, attr = draw(NAMES), draw(st.sampled_from(["y", "T", "AsyncMock", "open"]))
        return draw(st.sampled_from([f"{head}.{attr}", f"{head}.{attr}()", head, f"{head}()"]))

    def annotation() -> str:
        written = f"{draw(NAMES)}.{draw(st.sampled_from(['y', 'T', 'AsyncMock']))}"
        return draw(st.sampled_from([written, repr(written)]))

    def statement(is_async: bool) -> str:
        name = draw(NAMES)
        forms = [
            f"{name}: {annotation()}",
            f"{name}: {annotation()} = {expr()}",
            f"{name} = {expr()}",
            f"with {expr()} as {name}:\n        pass",
            f"{name}.assert_called_once()",
            f"{name}()",
            f"assert {name}.y()",
        ]
        if is_async:
            forms += [f"async with {expr()} as {name}:\n        pass", f"await {name}.open()"]
        return draw(st.sampled_from(forms))

    header = draw(st.sampled_from(["", "from unittest import mock\n", "import x\nimport y\n"]))
    module_level = [f"{draw(NAMES)} = {expr()}" for _ in range(draw(st.integers(0, 2)))]
    functions = []
    for index in range(draw(st.integers(1, 3))):
        params = ", ".join(f"{name}: {annotation()}" for name in draw(st.lists(NAMES, max_size=3, unique=True)))
        is_async = draw(st.booleans())
        body = "\n    ".join(statement(is_async) for _ in range(draw(st.integers(1, 6))))
        decorator = draw(st.sampled_from(["@pytest.mark.asyncio\n", "@pytest.fixture\n", ""]))
        kind = "async def" if is_async else "def"
        functions.append(f"{decorator}{kind} test_{index}({params}):\n    {body}\n")
    return "import pytest\n" + header + "\n".join(module_level) + "\n\n\n" + "\n\n".join(functions)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(self_referential_programs())
def test_self_referential_names_never_crash(source: str) -> None:
    compile(source, "test_names.py", "exec")  # the programs are valid Python
    with tempfile.TemporaryDirectory() as directory:
        findings(Path(directory), source)
