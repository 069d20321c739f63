"""`.gitignore`d files are not linted (inside a git work tree), unless named on the command line."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run, write_project

UNMARKED = "async def test_a():\n    pass\n"


def test_gitignored_paths_are_skipped(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".gitignore": "generated/\n*_scratch.py\n",
            "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
            "tests/test_kept.py": UNMARKED,
            "tests/test_other.py": UNMARKED,
            "tests/test_mine_scratch.py": UNMARKED,
            "tests/generated/test_out.py": UNMARKED,
            "tests/sub/.gitignore": "test_local.py\n",
            "tests/sub/test_local.py": UNMARKED,
        },
    )
    found = {d.path for d in run([project], cwd=project, select=["AIO101"]).diagnostics}
    assert found == {"tests/test_kept.py", "tests/test_other.py"}
    named = run([project / "tests" / "generated" / "test_out.py"], cwd=project, select=["AIO101"])
    assert [d.path for d in named.diagnostics] == ["tests/generated/test_out.py"]
