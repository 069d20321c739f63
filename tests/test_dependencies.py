"""Every module asynclint imports is shipped: the standard library, asynclint itself, or a declared dependency.

An import of a module that only the development environment provides (pytest's `iniconfig`, say) works in
every test here and fails on the first run of an installed copy. The imports are read from the source with
`ast`, wherever they are (top level, inside functions, under `if sys.version_info`), so a lazy import counts.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE = PROJECT_ROOT / "src" / "asynclint"


def imported_top_level_modules(path: Path) -> Iterator[tuple[str, int]]:
    """(top-level module, line) of every absolute import in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.partition(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            yield node.module.partition(".")[0], node.lineno


def declared_dependencies(extra: str | None = None) -> list[Requirement]:
    """The core dependencies, plus those of an optional extra."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *(project.get("optional-dependencies", {}).get(extra, []) if extra else [])]
    return [Requirement(line) for line in lines]


#: Packages of asynclint that only an extra's installation imports, and the extra that provides for them.
EXTRAS = {"lsp": SOURCE / "lsp"}


def modules_provided_by(requirements: list[Requirement]) -> dict[str, str]:
    """Top-level module -> the declared distribution that provides it.

    Read from the installed distributions' metadata (`packages_distributions`); a dependency not installed
    here (one for older Pythons only) provides the module named after it, which is how such backports are
    imported (`tomli`).
    """
    declared = {canonicalize_name(requirement.name): requirement.name for requirement in requirements}
    provided: dict[str, str] = {}
    for module, distributions in importlib.metadata.packages_distributions().items():
        for distribution in distributions:
            if canonicalize_name(distribution) in declared:
                provided[module] = distribution
    for name in declared.values():
        provided.setdefault(name.replace("-", "_").lower(), name)
    return provided


def test_every_import_is_the_standard_library_asynclint_or_a_declared_dependency() -> None:
    """The core imports only the core dependencies; a package an extra serves (`asynclint.lsp`) may also import
    that extra's."""
    core = modules_provided_by(declared_dependencies())
    undeclared = []
    for path in sorted(SOURCE.rglob("*.py")):
        extra = next((name for name, folder in EXTRAS.items() if folder in path.parents), None)
        provided = modules_provided_by(declared_dependencies(extra)) if extra else core
        for module, line in imported_top_level_modules(path):
            if module in sys.stdlib_module_names or module == "asynclint" or module in provided:
                continue
            undeclared.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {module}")
    assert not undeclared, "imported but not a declared dependency:\n" + "\n".join(undeclared)


def test_every_declared_dependency_is_imported() -> None:
    """A dependency nothing imports costs every user an install for nothing."""
    used = {module for path in SOURCE.rglob("*.py") for module, _ in imported_top_level_modules(path)}
    provided = modules_provided_by(declared_dependencies())
    unused = sorted(set(provided.values()) - {name for module, name in provided.items() if module in used})
    assert not unused, f"declared but never imported: {unused}"


def test_the_check_catches_a_module_nobody_declares(tmp_path: Path) -> None:
    """The reading above sees lazy imports in functions and version-guarded ones."""
    module = tmp_path / "example.py"
    module.write_text(
        "import sys\nif sys.version_info < (3, 11):\n    import tomli\n\n"
        "def later():\n    from iniconfig import IniConfig\n    from . import sibling\n",
        encoding="utf-8",
    )
    assert sorted(imported_top_level_modules(module)) == [("iniconfig", 6), ("sys", 1), ("tomli", 3)]
    provided = modules_provided_by([Requirement("libcst>=1"), Requirement("tomli; python_version < '3.11'")])
    assert "tomli" in provided and "libcst" in provided and "iniconfig" not in provided
