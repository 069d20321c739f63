"""The edits of a fix are rendered where the fix changes the module (the one line of an inserted `await`, the
top-level statements it rewrites, the imports it adds), not by rendering the whole module again: on every
corpus project and on odd inputs they must make the text the full render makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import engine
from asynclint.api import CheckOptions, RunResult, check_paths
from asynclint.diagnostics import TextEdit
from asynclint.registry import all_rules
from tests.helpers import write_project

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"
PROJECTS = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def applied(text: str, edits: tuple[TextEdit, ...]) -> str:
    """`text` with the edits made (lines as `str.splitlines` counts them, as edits do)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return (starts[line - 1] if line <= len(starts) else len(text)) + column - 1

    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        text = text[: offset(edit.line, edit.column)] + edit.content + text[offset(edit.end_line, edit.end_column) :]
    return text


def fixed_texts(result: RunResult, root: Path) -> list[tuple[str, int, str, str, str]]:
    """For every finding with a fix: where it is, the fix's title and the file's text after its edits."""
    found = []
    for diagnostic in result.diagnostics:
        if diagnostic.fix is None or not diagnostic.path.endswith(".py"):
            continue
        text = (root / diagnostic.path).read_bytes().decode("utf-8", errors="replace")
        found.append(
            (
                diagnostic.path,
                diagnostic.line,
                diagnostic.code,
                diagnostic.fix.title,
                applied(text, diagnostic.fix.edits),
            )
        )
    return found


def lint(project: Path) -> RunResult:
    codes = [rule.code for rule in all_rules()]
    options = CheckOptions(select=codes, jobs=1, no_cache=True, fix_edits=True)
    return check_paths([project], options, cwd=project)


def both_ways(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[object]]:
    quick = fixed_texts(lint(project), project)
    monkeypatch.setattr(engine, "FAST_EDITS", False)
    rendered = fixed_texts(lint(project), project)
    monkeypatch.setattr(engine, "FAST_EDITS", True)
    return list(quick), list(rendered)


@pytest.mark.parametrize("project", PROJECTS, ids=[path.name for path in PROJECTS])
def test_fast_edits_make_the_rendered_text(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick, rendered = both_ways(project, monkeypatch)
    assert quick == rendered


@pytest.mark.parametrize(
    "source",
    [
        # No newline at the end: the last statement's text is not what rendering it gives.
        "import pytest\nimport asyncio\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    asyncio.sleep(0)",
        # A form feed (lines counted differently by LibCST and by `splitlines`), and Windows line ends.
        "import asyncio\n\x0c\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    asyncio.sleep(0)\n",
        "import asyncio\r\nimport pytest\r\n\r\n\r\n@pytest.mark.asyncio\r\n"
        "async def test_a():\r\n    asyncio.sleep(0)\r\n",
        # Fixes that add an import next to the statement they rewrite, and inside a class.
        "import pytest\n@pytest.fixture\nasync def client():\n    yield 1\n\n\n"
        "@pytest.mark.asyncio\nasync def test_a(client):\n    pass\n",
        "import asyncio\n\nimport pytest\n\n\nclass TestA:\n    @pytest.fixture\n    async def client(self):\n"
        "        yield 1\n\n    @pytest.mark.asyncio\n    async def test_a(self, client):\n        asyncio.sleep(0)\n",
        # A misspelled mark and a mark on a sync test: statements rewritten, not expressions.
        "import pytest\n\n\n@pytest.mark.asyncios\nasync def test_a():\n    pass\n\n\n"
        "@pytest.mark.asyncio\ndef test_b():\n    pass\n",
    ],
)
def test_fast_edits_on_odd_modules(tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'strict'\n",
            "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.2.0\n",
        },
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_odd.py").write_bytes(source.encode())
    quick, rendered = both_ways(tmp_path, monkeypatch)
    assert quick, "no fixable finding"
    assert quick == rendered


def test_the_module_is_rendered_whole_for_few_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most fixes of the corpus are rendered where they change the module."""
    whole: list[object] = []
    render = engine.apply_fixes

    def counting(*args: object) -> object:
        whole.append(args)
        return render(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "apply_fixes", counting)
    result = lint(CORPUS / "missing_await")
    fixable = sum(1 for diagnostic in result.diagnostics if diagnostic.fix is not None)
    assert fixable >= 80
    assert len(whole) <= fixable // 10
