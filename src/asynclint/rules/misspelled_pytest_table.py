"""AIO606: misspelled-pytest-table."""

from __future__ import annotations

import re
from collections.abc import Iterator

from asynclint.diagnostics import Applicability, FixAvailability
from asynclint.model.collection import edit_distance
from asynclint.model.pytest_config import NATIVE_TOML_SINCE, PYTEST_HEADERS, PYTEST_TABLES, Table, file_tables
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example, LineEdit
from asynclint.rules.shadowed_pytest_config import pytest_release, read_instead, shown_keys

_TEST = {"test_example.py": "def test_a():\n    pass\n"}
_HEADER_LINE = re.compile(r"^(?P<open>\ufeff?\s*\[)(?P<name>[^\]]*)(?P<close>\].*)$")


class MisspelledPytestTable(ConfigRule):
    """
    ## What it does
    Finds a table (TOML) or section (INI) whose header is within two edits of one pytest reads in that file,
    and that holds pytest settings: `[tool.pytest.ini_otions]` or `[tool.pytest.ini-options]` in
    `pyproject.toml`, `[tool:pyest]` in `setup.cfg`, `[pytset]` in `tox.ini` or `pytest.ini`.

    ## Why is this bad?
    pytest looks its table up by its exact name: a misspelled one is ignored without a word, so its
    `asyncio_mode = auto` does nothing and the suite runs in strict mode. A file without a table pytest reads
    is not a config file at all (`tox.ini`, `setup.cfg`): pytest walks on to the folders above, which changes
    the rootdir. In `pyproject.toml`, pytest 9 takes a misspelled `[tool.pytest.*]` table for a setting of its
    native `[tool.pytest]` table: it warns "Unknown config option", and stops at startup when a real
    `[tool.pytest.ini_options]` is there too.

    ## Example
    ```toml
    [tool.pytest.ini_otions]
    asyncio_mode = "auto"
    ```

    Use instead:
    ```toml
    [tool.pytest.ini_options]
    asyncio_mode = "auto"
    ```

    ## Fix safety
    Safe to rename the header when the file has no table pytest reads and no other config file's settings
    apply to its folders (they would stop applying once this file is read), for a table every pytest reads; a
    table only pytest 9 reads is renamed safely when pytest 9 or later is pinned. Unsafe when another config
    file's settings apply today or the pytest version is not pinned; no fix when the file already has a real
    table or the name is as close to two tables.
    """

    code = "AIO606"
    name = "misspelled-pytest-table"
    finds = (
        "a TOML table or INI section within two edits of one pytest reads (`[tool.pytest.ini_otions]`, "
        "`[tool:pyest]`) holding pytest keys: pytest ignores it"
    )
    fix_summary = "safe: rename when no real table exists"
    fix_availability = FixAvailability.SOMETIMES

    valid = (
        Example('[tool.pytest.ini_options]\nasyncio_mode = "auto"\n', files=_TEST, filename="pyproject.toml"),
        Example('[tool.pytype]\ninputs = ["src"]\n', files=_TEST, filename="pyproject.toml"),
    )
    invalid = (
        Example(
            "[tox]\nenvlist = py312\n\n[pytset]\nasyncio_mode = auto\n",
            files={"app/test_example.py": _TEST["test_example.py"]},
            filename="app/tox.ini",
            expected_fix="[tox]\nenvlist = py312\n\n[pytest]\nasyncio_mode = auto\n",
        ),
        Example('[tool.pytest.ini_otions]\nasyncio_mode = "auto"\n', files=_TEST, filename="pyproject.toml"),
        Example("[metadata]\nname = app\n\n[tool:pyest]\nasyncio_mode = auto\n", files=_TEST, filename="setup.cfg"),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        reads = dict(PYTEST_TABLES.get(ctx.path.name, ()))
        if not reads:
            return
        tables = file_tables(ctx.path)
        misspelled: list[tuple[Table, str]] = []
        for table in tables:
            if table.header in PYTEST_HEADERS or not table.pytest_keys:
                continue  # a table pytest reads, or another file's (AIO607)
            distances = sorted((edit_distance(table.header, header), header) for header in reads)
            near = [header for distance, header in distances if distance <= 2]
            if near and (len(near) == 1 or distances[0][0] < distances[1][0]):
                misspelled.append((table, near[0]))
        real = any(table.header in reads for table in tables)
        for table, target in misspelled:
            since = f", from pytest {reads[target]} on" if reads[target] is not None else ""
            message = (
                f"`[{table.header}]` is not a table pytest reads (`[{target}]` is{since}): "
                f"{cls._outcome(ctx, table)}; {read_instead(ctx)}"
            )
            twins = sum(1 for _, other in misspelled if other == target)
            applicability = cls._applicability(ctx, reads[target])
            fix = None
            if not real and twins == 1 and applicability is not None:
                fix = cls._rename(ctx, table, target)
            yield ConfigFinding(
                table.line,
                1,
                message,
                fix,
                f"Rename to `[{target}]`" if fix else "",
                applicability or Applicability.SAFE,
            )

    @staticmethod
    def _outcome(ctx: ConfigContext, table: Table) -> str:
        """What pytest does with the table, on the project's pytest (on each side of 9.0 when not pinned)."""
        keys = shown_keys(table.pytest_keys)
        ignored = f"pytest ignores it without a word, so its settings ({keys}) do nothing"
        if ctx.path.name != "pyproject.toml" or not table.header.startswith("tool.pytest."):
            return ignored
        setting = table.header.split(".", 2)[2]
        native = (
            f'takes it for the setting `{setting}` of its native `[tool.pytest]` table and warns "Unknown config '
            f'option: {setting}" (and stops at startup next to a `[tool.pytest.ini_options]`)'
        )
        nine = ctx.versions.at_least("pytest", NATIVE_TOML_SINCE)
        if nine is True:
            return f"{pytest_release(ctx.versions)} {native}, so its settings ({keys}) do nothing"
        if nine is False:
            return f"{pytest_release(ctx.versions)} ignores it without a word, so its settings ({keys}) do nothing"
        return (
            f"its settings ({keys}) do nothing: pytest before {NATIVE_TOML_SINCE} ignores it without a word, pytest "
            f"{NATIVE_TOML_SINCE} and later {native}"
        )

    @staticmethod
    def _applicability(ctx: ConfigContext, since: str | None) -> Applicability | None:
        """How safe the rename is: None when the renamed table would not be read on the project's pytest."""
        nine = ctx.versions.at_least("pytest", NATIVE_TOML_SINCE)
        if since is not None and nine is False:
            return None
        config = ctx.settings.config
        displaced = config.path not in (None, str(ctx.path)) and bool(config.values)
        if displaced or (since is not None and nine is None):
            return Applicability.UNSAFE
        return Applicability.SAFE

    @staticmethod
    def _rename(ctx: ConfigContext, table: Table, target: str) -> LineEdit | None:
        if not 0 < table.line <= len(ctx.lines):
            return None
        match = _HEADER_LINE.match(ctx.lines[table.line - 1])
        if match is None:
            return None
        return LineEdit(table.line, f"{match.group('open')}{target}{match.group('close')}")
