"""Linting in worker processes gives exactly what linting in one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import api
from asynclint.api import CheckOptions, check_paths

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus"


def test_workers_find_the_same_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    select = ["AIO"]
    alone = check_paths([CORPUS], CheckOptions(select=select, jobs=1), cwd=CORPUS)
    workers = check_paths([CORPUS], CheckOptions(select=select, jobs=2), cwd=CORPUS)
    assert alone.diagnostics
    assert workers.diagnostics == alone.diagnostics
    assert workers.internal_errors == alone.internal_errors == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_linted_file(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    seen: list[tuple[int, int]] = []
    project = CORPUS / "projects" / "strict_service"
    check_paths(
        [project], CheckOptions(jobs=jobs), cwd=project, progress=lambda done, total: seen.append((done, total))
    )
    total = seen[-1][1]
    assert total > 5
    assert seen == [(done, total) for done in range(1, total + 1)]
