"""fixtures_corpus/projects: small realistic projects whose comments say what asynclint must report.

Each project is linted as a whole (its own pytest config, conftests and dependency files apply) with every
rule enabled. `# expect: AIO101` (or `# expect: AIO101, AIO105`) marks the line a finding must be reported
on; `# expect-next-line: ...` marks the line below. Findings are compared both ways: nothing missed, nothing
extra. A `name.py.fixed` next to `name.py` is the golden result of `--fix` (`name.py.unsafe-fixed` for
`--fix --unsafe-fixes`); fixing is also checked to be idempotent and to produce code that parses. What a user
sees of each project, the whole text output of `asynclint check --select ALL`, is pinned in
`tests/snapshots/corpus/<project>.txt`, so a changed message or position is a visible diff in review.
"""

from __future__ import annotations

import io
import re
import shutil
import tokenize
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from asynclint.cli import main
from asynclint.diagnostics import Applicability
from tests.helpers import run

CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"
PROJECTS = sorted(p for p in CORPUS.iterdir() if p.is_dir())
EXPECT = re.compile(r"#\s*expect(?P<next>-next-line)?:\s*(?P<codes>AIO\d{3}(?:\s*,\s*AIO\d{3})*)")
CONFIG_FILES = {"pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "pytest.toml"}
GOLDEN_SUFFIXES = {".fixed": Applicability.SAFE, ".unsafe-fixed": Applicability.UNSAFE}
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "corpus"


def expected_findings(project: Path) -> set[tuple[str, int, str]]:
    expected: set[tuple[str, int, str]] = set()
    for path in sorted(project.rglob("*")):
        if path.name in CONFIG_FILES:
            # Config files: `# expect-next-line: AIO6xx` on a comment line above the reported one.
            relative = str(path.relative_to(project))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                match = EXPECT.search(line) if line.lstrip().startswith(("#", ";")) else None
                if match is not None:
                    target = number + 1 if match.group("next") else number
                    for code in re.split(r"\s*,\s*", match.group("codes")):
                        expected.add((relative, target, code))
            continue
        if path.suffix != ".py":
            continue
        relative = str(path.relative_to(project))
        source = path.read_text(encoding="utf-8")
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            tokens = []
        comments = [(t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT]
        if not tokens:  # a file that does not tokenize: read annotations line by line
            comments = [(n, line[line.index("#") :]) for n, line in enumerate(source.splitlines(), 1) if "#" in line]
        for line, text in comments:
            match = EXPECT.search(text)
            if match is None:
                continue
            target = line + 1 if match.group("next") else line
            for code in re.split(r"\s*,\s*", match.group("codes")):
                expected.add((relative, target, code))
    return expected


def describe(findings: set[tuple[str, int, str]]) -> str:
    return "\n".join(f"  {path}:{line}: {code}" for path, line, code in sorted(findings)) or "  (none)"


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_findings_match_annotations(project: Path) -> None:
    result = run([project], cwd=project)
    assert not result.internal_errors, result.internal_errors
    actual = {(d.path, d.line, d.code) for d in result.diagnostics}
    expected = expected_findings(project)
    missed, extra = expected - actual, actual - expected
    messages = {(d.path, d.line, d.code): d.message for d in result.diagnostics}
    detail = "\n".join(f"  {key[0]}:{key[1]}: {key[2]} {messages[key]}" for key in sorted(extra))
    assert not missed and not extra, (
        f"missed (expected, not reported):\n{describe(missed)}\nextra (reported, not expected):\n{detail or '  (none)'}"
    )


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_output_matches_snapshot(project: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool) -> None:
    """The text output of `asynclint check --select ALL .` run in the project, warnings and exit status included."""
    monkeypatch.chdir(project)
    command = ["check", "--no-cache", "-j", "1", "--select", "ALL", "."]
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    output = f"$ asynclint {' '.join(command)}\n{result.stdout}{result.stderr}(exit status {result.exit_code})\n"
    # A warning names the project by its absolute path when it is the current folder: not this machine's.
    output = output.replace(str(project), "<project>")
    snapshot = SNAPSHOTS / f"{project.name}.txt"
    if update_goldens:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(output, encoding="utf-8")
    assert output == snapshot.read_text(encoding="utf-8")


GOLDENS = [
    pytest.param(project, golden, id=f"{project.name}/{golden.relative_to(project)}")
    for project in PROJECTS
    for golden in sorted(project.rglob("*.*fixed"))
    if golden.name.split(".fixed")[0].split(".unsafe-fixed")[0].endswith(".py")
    or golden.name.split(".unsafe-fixed")[0].split(".fixed")[0] in CONFIG_FILES
]


@pytest.mark.parametrize(("project", "golden"), GOLDENS)
def test_fix_matches_golden(project: Path, golden: Path, tmp_path: Path, update_goldens: bool) -> None:
    suffix = ".unsafe-fixed" if golden.name.endswith(".unsafe-fixed") else ".fixed"
    tier = GOLDEN_SUFFIXES[suffix]
    copy = tmp_path / project.name
    shutil.copytree(project, copy)
    source_name = golden.name[: -len(suffix)]
    target = copy / golden.relative_to(project).parent / source_name
    first = run([copy], cwd=copy, fix=tier)
    assert not first.internal_errors, first.internal_errors
    fixed = target.read_text(encoding="utf-8")
    if update_goldens:
        golden.write_text(fixed, encoding="utf-8")
    assert fixed == golden.read_text(encoding="utf-8")
    if target.suffix == ".py":
        cst.parse_module(fixed)
        compile(fixed, str(target), "exec")
    second = run([copy], cwd=copy, fix=tier)
    assert second.fixed == 0, "a second --fix changed the files again"
    assert target.read_text(encoding="utf-8") == fixed
