"""The edits of a one-line expression fix (an inserted `await`) are spliced into the text instead of rendering
the whole module again: on every corpus project they must be the edits the full render gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import engine
from asynclint.api import CheckOptions, RunResult, check_paths
from asynclint.registry import all_rules

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"
PROJECTS = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def edits(result: RunResult) -> list[tuple[str, int, str, object]]:
    return [
        (found.path, found.line, found.code, found.fix.edits if found.fix is not None else None)
        for found in result.diagnostics
    ]


def lint(project: Path) -> RunResult:
    codes = [rule.code for rule in all_rules()]
    options = CheckOptions(select=codes, jobs=1, no_cache=True, fix_edits=True)
    return check_paths([project], options, cwd=project)


@pytest.mark.parametrize("project", PROJECTS, ids=[path.name for path in PROJECTS])
def test_spliced_edits_are_the_rendered_ones(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = edits(lint(project))
    monkeypatch.setattr(engine, "spliced", lambda *args: None)
    rendered = edits(lint(project))
    assert quick == rendered


def test_the_fast_path_is_taken_for_inserted_awaits(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    fast = engine.spliced

    def counting(*args: object) -> str | None:
        found = fast(*args)  # type: ignore[arg-type]
        taken.append(found is not None)
        return found

    monkeypatch.setattr(engine, "spliced", counting)
    lint(CORPUS / "missing_await")
    assert sum(taken) >= 10
