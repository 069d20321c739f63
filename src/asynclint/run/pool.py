"""The worker pool: files linted in parallel processes within a memory budget, surviving a worker that dies.

A service of the lint stage (`run.lint`): it knows tasks and outcomes, nothing of what linting means.
"""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from asynclint import inputs, interrupts
from asynclint.diagnostics import FileReport
from asynclint.run.discover import Task

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
#: Memory per byte of source: LibCST's parser while it runs (at most; about 550 on average), and the tree and
#: the facts read from it while the file is linted.
PARSER_BYTES_PER_SOURCE_BYTE = 1_300
TREE_BYTES_PER_SOURCE_BYTE = 100
#: The trees worker processes may hold at once. A file that alone exceeds it is linted with nothing else in
#: flight; others wait for room (smaller files further on go first), so two huge modules never overlap.
TREE_BUDGET = 150 * 2**20


class Feeder:
    """Hands files to the workers within the memory budget, keeping every worker busy when it can.

    A worker that dies (a crash in native code: LibCST overflowing its stack) breaks the pool and every file
    in flight with it. A fresh pool then lints those files one at a time: the one that kills its worker again
    is reported as an internal error, and the run goes on.
    """

    #: How far past a file that does not fit the feeder looks for one that does.
    LOOKAHEAD = 64

    def __init__(self, start_pool: Callable[[], ProcessPoolExecutor], tasks: Sequence[Task], jobs: int) -> None:
        self.start_pool = start_pool
        self.pool = start_pool()
        self.pending = list(tasks)
        self.jobs = jobs
        self.running: dict[Future[tuple[FileReport | str, dict[str, inputs.Stamp]]], tuple[Task, int]] = {}
        self.used = 0
        #: Files in flight when a worker died, each linted alone until the culprit is known.
        self.suspects: list[Task] = []
        self.isolating = False

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _cost(path: Path) -> int:
        from asynclint.parsing import PIECE_BYTES, PIECEWISE_ABOVE  # LibCST is loaded by now: a pool is running

        try:
            size = path.stat().st_size
        except OSError:
            return 0
        parsed_at_once = min(size, PIECE_BYTES) if size > PIECEWISE_ABOVE else size  # see `parsing.parse_module`
        return parsed_at_once * PARSER_BYTES_PER_SOURCE_BYTE + size * TREE_BYTES_PER_SOURCE_BYTE

    def fill(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._fill()
        except BrokenProcessPool:  # it broke since the last result came in: start over with a fresh pool
            self._restart()
            self._fill()

    def _fill(self) -> None:
        # Each task leaves its queue only once submitted: a pool that turns out broken loses none.
        if self.suspects:
            if not self.running:
                future = self.pool.submit(check_in_worker, self.suspects[0])
                self.isolating = True
                self.running[future] = (self.suspects.pop(0), 0)
            return
        self.isolating = False
        index = 0
        # Twice as many as workers: a worker finds its next file queued while the parent is busy.
        while index < min(len(self.pending), self.LOOKAHEAD) and len(self.running) < 2 * self.jobs:
            path = self.pending[index].path
            cost = self._cost(path)
            if self.running and self.used + cost > TREE_BUDGET:
                index += 1
                continue
            future = self.pool.submit(check_in_worker, self.pending[index])
            self.running[future] = (self.pending.pop(index), cost)
            self.used += cost

    def results(self) -> Iterator[tuple[Path, FileReport | str, dict[str, inputs.Stamp]]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        while self.running:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                if future not in self.running:
                    continue
                try:
                    outcome, read = future.result()
                except BrokenProcessPool:
                    culprit = self.running[future][0] if self.isolating else None
                    self._restart()
                    if culprit is not None:
                        yield culprit.path, f"{culprit.shown}: internal error: the process linting it crashed", {}
                    break
                task, cost = self.running.pop(future)
                self.used -= cost
                yield task.path, outcome, read
            self.fill()

    def _restart(self) -> None:
        """A worker died: every file in flight is suspect (the culprit itself when only one was)."""
        if not self.isolating:
            self.suspects.extend(task for task, _ in self.running.values())
        self.running.clear()
        self.used = 0
        # Waiting lets the broken pool terminate and join its other workers: without it the run can end first,
        # and a worker forked with both ends of the pool's task pipe waits on it forever, holding the run's
        # standard output open (a CI step or a caller reading it would never see it end).
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self.start_pool()


#: In a worker process: how it lints one file, and what it has read so far (set up once, by `start_worker`).
_worker: tuple[Callable[[Task], FileReport | str], inputs.Inputs] | None = None


def start_worker(setup: Callable[..., Callable[[Task], FileReport | str]], arguments: tuple[object, ...]) -> None:
    """A worker's initializer: `setup(*arguments)` gives the function that lints a file in this process (the
    model and the rules are handed over once, not with every file)."""
    global _worker
    # Ctrl-C reaches the whole process group: the parent stops the run; workers just end with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inputs.reset()  # a forked worker inherits the parent's recordings: its reads go to its own
    read = inputs.Inputs()
    inputs.start(read)
    _worker = (setup(*arguments), read)


def check_in_worker(task: Task) -> tuple[FileReport | str, dict[str, inputs.Stamp]]:
    """One file's outcome, and what the worker read for the first time while linting it."""
    assert _worker is not None
    check, read = _worker
    outcome = check(task)
    fresh, read.stamps = read.stamps, {}
    release_memory(task.path)
    return outcome, fresh


#: Source size above which a file's tree is big enough to be worth handing its memory back afterwards.
_RELEASE_ABOVE = 16 * 1024


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, looked up the first time a big module is done (a short run needs none of it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_memory(path: Path) -> None:
    """After a big module, give the memory its tree took back to the system (glibc keeps it otherwise, and
    a worker that once linted a 300 KB module would hold 200 MB for the rest of the run)."""
    from asynclint.analysis.direct_body import forget_trees

    forget_trees()
    try:
        big = path.stat().st_size > _RELEASE_ABOVE
    except OSError:
        return
    trim = _malloc_trim() if big else None
    if trim is not None:
        trim(0)


def lint_in_workers(
    tasks: Sequence[Task],
    jobs: int,
    setup: Callable[..., Callable[[Task], FileReport | str]],
    arguments: tuple[object, ...],
    meanwhile: Callable[[], T],
    progress: Callable[[int, int], None] | None,
) -> tuple[list[FileReport | str], inputs.Inputs, T]:
    """Each task's outcome (in the tasks' order) from `jobs` worker processes, what they read, and what
    `meanwhile()` gave: the parent's own work while the workers lint."""
    # Imported here: a run of a few files (a pre-commit hook's) starts no pool and needs none of it.
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    read = inputs.Inputs()
    # The model is frozen and picklable: each worker gets it once, then lints its share of the files.
    context = multiprocessing.get_context("spawn" if sys.platform == "win32" else None)
    # Forked workers share the parent's memory until they write to it, and a garbage collection writes to
    # every object it visits. Objects frozen before the fork are left out of collections: their pages stay
    # shared (about 10 MB less in all on CPython's test suite).
    gc.freeze()
    feeder = Feeder(
        lambda: ProcessPoolExecutor(jobs, context, initializer=start_worker, initargs=(setup, arguments)),
        tasks,
        jobs,
    )
    try:
        feeder.fill()
        besides = meanwhile()
        done: dict[Path, FileReport | str] = {}
        for path, outcome, fresh in feeder.results():
            interrupts.check()
            read.merge(fresh)
            done[path] = outcome
            if progress is not None:
                progress(len(done), len(tasks))
        return [done[task.path] for task in tasks], read, besides
    finally:
        feeder.close()
        gc.unfreeze()
