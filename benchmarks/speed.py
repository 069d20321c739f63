"""asynclint's performance targets, measured side by side on the same files.

    uv run python benchmarks/speed.py [FOLDER ...] [--runs 3] [--fixit PATH] [--flake8 PATH]

Corpora: every FOLDER given; the generated corpus of `benchmarks/corpus.py` (200 modules, about 55k lines);
and CPython's own `Lib/test` when this Python ships it. Every asynclint run is a fresh process (interpreter
start included) with its caches in a fresh temporary folder, so "cold" means cold for everything about the
linted files. What belongs to the installation stays as any installed tool has it after its first run:
Python's bytecode and, beside it, asynclint's compiled dataclass methods (see `asynclint/launch.py`).
Fixit and flake8-async are timed when installed (on PATH, or given with --fixit / --flake8: a peer's
environment of its own keeps their dependencies out of asynclint's). Each figure is the median of --runs runs.

Targets:
  1. cold, all default rules, all cores      <= 1.0x  bare `libcst.parse_module` of the same files, one process
  2. warm (nothing changed)                  <= 5%    of cold
  3. Fixit and flake8-async, cold            >= 10x   asynclint's cold time
  4. one small file, end to end              <= 0.4 s
  5. peak memory on ~465k lines              <= 300 MB, and time linear in lines (generated corpus at 1x, 2x, 4x)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from asynclint.files import discover

BARE_PARSE = """
import sys, time, libcst
paths = sys.stdin.read().splitlines()
sources = [open(p, "rb").read() for p in paths]
start = time.perf_counter()
for source in sources:
    try:
        libcst.parse_module(source)
    except Exception:
        pass
