"""Rule discovery and selection. Rules are found by walking `asynclint.rules`; nothing lists them by hand."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from asynclint import rules as rules_package

if TYPE_CHECKING:
    from asynclint.rule import Rule

CODE = re.compile(r"^AIO\d{3}$")
#: Code prefixes of the catalog's families (AIO0xx-AIO6xx): valid selectors even before every rule exists.
FAMILY_PREFIX = re.compile(r"^AIO(?:[0-6]\d{0,2})?$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class UnknownSelector(ValueError):
    """A `--select`/`--ignore` value that matches no rule."""


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class in `asynclint.rules`, sorted by code."""
    from asynclint.rule import Rule

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(rules_package.__path__):
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                code = value.code
                if not CODE.match(code) or not NAME.match(value.name):
                    raise RuntimeError(f"rule {value.__qualname__} has a malformed code or name")
                if code in found:
                    raise RuntimeError(f"two rules use the code {code}")
                found[code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> type[Rule] | None:
    return next((rule for rule in all_rules() if rule.code == code), None)


def selector_matches(code: str, name: str, selector: str) -> bool:
    """Whether a selector (`ALL`, a code, a code prefix or a rule name) covers the rule `code`/`name`."""
    selector = selector.strip()
    return selector.upper() == "ALL" or code.startswith(selector.upper()) or name == selector


def _matches(rule: type[Rule], selector: str) -> bool:
    return selector_matches(rule.code, rule.name, selector)


def check_selectors(selectors: Iterable[str]) -> list[str]:
    """The selectors, stripped; `UnknownSelector` for one that names no rule, code prefix or `ALL`."""
    cleaned = [s.strip() for s in selectors if s.strip()]
    for selector in cleaned:
        known = any(_matches(rule, selector) for rule in all_rules())
        if not known and not FAMILY_PREFIX.match(selector.upper()):
            raise UnknownSelector(selector)
    return cleaned


def select_rules(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> list[type[Rule]]:
    """The enabled rules. A default-off rule is enabled only when a selector names its exact code or name, or
    is `ALL` (as in ruff, `--select ALL` means every rule)."""
    chosen_select = check_selectors(select) if select else None
    chosen_extend = check_selectors(extend_select)
    chosen_ignore = check_selectors(ignore)

    def explicitly(rule: type[Rule], selectors: list[str]) -> bool:
        return any(s.upper() in (rule.code, "ALL") or s == rule.name for s in selectors)

    enabled: list[type[Rule]] = []
    for rule in all_rules():
        if chosen_select is None:
            on = rule.default_enabled
        else:
            on = any(_matches(rule, s) for s in chosen_select) and (
                rule.default_enabled or explicitly(rule, chosen_select)
            )
        on = (
            on
            or explicitly(rule, chosen_extend)
            or (rule.default_enabled and any(_matches(rule, s) for s in chosen_extend))
        )
        if on and not any(_matches(rule, s) for s in chosen_ignore):
            enabled.append(rule)
    return enabled
