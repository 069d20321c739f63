"""Every rule's VALID and INVALID examples, run as real projects through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from asynclint.diagnostics import Applicability
from asynclint.registry import all_rules
from asynclint.rule import Example, Rule
from tests.helpers import run, write_project

CASES = [
    pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_example(rule: type[Rule], kind: str, example: Example, tmp_path: Path) -> None:
    project = write_project(tmp_path, example.project_files())
    found = [d for d in run([project], cwd=tmp_path).diagnostics if d.code == rule.code]
    if kind == "valid":
        assert found == [], f"{rule.code} reported on a valid example: {found}"
        return
    assert found, f"{rule.code} did not report on an invalid example:\n{example.code}"
    if example.line is not None or example.message is not None:
        pinned = [
            d
            for d in found
            if Path(d.path).name == example.filename
            and (example.line is None or d.line == example.line)
            and (example.message is None or example.message in d.message)
        ]
        shown = "\n".join(f"  {d.path}:{d.line}: {d.message}" for d in found)
        assert pinned, f"no {rule.code} finding at line {example.line} with {example.message!r}; found:\n{shown}"
    if example.expected_fix is None:
        return
    tier = Applicability.UNSAFE if example.unsafe_fixes else Applicability.SAFE
    run([project], cwd=tmp_path, fix=tier, select=[rule.code])
    fixed = (project / example.filename).read_text(encoding="utf-8")
    assert fixed == example.expected_fix
    cst.parse_module(fixed)
    again = run([project], cwd=tmp_path, fix=tier, select=[rule.code])
    assert again.fixed == 0, "fixing twice changed the file again"
