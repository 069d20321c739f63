"""AIO002 `unused-noqa`, driven as users drive it: real projects in temporary folders, the real command.

What a user relies on: it is off until selected; it judges only asynclint's codes, and only those whose rules
all ran; it never reports a comment that suppresses something (after `--fix`, on what remains); its fix takes
out the unused codes and nothing else, so the findings a file reports are the same before and after it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.diagnostics import Applicability, Diagnostic, TextEdit
from tests.helpers import python_parses, run, run_asynclint, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
HEAD = "import asyncio\n\nimport pytest\n\n\n"
#: An async test pytest-asyncio runs (no AIO101), with a noqa for AIO101 left over from before it was marked.
MARKED = HEAD + "@pytest.mark.asyncio\nasync def test_fetch():  # noqa: AIO101\n    pass\n"


def aio002(output: str) -> list[str]:
    return [line for line in output.splitlines() if " AIO002 " in line]


def test_off_by_default_and_on_with_extend_select(tmp_path: Path) -> None:
    write_project(tmp_path, {**PROJECT, "test_a.py": MARKED})
    assert run_asynclint(tmp_path, "test_a.py").returncode == 0
    result = run_asynclint(tmp_path, "--extend-select", "AIO002", "test_a.py")
    assert result.returncode == 1
    assert aio002(result.stdout) == [
        "test_a.py:7:26: AIO002 [*] unused `# noqa` directive: `AIO101` suppresses nothing on this line"
    ]
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nextend-select = ["AIO002"]\n', encoding="utf-8")
    assert len(aio002(run_asynclint(tmp_path, "test_a.py").stdout)) == 1
    assert len(aio002(run_asynclint(tmp_path, "--select", "ALL", "test_a.py").stdout)) == 1


def test_never_cries_wolf(tmp_path: Path) -> None:
    """Comments that serve another linter, every linter, or a finding that is there are not reported."""
    source = (
        "# asynclint: noqa: AIO201\n"  # used by the unawaited sleep below
        + HEAD
        + "async def test_unmarked():  # noqa: AIO101\n    asyncio.sleep(1)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_other_linters():  # noqa: E501, W291\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_bare():  # noqa\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_kept_on_purpose():  # noqa: AIO101, AIO002\n    pass\n\n\n"
        "async def test_by_prefix():  # NOQA:aio1\n    pass\n\n\n"
        "x = '''# noqa: AIO101'''\n"
    )
    # A bare file-wide directive silences everything, AIO002 included.
    write_project(tmp_path, {**PROJECT, "test_a.py": source, "test_b.py": "# asynclint: noqa\n" + MARKED})
    for selection in (["--extend-select", "AIO002"], ["--select", "ALL"]):
        result = run_asynclint(tmp_path, *selection, ".")
        assert result.returncode == 0, result.stdout


def test_only_codes_whose_rules_all_ran_are_judged(tmp_path: Path) -> None:
    source = (
        HEAD + "@pytest.mark.asyncio\nasync def test_a():  # noqa: AIO201\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_b():  # noqa: AIO2\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_c():  # noqa: AIO999, E501\n    pass\n"
    )
    write_project(tmp_path, {**PROJECT, "test_a.py": source})

    def reported(*args: str) -> list[str]:
        return [line.split(": ", 1)[1] for line in aio002(run_asynclint(tmp_path, *args, "test_a.py").stdout)]

    unknown = "AIO002 [*] unused `# noqa` directive: `AIO999` is not an asynclint code"
    unused_201 = "AIO002 [*] unused `# noqa` directive: `AIO201` suppresses nothing on this line"
    unused_2 = "AIO002 [*] unused `# noqa` directive: `AIO2` suppresses nothing on this line"
    # AIO201 did not run: its code may be in use. An unknown code is reported whatever ran.
    assert reported("--select", "AIO101,AIO002") == [unknown]
    # AIO2 also names AIO205, off by default: judged only once it runs too.
    assert reported("--extend-select", "AIO002") == [unused_201, unknown]
    assert reported("--extend-select", "AIO002,AIO205") == [unused_201, unused_2, unknown]
    # A rule ignored for this file did not run there.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.asynclint.per-file-ignores]\n"test_a.py" = ["AIO201"]\n', encoding="utf-8"
    )
    assert reported("--extend-select", "AIO002") == [unknown]


def test_file_wide_directive_is_judged_against_the_whole_file(tmp_path: Path) -> None:
    source = (
        "# asynclint: noqa: AIO201, AIO101\n"
        "# asynclint: noqa: AIO203\n" + HEAD + "async def test_unmarked():\n    pass\n"
    )
    write_project(tmp_path, {**PROJECT, "test_a.py": source})
    result = run_asynclint(tmp_path, "--extend-select", "AIO002", "test_a.py")
    assert aio002(result.stdout) == [
        "test_a.py:1:1: AIO002 [*] unused `# asynclint: noqa` directive: `AIO201` suppresses nothing in this file",
        "test_a.py:2:1: AIO002 [*] unused `# asynclint: noqa` directive: `AIO203` suppresses nothing in this file",
    ]
    fixed = run_asynclint(tmp_path, "--extend-select", "AIO002", "--fix", "test_a.py")
    assert fixed.returncode == 0, fixed.stdout
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == (
        "# asynclint: noqa: AIO101\n" + HEAD + "async def test_unmarked():\n    pass\n"
    )


def test_judged_on_what_the_file_reports_after_the_other_fixes(tmp_path: Path) -> None:
    """The plain-decorated async fixture reaches the sync test as a coroutine (AIO302, suppressed); fixing the
    fixture's decorator (AIO301) makes the `noqa` unused, and the same run removes it."""
    fixture = "@pytest.fixture\nasync def token():\n    return 1\n\n\n"
    source = HEAD + fixture + "def test_token(token):  # noqa: AIO302  # flaky\n    assert token\n"
    write_project(tmp_path, {**PROJECT, "test_a.py": source})
    assert aio002(run_asynclint(tmp_path, "--extend-select", "AIO002", "test_a.py").stdout) == []
    fixed = run_asynclint(tmp_path, "--extend-select", "AIO002", "--fix", "--show-fixes", "test_a.py")
    assert fixed.returncode == 0, fixed.stdout
    assert "    1 AIO002\n" in fixed.stdout and "    1 AIO301\n" in fixed.stdout
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == (
        "import asyncio\n\nimport pytest_asyncio\n\n\n"
        + fixture.replace("@pytest.fixture", "@pytest_asyncio.fixture")
        + "def test_token(token):  # flaky\n    assert token\n"
    )


