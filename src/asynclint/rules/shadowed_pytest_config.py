"""AIO604: shadowed-pytest-config."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from asynclint.diagnostics import FixAvailability
from asynclint.model.pytest_config import (
    NATIVE_TOML_NAMES,
    NATIVE_TOML_SINCE,
    PYTEST_TABLES,
    ConfigFinder,
    PytestConfig,
    Table,
    file_tables,
)
from asynclint.model.versions import ProjectVersions
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example

_TEST = {"test_example.py": "def test_a():\n    pass\n"}


def pytest_release(versions: ProjectVersions) -> str:
    """`pytest 8.4.2` when pinned, else `pytest`."""
    package = versions.get("pytest")
    return f"pytest {package.exact}" if package is not None and package.exact else "pytest"


def shown_keys(keys: Sequence[str]) -> str:
    return ", ".join(f"`{key}`" for key in keys[:4]) + (" ..." if len(keys) > 4 else "")


def relative(target: str, ctx: ConfigContext) -> str:
    """A config file as seen from the reported one: its name in the same folder, else a relative path."""
    path = Path(target)
    if path.parent == ctx.path.parent:
        return path.name
    return Path(os.path.relpath(path, ctx.path.parent)).as_posix()


def read_instead(ctx: ConfigContext, config: PytestConfig | None = None) -> str:
    """What pytest reads for the reported file's folders instead of its settings."""
    config = config if config is not None else ctx.settings.config
    if config.path is None:
        return "no config file applies, so pytest runs with its defaults"
    if config.path == str(ctx.path):
        return f"{ctx.path.name} stays pytest's config file, with none of these settings"
    return f"pytest reads {relative(config.path, ctx)} instead"


def read_before_9(ctx: ConfigContext) -> PytestConfig:
    """The config pytest before 9 reads for the reported file's folders (the model assumes 9 when not pinned)."""
    return ConfigFinder().locate(Path(ctx.directories[0].directory), pytest_9=False)


def is_read(ctx: ConfigContext, table: Table) -> bool:
    """Whether the project's pytest reads this table of the reported file."""
    config = ctx.settings.config
    return config.path == str(ctx.path) and config.section == f"[{table.header}]"


