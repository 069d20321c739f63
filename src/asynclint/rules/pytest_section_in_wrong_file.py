"""AIO607: pytest-section-in-wrong-file."""

from __future__ import annotations

from collections.abc import Iterator

from asynclint.diagnostics import FixAvailability
from asynclint.model.pytest_config import (
    NATIVE_TOML_NAMES,
    NATIVE_TOML_SINCE,
    PYTEST_HEADERS,
    PYTEST_TABLES,
    file_tables,
)
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example
from asynclint.rules.shadowed_pytest_config import pytest_release, read_instead, shown_keys

_TEST = {"test_example.py": "def test_a():\n    pass\n"}
#: Whose header each one is, for messages.
_OWNERS = {
    "tool.pytest.ini_options": "pyproject.toml's table",
    "tool.pytest": "pyproject.toml's native table (pytest 9)",
    "tool:pytest": "setup.cfg's section",
    "pytest": "the section of pytest.ini and tox.ini (and the table of pytest.toml)",
}


class PytestSectionInWrongFile(ConfigRule):
    """
    ## What it does
    Finds pytest settings under a header that another config file gives pytest, but this file's format never
    does: `[tool.pytest.ini_options]` in `setup.cfg`, `tox.ini` or `pytest.toml`, `[tool:pytest]` in `tox.ini`
    or `pytest.ini`, `[pytest]` or `["tool:pytest"]` in `pyproject.toml`. (An unquoted `[tool:pytest]` in
    `pyproject.toml` is not TOML: pytest stops at startup, reported as AIO001.)

    ## Why is this bad?
    pytest reads one header per file name and nothing else: the settings are ignored without a word, so an
    `asyncio_mode = auto` there does nothing and the suite runs in strict mode. A `setup.cfg` or `tox.ini`
    without its own header is not a config file at all, so pytest walks on to the folders above, which changes
    the rootdir.

    ## Example
    `setup.cfg`:
    ```ini
    [tool.pytest.ini_options]
    asyncio_mode = auto
    ```

    Use instead:
    ```ini
    [tool:pytest]
    asyncio_mode = auto
    ```

    ## Fix safety
    No automatic fix: the formats differ (quotes are part of INI values, TOML needs them), so each value must
    be rewritten by hand.
    """

    code = "AIO607"
    name = "pytest-section-in-wrong-file"
    finds = (
        "pytest settings under a header the file's format never gives pytest (`[tool.pytest.ini_options]` in "
        "`setup.cfg`/`tox.ini`, `[tool:pytest]` in `pyproject.toml`)"
    )
    fix_availability = FixAvailability.NONE

    valid = (
        Example("[tool:pytest]\nasyncio_mode = auto\n", files=_TEST, filename="setup.cfg"),
        Example("[pytest]\nasyncio_mode = auto\n", files=_TEST, filename="tox.ini"),
    )
    invalid = (
        Example("[tool.pytest.ini_options]\nasyncio_mode = auto\n", files=_TEST, filename="setup.cfg"),
        Example("[tox]\nenvlist = py312\n\n[tool:pytest]\nasyncio_mode = auto\n", files=_TEST, filename="tox.ini"),
        Example('["tool:pytest"]\nasyncio_mode = "auto"\n', files=_TEST, filename="pyproject.toml"),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        name = ctx.path.name
        reads = [header for header, _ in PYTEST_TABLES.get(name, ())]
        if not reads:
            return
        for table in file_tables(ctx.path):
            if table.header not in PYTEST_HEADERS or table.header in reads or not table.pytest_keys:
                continue
            if name == "setup.cfg" and table.header == "pytest":
                continue  # pytest stops at startup on it (AIO601)
            message = (
                f"`[{table.header}]` is {_OWNERS[table.header]}: in {name} pytest reads only {cls._reads(ctx)}, so "
                f"these settings ({shown_keys(table.pytest_keys)}) are ignored without a word; {read_instead(ctx)}"
            )
            yield ConfigFinding(table.line, 1, message)

    @staticmethod
    def _reads(ctx: ConfigContext) -> str:
        """The header(s) pytest reads in the file, on the project's pytest."""
        name = ctx.path.name
        nine = ctx.versions.at_least("pytest", NATIVE_TOML_SINCE)
        if name in NATIVE_TOML_NAMES:
            if nine is False:
                release = pytest_release(ctx.versions)
                return f"`[pytest]`, and only from pytest {NATIVE_TOML_SINCE} ({release} reads no {name})"
            return f"`[pytest]` (from pytest {NATIVE_TOML_SINCE}; earlier releases read no {name})"
        if name == "pyproject.toml":
            if nine is False:
                return "`[tool.pytest.ini_options]`"
            return f"`[tool.pytest.ini_options]` (or, from pytest {NATIVE_TOML_SINCE}, `[tool.pytest]`)"
        return " or ".join(f"`[{header}]`" for header, _ in PYTEST_TABLES[name])
