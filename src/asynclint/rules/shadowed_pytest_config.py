"""AIO604: shadowed-pytest-config."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import iniconfig

from asynclint import inputs
from asynclint.diagnostics import FixAvailability
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_CANDIDATES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def _pytest_section(path: Path) -> tuple[str, int, list[str]] | None:
    """(section, header line, keys) of the pytest config a file holds, or None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        if path.name in ("pytest.toml", ".pytest.toml"):
            table, section = data.get("pytest"), "pytest"
        else:
            tool = data.get("tool", {})
            pytest_table = tool.get("pytest", {}) if isinstance(tool, dict) else {}
            table = pytest_table.get("ini_options") if isinstance(pytest_table, dict) else None
            section = "tool.pytest.ini_options"
            if not isinstance(table, dict) and isinstance(pytest_table, dict) and pytest_table:
                table, section = pytest_table, "tool.pytest"
        if not isinstance(table, dict) or not table:
            return None
        header = f"[{section}]"
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith(header)), 1)
        return header, line, sorted(table)
    try:
        ini = iniconfig.IniConfig(str(path))
    except iniconfig.ParseError:
        return None
    names = ("tool:pytest",) if path.name == "setup.cfg" else ("pytest",)
    for name in names:
        if name in ini:
            keys = sorted(k for k, _ in ini[name].items())
            return (f"[{name}]", ini.lineof(name) or 1, keys) if keys else None
    return None


class ShadowedPytestConfig(ConfigRule):
    """
    ## What it does
    Finds pytest settings in a config file pytest does not read, because another file in the same folder
    wins: a `[tool.pytest.ini_options]` table next to a `pytest.ini`, a `[pytest]` section in `tox.ini` next
    to a `pyproject.toml` table, a `pytest.toml` on pytest before 9...

    ## Why is this bad?
    pytest reads exactly one config file. Settings in the others are ignored: an `asyncio_mode = auto` there
    does nothing, and the suite runs in strict mode. pytest 9 prints "ignoring pytest config in ..." in its
    header; older versions say nothing.

    ## Example
    `pytest.ini` holds `[pytest]` and `pyproject.toml` holds `[tool.pytest.ini_options] asyncio_mode = "auto"`.

    Use instead: move the settings into the file pytest reads, and delete the other table.

    ## Fix safety
    No automatic fix: merging two configs needs a decision on every key they both set.
    """

    code = "AIO604"
    name = "shadowed-pytest-config"
    finds = "pytest settings in a file pytest does not read, because another config file in the folder wins"
    fix_availability = FixAvailability.NONE

    valid = (
        Example(
            "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            files={"test_example.py": "def test_a():\n    pass\n"},
            filename="pytest.ini",
        ),
    )
    invalid = (
        Example(
            "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            files={
                "test_example.py": "def test_a():\n    pass\n",
                "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
            },
            filename="pytest.ini",
        ),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        winner = ctx.path.resolve()
        pytest_9 = ctx.versions.at_least("pytest", "9.0")
        for name in _CANDIDATES:
            other = winner.parent / name
            if other == winner or not inputs.is_file(other):
                continue
            if name in ("pytest.toml", ".pytest.toml") and pytest_9 is not False:
                continue  # on pytest 9 it would have won: a pytest.toml that lost means something else is odd
            found = _pytest_section(other)
            if found is None:
                continue
            section, line, keys = found
            shown = ", ".join(f"`{k}`" for k in keys[:4]) + (" ..." if len(keys) > 4 else "")
            message = (
                f"pytest reads {ctx.path.name} in this folder, so the {section} settings here ({shown}) are "
                "ignored; move them into that file"
            )
            yield ConfigFinding(line, 1, message, path=other)