def test_fix_keeps_other_codes_and_comments_and_diff_shows_it(tmp_path: Path) -> None:
    source = (
        HEAD + "@pytest.mark.asyncio\nasync def test_a():  # noqa: AIO101, E501  # why\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_b():  # type: ignore  # noqa: AIO101, AIO998\n    pass\n\n\n"
        "# noqa: AIO101\n"
        "@pytest.mark.asyncio\nasync def test_c():\n    pass\n"
    )
    expected = (
        HEAD + "@pytest.mark.asyncio\nasync def test_a():  # noqa: E501  # why\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_b():  # type: ignore\n    pass\n\n\n"
        "@pytest.mark.asyncio\nasync def test_c():\n    pass\n"
    )
    write_project(tmp_path, {**PROJECT, "test_a.py": source})
    report = run_asynclint(tmp_path, "--extend-select", "AIO002", "test_a.py")
    assert "`AIO101` suppresses nothing on this line; `AIO998` is not an asynclint code" in report.stdout
    diff = run_asynclint(tmp_path, "--extend-select", "AIO002", "--diff", "test_a.py")
    assert diff.returncode == 1
    assert (
        "-async def test_a():  # noqa: AIO101, E501  # why\n+async def test_a():  # noqa: E501  # why\n" in diff.stdout
    )
    assert "-# noqa: AIO101\n" in diff.stdout
    listed = json.loads(run_asynclint(tmp_path, "--extend-select", "AIO002", "--format", "json", "test_a.py").stdout)
    found = [d for d in listed if d["code"] == "AIO002"]
    assert [d["fix"]["title"] for d in found] == [
        "Remove `AIO101` from the `noqa` directive",
        "Remove the `noqa` directive",
        "Remove the `noqa` directive",
    ]
    edits = [TextEdit(**edit) for d in found for edit in d["fix"]["edits"]]
    assert apply_text_edits(source, edits) == expected
    assert run_asynclint(tmp_path, "--extend-select", "AIO002", "--fix", "test_a.py").returncode == 0
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == expected


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    source = MARKED.replace("\n", "\r\n").encode("utf-8-sig")
    write_project(tmp_path, PROJECT)
    (tmp_path / "test_a.py").write_bytes(source)
    assert run_asynclint(tmp_path, "--extend-select", "AIO002", "--fix", "test_a.py").returncode == 0
    assert (tmp_path / "test_a.py").read_bytes() == source.replace(b"  # noqa: AIO101", b"")


def apply_text_edits(text: str, edits: list[TextEdit]) -> str:
    """Edits as a JSON reader applies them: 1-based lines and columns, end exclusive."""
    lines = io.StringIO(text).readlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if line <= len(lines) else len(text)

    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        text = text[: offset(edit.line, edit.column)] + edit.content + text[offset(edit.end_line, edit.end_column) :]
    return text


