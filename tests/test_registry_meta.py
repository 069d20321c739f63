"""Every rule is complete and consistent: documented, named after itself, exemplified, and in the corpus."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from asynclint.diagnostics import FixAvailability
from asynclint.docs import rules_markdown, rules_table
from asynclint.registry import all_rules, select_rules
from asynclint.rule import DOC_SECTIONS, Rule
from tests.test_corpus import PROJECTS, expected_findings

RULES = all_rules()
#: Reported when asynclint itself fails on a file: no source triggers it on purpose (each one that did was a bug,
#: since fixed), so it has no invalid example and no corpus case; `tests/test_internal_errors.py` forces it.
UNTRIGGERABLE = {"AIO000"}


def test_codes_and_names_are_unique() -> None:
    assert len({rule.code for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_is_complete(rule: type[Rule]) -> None:
    doc = inspect.getdoc(rule) or ""
    positions = [doc.find(section) for section in DOC_SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} docstring needs the sections {DOC_SECTIONS}"
    assert positions == sorted(positions), f"{rule.code} docstring sections are out of order"
    module = inspect.getmodule(rule)
    assert module is not None
    assert module.__name__.rsplit(".", 1)[1] == rule.name.replace("-", "_")
    assert module.__doc__ == f"{rule.code}: {rule.name}."
    pascal = "".join(part.capitalize() for part in rule.name.split("-"))
    assert rule.__name__ in (pascal, pascal + "_")
    assert rule.valid and (rule.invalid or rule.code in UNTRIGGERABLE), f"{rule.code} needs valid and invalid examples"
    assert rule.finds, f"{rule.code} needs its README line (`finds`)"
    assert bool(rule.fix_summary) == (rule.fix_availability is not FixAvailability.NONE), rule.code
    fixes = [example for example in rule.invalid if example.expected_fix is not None]
    if rule.fix_availability is FixAvailability.NONE:
        assert not fixes, f"{rule.code} says it has no fix but an example expects one"
    else:
        assert fixes, f"{rule.code} says it can fix but no example shows the fix"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_methods_use_no_matcher_decorators(rule: type[Rule]) -> None:
    # LibCST ignores @m.visit / @m.call_if_inside on batched visitors: they would silently do nothing.
    for name, method in inspect.getmembers(rule, inspect.isfunction):
        for attribute in ("_call_if_inside_matcher", "_call_if_not_inside_matcher", "_visit_matcher", "_leave_matcher"):
            assert not hasattr(method, attribute), f"{rule.code}.{name} uses a matcher decorator"


def test_every_rule_is_exercised_by_the_corpus() -> None:
    annotated = {code for project in PROJECTS for _, _, code in expected_findings(project)}
    missing = {rule.code for rule in RULES} - annotated - UNTRIGGERABLE
    assert not missing, f"no corpus project shows {sorted(missing)}"


def test_default_selection_leaves_out_default_off_rules() -> None:
    enabled = {rule.code for rule in select_rules()}
    assert "AIO106" not in enabled and "AIO101" in enabled
    assert "AIO106" in {rule.code for rule in select_rules(["AIO106"])}
    assert "AIO106" not in {rule.code for rule in select_rules(["AIO1"])}
    assert "AIO106" in {rule.code for rule in select_rules(extend_select=["AIO106"])}


def test_readme_rule_table_is_generated_from_the_rules(update_goldens: bool) -> None:
    """The README's table is `asynclint rules --format table`; `pytest --update-goldens` rewrites it."""
    path = Path(__file__).resolve().parent.parent / "README.md"
    readme = path.read_text(encoding="utf-8")
    block = re.search(r"(<!-- rules-table: [^\n]*-->\n)(.*?)(<!-- /rules-table -->)", readme, re.S)
    assert block is not None, "README.md lacks the rules-table markers"
    if update_goldens:
        path.write_text(readme[: block.start(2)] + rules_table() + readme[block.end(2) :], encoding="utf-8")
        return
    assert block.group(2) == rules_table(), "README rule table is stale: run `uv run pytest --update-goldens`"
    for rule in RULES:
        assert f"| `{rule.code}` | `{rule.name}` |" in block.group(2)


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    """`docs/rules.md` is what `asynclint rules --format markdown` prints: regenerate it when a rule changes."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `uv run asynclint rules --format markdown > docs/rules.md`"
    )