class ShadowedPytestConfig(ConfigRule):
    """
    ## What it does
    Finds pytest settings in a table pytest does not read: in a config file that loses to another one in the
    same folder (a `[tool.pytest.ini_options]` table next to a `pytest.ini`, a `[pytest]` section in `tox.ini`
    next to a `pyproject.toml` table), or in a table only pytest 9 reads (`pytest.toml`, `.pytest.toml`,
    pyproject's native `[tool.pytest]`) when the project's pytest is older. When the pytest version is not
    pinned, a table only pytest 9 reads is reported with what each side of 9.0 does.

    ## Why is this bad?
    pytest reads exactly one config file, and in it one table. Settings elsewhere are ignored: an
    `asyncio_mode = auto` there does nothing, and the suite runs in strict mode. pytest 9 prints "ignoring
    pytest config in ..." in its header for a losing file of the same folder; older versions say nothing, and
    no version says anything about a table it does not know.

    ## Example
    `pytest.ini` holds `[pytest]` and `pyproject.toml` holds `[tool.pytest.ini_options] asyncio_mode = "auto"`.
    Or, with pytest 8 pinned:
    ```toml
    [tool.pytest]
    asyncio_mode = "auto"
    ```

    Use instead: move the settings into the file and table pytest reads (`[tool.pytest.ini_options]` before
    pytest 9), and delete the other table, or require pytest 9.

    ## Fix safety
    No automatic fix: merging two configs needs a decision on every key they both set, and a native TOML table
    moved to `[tool.pytest.ini_options]` needs its values checked.
    """

    code = "AIO604"
    name = "shadowed-pytest-config"
    finds = (
        "pytest settings in a file pytest does not read, because another config file in the folder wins, or in "
        "`pytest.toml` / `[tool.pytest]` when pytest is older than 9"
    )
    fix_availability = FixAvailability.NONE

    valid = (
        Example("[pytest]\nasyncio_default_fixture_loop_scope = function\n", files=_TEST, filename="pytest.ini"),
        Example(
            '[project]\nname = "app"\n\n[tool.pytest]\nasyncio_mode = "auto"\n',
            files={"app/test_example.py": _TEST["test_example.py"], "app/requirements.txt": "pytest==9.0.0\n"},
            filename="app/pyproject.toml",
        ),
    )
    invalid = (
        Example(
            "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            files={**_TEST, "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'},
            filename="pytest.ini",
        ),
        Example(
            '[project]\nname = "app"\n\n[tool.pytest]\nasyncio_mode = "auto"\n',
            files={"app/test_example.py": _TEST["test_example.py"], "app/requirements.txt": "pytest==8.4.2\n"},
            filename="app/pyproject.toml",
        ),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        tables = dict(PYTEST_TABLES.get(ctx.path.name, ()))
        for table in file_tables(ctx.path):
            if table.header not in tables or not table.keys:
                continue
            if tables[table.header] == NATIVE_TOML_SINCE:
                message = cls._native(ctx, table)
            elif not is_read(ctx, table):
                message = cls._shadowed(ctx, table)
            else:
                message = None
            if message is not None:
                yield ConfigFinding(table.line, 1, message)

    @staticmethod
    def _where(ctx: ConfigContext, table: Table) -> str:
        if ctx.path.name in NATIVE_TOML_NAMES:
            return ctx.path.name
        return f"`[{table.header}]` (native TOML types) in {ctx.path.name}"

    @classmethod
    def _native(cls, ctx: ConfigContext, table: Table) -> str | None:
        """A table only pytest 9 and later read."""
        nine = ctx.versions.at_least("pytest", NATIVE_TOML_SINCE)
        if nine is True:
            return None if is_read(ctx, table) else cls._shadowed(ctx, table)
        where = cls._where(ctx, table)
        keys = shown_keys(table.keys)
        move = "`[tool.pytest.ini_options]`" if ctx.path.name == "pyproject.toml" else "a file it reads"
        if nine is False:
            return (
                f"{pytest_release(ctx.versions)} does not read {where}: only pytest {NATIVE_TOML_SINCE} and later "
                f"do, earlier releases ignore it without a word, so its settings ({keys}) do nothing and "
                f"{read_instead(ctx)}; move them to {move} or require pytest>={NATIVE_TOML_SINCE}"
            )
        if not is_read(ctx, table):
            return cls._shadowed(ctx, table)
        return (
            f"only pytest {NATIVE_TOML_SINCE} and later read {where}; earlier releases ignore it without a word, "
            f"so there its settings ({keys}) do nothing and {read_instead(ctx, read_before_9(ctx))} (the pytest "
            f"version is not pinned); require pytest>={NATIVE_TOML_SINCE}, or move them to {move}"
        )

    @classmethod
    def _shadowed(cls, ctx: ConfigContext, table: Table) -> str | None:
        """A table of a file that loses to another config file of its folder."""
        config = ctx.settings.config
        if config.path is None or Path(config.path).parent != ctx.path.parent or config.path == str(ctx.path):
            return None
        winner = Path(config.path).name
        keys = shown_keys(table.keys)
        nine = ctx.versions.at_least("pytest", NATIVE_TOML_SINCE)
        if nine is None and (winner in NATIVE_TOML_NAMES or config.section == "[tool.pytest]"):
            before = read_before_9(ctx)
            earlier = (
                "earlier releases read these settings"
                if before.path == str(ctx.path)
                else f"earlier releases do not read {winner} ({read_instead(ctx, before)})"
            )
            return (
                f"pytest {NATIVE_TOML_SINCE} and later read {winner} in this folder, so the [{table.header}] "
                f"settings here ({keys}) are ignored there; {earlier} (the pytest version is not pinned); keep one "
                "config file"
            )
        header = f'"ignoring pytest config in {ctx.path.name}" in its header'
        if nine is True:
            said = f"{pytest_release(ctx.versions)} only says {header}"
        elif nine is False:
            said = f"{pytest_release(ctx.versions)} says nothing about it"
        else:
            said = f"pytest 9 only says {header}, earlier releases nothing"
        return (
            f"pytest reads {winner} in this folder, so the [{table.header}] settings here ({keys}) are ignored "
            f"({said}); move them into that file"
        )