COMMENTS = st.sampled_from(
    [
        "",
        "  # keep",
        "  # noqa",
        "  # noqa: AIO101",
        "  # noqa: AIO101, E501",
        "  # noqa: AIO201  # why",
        "  # noqa:AIO999,AIO102",
        "  # noqa: AIO1",
        "  # type: ignore  # noqa: AIO105 -- flaky",
        "  # noqa: AIO201, AIO002",
    ]
)


@st.composite
def modules(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(["", "# asynclint: noqa: AIO201\n", "# asynclint: noqa: AIO101, AIO7\n"])), HEAD]
    for index in range(draw(st.integers(1, 4))):
        mark = draw(st.sampled_from(["", "@pytest.mark.asyncio", "@pytest.mark.asycnio"]))
        if mark:
            parts.append(mark + draw(COMMENTS) + "\n")
        if draw(st.booleans()):
            parts.append("# noqa: AIO101\n")
        is_async = draw(st.booleans())
        parts.append(f"{'async ' if is_async else ''}def test_{index}():{draw(COMMENTS)}\n")
        body = draw(
            st.sampled_from(["pass", "asyncio.sleep(0)" if is_async else "pass", "x = '''\n# noqa: AIO101\n'''"])
        )
        parts.append(f"    {body}{draw(COMMENTS)}\n\n\n")
    return "".join(parts).rstrip("\n") + "\n"


def _others(diagnostics: list[Diagnostic]) -> Counter[tuple[str, str]]:
    return Counter((d.code, d.message) for d in diagnostics if d.code != "AIO002")


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_removing_unused_codes_changes_nothing_else(source: str) -> None:
    """For any file: applying AIO002's edits leaves every other finding as it was (nothing it removes was in
    use) and no AIO002; `--fix` ends with no AIO002, code that parses, and nothing left to fix."""
    assert python_parses(source.encode())
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), {**PROJECT, "test_gen.py": source})
        target = root / "test_gen.py"
        before = run([root], cwd=root).diagnostics
        edits = [edit for d in before if d.code == "AIO002" and d.fix is not None for edit in d.fix.edits]
        assert all(
            d.fix is not None and d.fix.applicability is Applicability.SAFE for d in before if d.code == "AIO002"
        )
        target.write_text(apply_text_edits(source, edits), encoding="utf-8")
        after = run([root], cwd=root).diagnostics
        assert [d for d in after if d.code == "AIO002"] == []
        assert _others(after) == _others(before)

        target.write_text(source, encoding="utf-8")
        first = run([root], cwd=root, fix=Applicability.SAFE)
        assert not first.internal_errors, first.internal_errors
        fixed = target.read_text(encoding="utf-8")
        assert python_parses(fixed.encode())
        cst.parse_module(fixed)
        assert [d for d in first.diagnostics if d.code == "AIO002"] == []
        second = run([root], cwd=root, fix=Applicability.SAFE)
        assert second.fixed == 0
        assert target.read_text(encoding="utf-8") == fixed


def test_silent_where_the_rules_could_not_know(tmp_path: Path) -> None:
    """A rule that stays silent because it cannot know (the mode passed on a command line asynclint does not
    see, a package it cannot read without the project's environment) may be silent only here: the `noqa` that
    silences it where asynclint sees more is not called unused."""
    unknown_mode = write_project(
        tmp_path / "mode",
        {
            **PROJECT,
            "tox.ini": "[testenv]\ncommands = pytest --asyncio-mode=auto\n",
            "test_a.py": HEAD + "async def test_fetch():  # noqa: AIO101\n    pass\n",
        },
    )
    assert run_asynclint(unknown_mode, "--extend-select", "AIO002", ".").returncode == 0
    no_environment = write_project(
        tmp_path / "env",
        {
            **PROJECT,
            "test_b.py": HEAD + "from driver import connect\n\n\n"
            "@pytest.mark.asyncio\nasync def test_connect():\n    connect()  # noqa: AIO201\n",
        },
    )
    # As a user runs it: no virtual environment active (this suite's own would stand in for the project's).
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--no-cache", "--extend-select", "AIO002", "."],
        cwd=no_environment,
        env={key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout
    assert "calls into installed packages such as `driver` were not checked" in result.stderr
    # With nothing withheld, the same comment is judged.
    known = write_project(
        tmp_path / "known",
        {**PROJECT, "test_c.py": HEAD + "@pytest.mark.asyncio\nasync def test_sleep():\n    pass  # noqa: AIO201\n"},
    )
    assert len(aio002(run_asynclint(known, "--extend-select", "AIO002", ".").stdout)) == 1
