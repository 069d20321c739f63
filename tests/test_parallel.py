"""Linting in worker processes gives exactly what linting in one process gives."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from asynclint import inputs
from asynclint.api import CheckOptions, check_paths
from asynclint.diagnostics import FileReport
from asynclint.run import pool
from asynclint.run.discover import Task

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus"


def test_workers_find_the_same_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)
    select = ["AIO"]
    alone = check_paths([CORPUS], CheckOptions(select=select, jobs=1), cwd=CORPUS)
    workers = check_paths([CORPUS], CheckOptions(select=select, jobs=2), cwd=CORPUS)
    assert alone.diagnostics
    assert workers.diagnostics == alone.diagnostics
    assert workers.internal_errors == alone.internal_errors == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_linted_file(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 1)
    seen: list[tuple[int, int]] = []
    project = CORPUS / "projects" / "strict_service"
    check_paths(
        [project], CheckOptions(jobs=jobs), cwd=project, progress=lambda done, total: seen.append((done, total))
    )
    total = seen[-1][1]
    assert total > 5
    assert seen == [(done, total) for done in range(1, total + 1)]


def _dies_on_one_file(task: Task) -> FileReport:
    """Lints like a process that dies (as on a crash in native code) when it reaches `test_crash.py`."""
    if task.path.name == "test_crash.py":
        os._exit(139)
    return FileReport(task.path.name)


def _start_dying_worker() -> None:
    pool._worker = (_dies_on_one_file, inputs.Inputs())


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path) -> None:
    names = [f"test_{index:02}.py" for index in range(20)]
    names.insert(7, "test_crash.py")
    tasks = []
    for name in names:
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
        tasks.append(Task(tmp_path / name, name, False))
    context = multiprocessing.get_context("fork")
    feeder = pool.Feeder(lambda: ProcessPoolExecutor(2, context, initializer=_start_dying_worker), tasks, 2)
    try:
        feeder.fill()
        outcomes = {path.name: outcome for path, outcome, _ in feeder.results()}
    finally:
        feeder.close()
    assert sorted(outcomes) == sorted(names)
    assert outcomes.pop("test_crash.py") == "test_crash.py: internal error: the process linting it crashed"
    assert all(isinstance(outcome, FileReport) for outcome in outcomes.values())