print(time.perf_counter() - start)
"""


@dataclass
class Corpus:
    name: str
    root: Path
    files: list[Path]
    lines: int
    figures: dict[str, float] = field(default_factory=dict)


def corpus_of(name: str, root: Path) -> Corpus:
    files = discover([root])
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    return Corpus(name, root, files, lines)


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def bare_parse(corpus: Corpus, runs: int) -> float:
    listing = "\n".join(str(path) for path in corpus.files)
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", BARE_PARSE], input=listing, capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.strip()))
    return median(times)


class Asynclint:
    """`asynclint check` in a fresh process; each cold run gets empty caches."""

    def __init__(self) -> None:
        self.executable = [sys.executable, "-m", "asynclint", "check", "--exit-zero", "-q"]
        self.largest_process_mb = 0.0

    def fresh_env(self, scratch: Path) -> tuple[list[str], dict[str, str]]:
        cache = Path(tempfile.mkdtemp(dir=scratch))
        env = {**os.environ, "ASYNCLINT_CACHE_DIR": str(cache / "shapes")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return ["--cache-dir", str(cache / "results")], env

    def cold(self, corpus: Corpus, runs: int, scratch: Path, paths: Sequence[str] = (".",)) -> float:
        times = []
        for _ in range(runs):
            flags, env = self.fresh_env(scratch)
            times.append(timed([*self.executable, *flags, *paths], corpus.root, env))
        return median(times)

    def warm(self, corpus: Corpus, runs: int, scratch: Path) -> float:
        flags, env = self.fresh_env(scratch)
        timed([*self.executable, *flags, "."], corpus.root, env)
        return median([timed([*self.executable, *flags, "."], corpus.root, env) for _ in range(runs)])

    def peak_memory(self, corpus: Corpus, scratch: Path) -> tuple[float, float]:
        """(seconds, peak MB of the whole process tree) of one cold run, sampled from /proc every 20 ms."""
        flags, env = self.fresh_env(scratch)
        start = time.perf_counter()
        process = subprocess.Popen([*self.executable, *flags, "."], cwd=corpus.root, env=env, stdout=subprocess.DEVNULL)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss(process.pid))
                stop.wait(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        self.largest_process_mb = usage.ru_maxrss / 1024  # the largest single process (Linux: in KB)
        elapsed = time.perf_counter() - start
        stop.set()
        sampler.join()
        return elapsed, peak[0] / 2**20


def _tree_rss(root: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): the proportional set size, which counts
    the pages forked workers share with their parent (LibCST's code, the model) once, not once per process."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
    total = 0
    for pid in parents:
        current = pid
        while current not in (0, 1) and current != root:
            current = parents.get(current, 0)
        if current == root:
            total += _pss(pid)
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def peer_time(command: list[str] | None, corpus: Corpus, runs: int) -> float | None:
    if command is None:
        return None
    return median([timed([*command, "."], corpus.root) for _ in range(runs)])


def find_peer(explicit: str | None, name: str) -> str | None:
    return explicit or shutil.which(name)


def check(label: str, value: float | None, limit: float, *, at_least: bool = False, unit: str = "") -> bool:
    if value is None:
        print(f"  {label:<58} not measured")
        return False
    met = value >= limit if at_least else value <= limit
    sign = ">=" if at_least else "<="
    print(f"  {label:<58} {value:8.3f}{unit}  (target {sign} {limit}{unit})  {'met' if met else 'NOT MET'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of Fixit and flake8-async (slow)")
    parser.add_argument("--fixit", help="the fixit executable")
    parser.add_argument("--flake8", help="a flake8 executable with flake8-async installed")
    parser.add_argument("--files", type=int, default=200, help="modules in the generated corpus")
    parser.add_argument("--no-cpython", action="store_true", help="skip CPython's Lib/test")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="asynclint-bench-"))
    generated = scratch / "generated"
    generate(generated, args.files)
    corpora = [corpus_of(f"generated ({args.files} modules)", generated)]
    corpora += [corpus_of(str(folder), folder.resolve()) for folder in args.folders]
    cpython = Path(sysconfig.get_paths()["stdlib"]) / "test"
    lib_test = None
    if cpython.is_dir() and not args.no_cpython:
        # A copy: an installed Python often sits in a git work tree that ignores it (pyenv's does), and
        # asynclint, like git, skips ignored folders.
        copy = scratch / "cpython-lib-test"
        shutil.copytree(cpython, copy, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
        lib_test = corpus_of("CPython Lib/test", copy)

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    fixit = find_peer(args.fixit, "fixit")
    flake8 = find_peer(args.flake8, "flake8")
    tool = Asynclint()
    print(f"\n{'corpus':<34}{'files':>6}{'lines':>8}{'parse':>8}{'cold':>8}{'warm':>8}{'fixit':>8}{'f8-async':>9}")
    for corpus in corpora:
        figures = corpus.figures
        figures["parse"] = bare_parse(corpus, args.runs)
        figures["cold"] = tool.cold(corpus, args.runs, scratch)
        figures["warm"] = tool.warm(corpus, args.runs, scratch)
        for name, command in (
            ("fixit", [fixit, "lint"] if fixit else None),
            ("flake8-async", [flake8, "--select", "ASYNC"] if flake8 else None),
        ):
            measured = peer_time(command, corpus, args.peer_runs)
            if measured is not None:
                figures[name] = measured
        cells = [figures.get(key) for key in ("parse", "cold", "warm", "fixit", "flake8-async")]
        shown = "".join(f"{c:8.2f}" if c is not None else f"{'-':>8}" for c in cells)
        print(f"{corpus.name[:33]:<34}{len(corpus.files):>6}{corpus.lines:>8}{shown}")

    # Target 4: the smallest generated test module, alone.
    small = min(corpora[0].files, key=lambda path: path.stat().st_size if path.name.startswith("test_") else 1e12)
    one_file = tool.cold(corpora[0], max(args.runs, 5), scratch, [str(small.relative_to(corpora[0].root))])
    small_lines = small.read_bytes().count(b"\n")

    # Target 5: linear growth (generated corpus at 1x, 2x, 4x) and peak memory on ~465k lines.
    curve = []
    for factor in (1, 2, 4):
        root = scratch / f"scaled-{factor}"
        generate(root, 50 * factor, seed=factor)
        scaled = corpus_of(f"{factor}x", root)
        curve.append((scaled.lines, tool.cold(scaled, args.runs, scratch)))
    if lib_test is not None:
        memory_corpus = lib_test
    else:
        memory_corpus = corpus_of("generated, 465k lines", scratch / "big")
        generate(memory_corpus.root, 1700)
        memory_corpus = corpus_of("generated, 465k lines", memory_corpus.root)
    memory_seconds, memory_mb = tool.peak_memory(memory_corpus, scratch)

    print(f"\none file ({small_lines} lines), cold, end to end: {one_file:.3f} s")
    print("time by size (generated corpus):")
    for lines, seconds in curve:
        print(f"  {lines:>7} lines  {seconds:6.2f} s  {1e4 * seconds / lines:6.3f} s per 10k lines")
    print(
        f"{memory_corpus.name}: {len(memory_corpus.files)} files, {memory_corpus.lines} lines, "
        f"cold {memory_seconds:.1f} s, peak memory of all processes {memory_mb:.0f} MB (PSS), "
        f"largest process {tool.largest_process_mb:.0f} MB (max RSS)"
    )

    print("\ntargets:")
    results = []
    for corpus in corpora:
        f = corpus.figures
        results.append(check(f"1. {corpus.name[:30]}: cold / bare parse", f["cold"] / f["parse"], 1.0, unit="x"))
        results.append(check(f"2. {corpus.name[:30]}: warm / cold", f["warm"] / f["cold"], 0.05))
        for peer in ("fixit", "flake8-async"):
            value = f[peer] / f["cold"] if peer in f else None
            results.append(check(f"3. {corpus.name[:30]}: {peer} / cold", value, 10, at_least=True, unit="x"))
    results.append(check("4. one small file, end to end", one_file, 0.4, unit=" s"))
    per_line = [seconds / lines for lines, seconds in curve]
    results.append(check("5. time per line, 4x corpus / 1x corpus", per_line[-1] / per_line[0], 1.2, unit="x"))
    results.append(check(f"5. peak memory, {memory_corpus.lines} lines", memory_mb, 300, unit=" MB"))
    print(f"\n{sum(results)} of {len(results)} targets met")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
