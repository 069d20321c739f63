"""How much the missing-await rules (AIO2xx) add to a run: lint the same tree with and without them.

    uv run python benchmarks/missing_await_overhead.py PATH [--repeat N] [--python ENV]

Each configuration runs N times in one process after a warm-up (so the installed packages' shape cache is
warm, as it is from the second run on); the best time of each is compared, for the default text output and
for JSON/SARIF (which render each fix's edits). Target: with / without <= 1.3.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from asynclint.api import CheckOptions, check_paths
from asynclint.registry import all_rules


def best_of(paths: list[Path], options: CheckOptions, repeat: int) -> tuple[float, int]:
    timings = []
    findings = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = check_paths(paths, options)
        timings.append(time.perf_counter() - start)
        findings = len(result.diagnostics)
    return min(timings), findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", help="the project's environment, to include installed packages")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    rules = [rule for rule in all_rules() if not rule.reported_by_engine]
    without = [rule for rule in rules if not rule.code.startswith("AIO2")]
    cache = Path(tempfile.mkdtemp(prefix="asynclint-bench-cache-"))
    common = {"python": args.python, "cache_dir": cache, "jobs": args.jobs}
    check_paths(args.paths, CheckOptions(rules=rules, **common))  # warm-up: fills the shape cache
    # The default text output does not render fixes' text edits; JSON and SARIF do (each fix re-renders the
    # module), which costs in proportion to the findings with fixes: both are measured.
    for label, edits in (("text output (the default)", False), ("JSON/SARIF output (fix edits rendered)", True)):
        base, base_findings = best_of(args.paths, CheckOptions(rules=without, fix_edits=edits, **common), args.repeat)
        full, full_findings = best_of(args.paths, CheckOptions(rules=rules, fix_edits=edits, **common), args.repeat)
        print(label)
        print(f"  without AIO2xx: {base:7.2f} s  ({base_findings} findings)")
        print(f"  with AIO2xx:    {full:7.2f} s  ({full_findings} findings)")
        print(f"  ratio:          {full / base:7.2f}  (target <= 1.30)")


if __name__ == "__main__":
    main()
