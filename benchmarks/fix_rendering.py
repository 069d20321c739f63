"""What rendering each fix's text edits (JSON, SARIF, `--show-fixes`) adds to a run: the same generated project
linted with and without fix edits, for N fixable findings in one file and spread over many files.

    uv run python benchmarks/fix_rendering.py [--sizes 10,100,1000] [--repeat 3]

The findings mix the fixes users meet most: an inserted `await` (one line), a coroutine stored and never
awaited, a misspelled mark (a decorator rewritten) and an async fixture moved to `pytest_asyncio.fixture`
(an import added). Each configuration runs `--repeat` times after a warm-up; the best times are compared.
Target: with edits / without <= 1.3 for every size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from asynclint.api import CheckOptions, check_paths

CONFIG = "[tool.pytest.ini_options]\nasyncio_mode = 'strict'\nasyncio_default_fixture_loop_scope = 'function'\n"
HEAD = "import asyncio\n\nimport pytest\n"
#: One block of four fixable findings; `{i}` keeps names unique within a file.
BLOCK = """

@pytest.fixture
async def resource_{i}():
    yield {i}


@pytest.mark.asyncio
async def test_dropped_{i}(resource_{i}):
    asyncio.sleep(0)
    pending_{i} = asyncio.sleep(0)


@pytest.mark.asyncios
async def test_misspelled_{i}():
    await asyncio.sleep(0)
"""
PER_BLOCK = 4


def write(root: Path, findings: int, files: int) -> None:
    """A project with about `findings` fixable findings spread evenly over `files` test modules."""
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(CONFIG)
    (root / "requirements.txt").write_text("pytest==8.4.2\npytest-asyncio==1.2.0\n")
    blocks = max(1, findings // PER_BLOCK // files)
    for number in range(files):
        body = HEAD + "".join(BLOCK.format(i=i) for i in range(blocks))
        (root / "tests" / f"test_generated_{number}.py").write_text(body)


def best_of(root: Path, edits: bool, repeat: int) -> tuple[float, int]:
    options = CheckOptions(select=["ALL"], fix_edits=edits, no_cache=True, jobs=1)
    timings = []
    fixable = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = check_paths([root], options, cwd=root)
        timings.append(time.perf_counter() - start)
        fixable = sum(1 for diagnostic in result.diagnostics if diagnostic.fix is not None)
    return min(timings), fixable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    for size in (int(text) for text in args.sizes.split(",")):
        for label, files in (("one file", 1), ("across files", max(1, size // 20))):
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                write(root, size, files)
                best_of(root, True, 1)  # warm-up
                plain, plain_fixable = best_of(root, False, args.repeat)
                rendered, fixable = best_of(root, True, args.repeat)
            ratio = rendered / plain
            worst = max(worst, ratio)
            print(
                f"{fixable:5d} fixable findings, {label:12s} ({files:3d} files): without edits {plain:6.2f} s, "
                f"with edits {rendered:6.2f} s, ratio {ratio:.2f}"
            )
            assert fixable == plain_fixable
    print(f"worst ratio {worst:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
