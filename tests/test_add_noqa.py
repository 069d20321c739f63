"""`asynclint check --add-noqa`, driven as users drive it: real projects in temporary folders, the real command.

What a user adopting asynclint relies on: every finding that a comment can silence gets one, merged into the
line's `# noqa` when there is one; nothing else in the file changes and it still parses; the next check is
clean; what could not be silenced is counted, with why; and only files inside the given paths are written.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
import tokenize
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.add_noqa import add_noqa
from tests.helpers import python_parses, run, run_asynclint, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
HEAD = "import asyncio\nimport time\n\nimport pytest\n\n\n"


def test_adds_merges_and_the_next_check_is_clean(tmp_path: Path) -> None:
    source = (
        HEAD + "async def test_one(event_loop):  # noqa: E501\n    time.sleep(1); asyncio.sleep(1)  # keep\n\n\n"
        "@pytest.fixture\n@pytest.mark.slow\ndef fx():   \n    return 1\n\n\n"
        "async def test_two():  # noqa:W291\n    pass\n"
    )
    expected = (
        HEAD + "async def test_one(event_loop):  # noqa: E501, AIO101, AIO405\n"
        "    time.sleep(1); asyncio.sleep(1)  # keep  # noqa: AIO201, AIO502\n\n\n"
        "@pytest.fixture\n@pytest.mark.slow  # noqa: AIO303\ndef fx():   \n    return 1\n\n\n"
        "async def test_two():  # noqa:W291, AIO101\n    pass\n"
    )
    write_project(tmp_path, {**PROJECT, "tests/test_a.py": source})
    assert run_asynclint(tmp_path, "tests").returncode == 1
    result = run_asynclint(tmp_path, "--add-noqa", "tests")
    assert (result.returncode, result.stdout) == (0, "Added 4 noqa directives.\n"), result.stderr
    assert (tmp_path / "tests" / "test_a.py").read_text(encoding="utf-8") == expected
    again = run_asynclint(tmp_path, "tests")
    assert (again.returncode, again.stdout) == (0, "All checks passed!\n")
    # Every directive it wrote is in use: AIO002 has nothing to say either.
    assert run_asynclint(tmp_path, "--extend-select", "AIO002", "tests").returncode == 0
    assert run_asynclint(tmp_path, "--add-noqa", "tests").stdout == "Added 0 noqa directives.\n"


def test_lines_a_comment_cannot_end_are_counted_and_left_alone(tmp_path: Path) -> None:
    source = (
        HEAD + "@pytest.mark.asyncio\nasync def test_one():\n    asyncio.sleep('''\n    ''')\n\n\n"
        "async \\\n        def test_two():\n    pass\n\n\n"
        "async def test_three():\n    pass\n"
    )
    write_project(tmp_path, {**PROJECT, "test_a.py": source})
    result = run_asynclint(tmp_path, "--add-noqa", ".")
    assert result.returncode == 0
    assert result.stdout == (
        "Added 1 noqa directive.\n"
        "Not added for 2 findings: 1 on a line continued with a backslash, "
        "1 on a line that ends inside a multi-line string.\n"
    )
    after = (tmp_path / "test_a.py").read_text(encoding="utf-8")
    assert after == source.replace("def test_three():", "def test_three():  # noqa: AIO101")
    remaining = run_asynclint(tmp_path, ".").stdout
    assert "test_a.py:9:5: AIO201" in remaining and "test_a.py:13:1: AIO101" in remaining


def test_what_no_comment_can_silence_is_skipped_and_counted(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "requirements.txt": PROJECT["requirements.txt"],
            "test_broken.py": "async def test_fetch(:\n    pass\n",
            "test_ok.py": "async def test_fetch():\n    pass\n",
        },
    )
    result = run_asynclint(tmp_path, "--add-noqa", ".")
    assert result.returncode == 0
    assert result.stdout == (
        "Added 1 noqa directive.\n"
        "Skipped 2 findings a `# noqa` comment cannot silence: 1 AIO001 (a file that cannot be parsed or read), "
        "1 in a pytest config file (use --ignore or per-file-ignores).\n"
    )
    assert (tmp_path / "test_broken.py").read_text(encoding="utf-8") == "async def test_fetch(:\n    pass\n"
    assert (tmp_path / "pytest.ini").read_text(encoding="utf-8") == "[pytest]\n"
    remaining = run_asynclint(tmp_path, ".").stdout
    assert " AIO001 " in remaining and " AIO602 " in remaining and " AIO101 " not in remaining


@pytest.mark.parametrize(
    ("flag", "other"),
    [("--fix", "--fix"), ("--diff", "--diff"), ("--fix-only", "--fix-only"), ("--statistics", "--statistics")],
)
def test_conflicting_flags(tmp_path: Path, flag: str, other: str) -> None:
    write_project(tmp_path, {**PROJECT, "test_a.py": "async def test_fetch():\n    pass\n"})
    result = run_asynclint(tmp_path, "--add-noqa", flag, ".")
    assert result.returncode == 2
    assert result.stderr.startswith(f"asynclint: error: --add-noqa and {other} cannot be used together")
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == "async def test_fetch():\n    pass\n"


def test_refuses_standard_input(tmp_path: Path) -> None:
    write_project(tmp_path, PROJECT)
    result = run_asynclint(
        tmp_path, "--add-noqa", "--stdin-filename", "test_a.py", "-", stdin="async def test_fetch():\n    pass\n"
    )
    assert result.returncode == 2
    assert "--add-noqa and `-` (standard input) cannot be used together" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_writes_only_inside_the_paths_given(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "test_shared.py"
    write_project(tmp_path / "outside", {**PROJECT, "test_shared.py": "async def test_shared():\n    pass\n"})
    project = write_project(tmp_path / "project", {**PROJECT, "tests/test_own.py": "async def test_own():\n    pass\n"})
    os.symlink(outside, project / "tests" / "test_link.py")
    result = run_asynclint(project, "--add-noqa", "tests")
    assert result.returncode == 0
    assert result.stdout == "Added 1 noqa directive.\nNot added for 1 finding: 1 in a file outside the paths given.\n"
    assert outside.read_text(encoding="utf-8") == "async def test_shared():\n    pass\n"
    assert (project / "tests" / "test_own.py").read_text(encoding="utf-8").startswith("async def test_own():  # noqa")


def test_keeps_encoding_line_endings_and_mode(tmp_path: Path) -> None:
    write_project(tmp_path, PROJECT)
    crlf = tmp_path / "test_crlf.py"
    crlf.write_bytes("async def test_é():\r\n    pass\r\n".encode("utf-8-sig"))
    latin = tmp_path / "test_latin.py"
    latin.write_bytes("# -*- coding: latin-1 -*-\nasync def test_fetch():\n    x = 'é'\n".encode("latin-1"))
    latin.chmod(0o750)
    assert run_asynclint(tmp_path, "--add-noqa", ".").stdout == "Added 2 noqa directives.\n"
    assert crlf.read_bytes() == "async def test_é():  # noqa: AIO101\r\n    pass\r\n".encode("utf-8-sig")
    assert latin.read_bytes() == (
        "# -*- coding: latin-1 -*-\nasync def test_fetch():  # noqa: AIO101\n    x = 'é'\n".encode("latin-1")
    )
    assert stat.S_IMODE(latin.stat().st_mode) == 0o750
    assert run_asynclint(tmp_path, ".").returncode == 0


COMMENTS = st.sampled_from(["", "  # keep", "  # noqa: E501", "  # noqa: AIO101", "  # noqa:AIO999,E501  # why"])
BODIES = st.sampled_from(
    [
        "pass",
        "asyncio.sleep(0){comment}",
        "time.sleep(1){comment}",
        "x = asyncio.sleep('''\n    '''){comment}",
        "asyncio.get_event_loop(){comment}",
        "return 1{comment}",
    ]
)


@st.composite
def modules(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(["", "# asynclint: noqa: AIO502\n"])), HEAD]
    for index in range(draw(st.integers(1, 4))):
        for mark in draw(st.lists(st.sampled_from(["asyncio", "asycnio", "slow"]), max_size=2, unique=True)):
            parts.append(f"@pytest.mark.{mark}{draw(COMMENTS)}\n")
        fixture = draw(st.booleans())
        if fixture:
            parts.append("@pytest.fixture\n")
        prefix = draw(st.sampled_from(["", "async ", "async \\\n    "]))
        arguments = draw(st.sampled_from(["", "event_loop"]))
        parts.append(f"{prefix}def {'fx' if fixture else 'test'}_{index}({arguments}):{draw(COMMENTS)}\n")
        body = draw(BODIES).format(comment=draw(COMMENTS))
        parts.append(f"    {body}\n\n\n")
    return "".join(parts).rstrip("\n") + "\n"


def _code_tokens(source: str) -> list[tuple[int, str]]:
    """The tokens of the source but its comments (and line-end whitespace, which is in no token)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(token.type, token.string) for token in tokens if token.type != tokenize.COMMENT]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_after_adding_noqa_only_what_was_counted_remains(source: str) -> None:
    """For any file (with every rule on, AIO002 included): the code is unchanged but for comments, it parses,
    and the next check reports exactly the findings counted as not added or skipped."""
    assert python_parses(source.encode())
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), {**PROJECT, "test_gen.py": source})
        before = run([root], cwd=root)
        outcome = add_noqa(before.diagnostics, [root], root)
        after = (root / "test_gen.py").read_text(encoding="utf-8")
        assert python_parses(after.encode())
        cst.parse_module(after)
        assert _code_tokens(after) == _code_tokens(source)
        remaining = run([root], cwd=root).diagnostics
        left = sum(outcome.not_added.values()) + sum(outcome.skipped.values())
        assert len(remaining) == left, (outcome, remaining)
        assert outcome.added == len({(d.path, d.line) for d in before.diagnostics}) - len(
            {(d.path, d.line) for d in remaining}
        )
