"""The command's start: dataclass methods compiled once and reused, with classes identical to uncached ones;
and a process that ends without the interpreter's teardown still says everything and exits as it should."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from asynclint.launch import DataclassCodeCache
from tests.helpers import run_asynclint, write_project

#: Run in a fresh interpreter: defines dataclasses of every kind with the cache installed, then describes them.
PROBE = textwrap.dedent(
    """
    import dataclasses, json, sys
    from pathlib import Path
    from asynclint.launch import DataclassCodeCache

    cache = DataclassCodeCache(Path(sys.argv[1]) if sys.argv[1] != "-" else None)
    if sys.argv[1] != "-":
        cache.install()

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 0
        tags: list = dataclasses.field(default_factory=list, compare=False)

    @dataclasses.dataclass(slots=True, kw_only=True)
    class Options:
        name: str = "a"

    p = Point(1, 2)
    try:
        p.x = 3
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    cache.uninstall()
    cache.save()
    print(json.dumps({
        "repr": repr(p), "eq": p == Point(1, 2, ["x"]), "lt": Point(0) < p, "hash": hash(p) == hash(Point(1, 2)),
        "frozen": frozen, "options": repr(Options(name="b")),
        "annotations": {k: repr(v) for k, v in Point.__init__.__annotations__.items()},
        "defaults": repr(Point.__init__.__defaults__),
        "compiled": cache.compiled, "cached": len(cache.codes),
    }))
    """
)


#: Writing follows the interpreter's own rule for bytecode, whatever the environment running the tests says.
WRITES_BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _probe(cache: Path | None) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(cache) if cache is not None else "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=WRITES_BYTECODE,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_cached_classes_are_the_classes_dataclasses_makes(tmp_path: Path) -> None:
    cache = tmp_path / "code.dataclasses"
    plain = _probe(None)
    first = _probe(cache)
    second = _probe(cache)
    assert first["compiled"] and first["cached"] and cache.exists()
    assert second["compiled"] == 0, "the second run compiles nothing"
    for result in (first, second):
        described = {k: v for k, v in result.items() if k not in ("compiled", "cached")}
        assert described == {k: v for k, v in plain.items() if k not in ("compiled", "cached")}
    # Compiled as dataclasses compiles, not with this module's `from __future__ import annotations`.
    assert first["annotations"] == {
        "x": "<class 'int'>",
        "y": "<class 'int'>",
        "tags": "<class 'list'>",
        "return": "None",
    }


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", b"asynclint dataclass code 1\n\x00\x00\x00\x00{}", b"asynclint dataclass code 1\n" * 3],
    ids=["empty", "garbage", "other-interpreter", "truncated"],
)
def test_a_cache_that_cannot_be_used_is_ignored_and_rewritten(tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "code.dataclasses"
    cache.write_bytes(content)
    assert DataclassCodeCache(cache).codes == {}
    result = _probe(cache)
    assert result["compiled"]
    assert _probe(cache)["compiled"] == 0


def test_nothing_is_written_under_dont_write_bytecode(tmp_path: Path) -> None:
    cache = tmp_path / "code.dataclasses"
    subprocess.run(
        [sys.executable, "-B", "-c", PROBE, str(cache)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=WRITES_BYTECODE,
    )
    assert not cache.exists()


def test_a_fresh_process_ends_with_its_status_and_all_its_output(tmp_path: Path) -> None:
    """Many findings in JSON through a pipe: the process skips the interpreter's teardown, not its output."""
    broken = "import asyncio\n\n\nasync def helper():\n    pass\n\n\ndef test_x():\n" + "    helper()\n" * 400
    project = write_project(tmp_path, {"tests/test_many.py": broken, "pytest.ini": "[pytest]\n"})
    run = run_asynclint(project, "--format", "json", ".")
    assert run.returncode == 1, run.stderr
    assert len([d for d in json.loads(run.stdout) if d["code"] == "AIO203"]) == 400
    usage = run_asynclint(project, "--no-such-flag")
    assert usage.returncode == 2 and usage.stderr.startswith("asynclint: error:")
