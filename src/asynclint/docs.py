"""Rule documentation, rendered from the rule classes themselves (their docstrings and attributes).

`asynclint rule AIO101` prints one rule; `docs/rules.md` holds all of them and a test keeps it in step.
"""

from __future__ import annotations

import inspect

from asynclint.diagnostics import FixAvailability
from asynclint.registry import all_rules, select_rules
from asynclint.rule import ConfigRule, Rule

FIX_WORDS = {
    FixAvailability.ALWAYS: "always",
    FixAvailability.SOMETIMES: "sometimes",
    FixAvailability.NONE: "never",
}


def rule_markdown(rule: type[Rule], *, heading: str = "#") -> str:
    """One rule's page: a title line, its facts, then its documentation sections."""
    enabled = rule in select_rules()
    where = "the pytest config file" if issubclass(rule, ConfigRule) else reported_in(rule)
    facts = [
        f"- Code: `{rule.code}`, name: `{rule.name}`",
        f"- On by default: {'yes' if enabled else 'no (enable it with `--extend-select ' + rule.code + '`)'}",
        f"- Fix: {FIX_WORDS[rule.fix_availability]}",
        f"- Reported in: {where}",
    ]
    deeper = "#" * (len(heading) - 1)  # the docstring's `##` sections sit one level below the title
    body = inspect.cleandoc(rule.__doc__ or "").replace("\n## ", f"\n{deeper}## ")
    if body.startswith("## "):
        body = f"{deeper}{body}"
    return f"{heading} {rule.code} {rule.name}\n\n" + "\n".join(facts) + "\n\n" + body.strip() + "\n"


#: The kinds of file a rule checks (`Rule.file_kinds`), as its page names them.
_FILE_KINDS = {
    "test": "test modules",
    "conftest": "conftest.py files",
    "helper": "test helper modules (modules of test folders that pytest does not collect, `tests/utils.py`)",
    "other": "other modules",
}


def reported_in(rule: type[Rule]) -> str:
    """The kinds of file a rule checks, in words: what `file_kinds` says, not what most rules do."""
    kinds = [_FILE_KINDS[kind] for kind in _FILE_KINDS if kind in rule.file_kinds]
    if not kinds:
        return "any file asynclint checks (it is reported by asynclint itself)"
    return ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else kinds[0]


def rules_table() -> str:
    """The README's rule table: code, name, when a fix applies, and what the rule finds."""
    lines = ["| code | name | fix | what it finds |", "|---|---|---|---|"]
    enabled = set(select_rules())
    for rule in all_rules():
        finds = rule.finds if rule in enabled else f"{rule.finds} (off by default)"
        lines.append(f"| `{rule.code}` | `{rule.name}` | {rule.fix_summary or '-'} | {finds} |")
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """`docs/rules.md`: an index, then every rule's page."""
    lines = [
        "# asynclint rules",
        "",
        "Generated from the rule classes by `asynclint rules --format markdown`; do not edit by hand.",
        "",
        "| Code | Name | Default | Fix | Summary |",
        "|---|---|---|---|---|",
    ]
    enabled = set(select_rules())
    for rule in all_rules():
        default = "on" if rule in enabled else "off"
        summary = rule.summary().replace("|", "\\|")
        lines.append(
            f"| [`{rule.code}`](#{rule.code.lower()}-{rule.name}) | `{rule.name}` | {default} | "
            f"{FIX_WORDS[rule.fix_availability]} | {summary} |"
        )
    pages = [rule_markdown(rule, heading="##") for rule in all_rules()]
    return "\n".join(lines) + "\n\n" + "\n".join(pages)
