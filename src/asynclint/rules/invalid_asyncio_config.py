"""AIO601: invalid-asyncio-config."""

from __future__ import annotations

import re
from collections.abc import Iterator

from asynclint.diagnostics import FixAvailability
from asynclint.model.loops import SCOPES
from asynclint.model.settings import LEGACY, LEGACY_REMOVED_IN, MODES_SINCE, valid_modes
from asynclint.model.versions import ProjectVersions
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example, LineEdit

_TEST = {"test_example.py": "def test_a():\n    pass\n"}


def _ini(text: str) -> Example:
    return Example(text, files=_TEST, filename="pytest.ini")


class InvalidAsyncioConfig(ConfigRule):
    """
    ## What it does
    Checks pytest-asyncio's settings in the config file pytest reads: `asyncio_mode` must be exactly `auto` or
    `strict` (or `legacy`, where pytest-asyncio 0.17 to 0.19 is pinned), and
    `asyncio_default_fixture_loop_scope` / `asyncio_default_test_loop_scope` one of function, class, module,
    package or session. In INI-format files (`pytest.ini`, `tox.ini`, `setup.cfg`, and
    `[tool.pytest.ini_options]` values) quotes are part of the value: `"function"` is not `function`.

    ## Why is this bad?
    An invalid mode stops pytest at startup: a usage error from pytest-asyncio 0.21.1, an internal error
    (`ValueError`) before. Legacy mode was removed in 0.20; when the version is not pinned, a current release
    is assumed. An invalid loop scope is a usage error from pytest-asyncio 1.2, and silently accepted (then
    ignored) before: the tests run in other loops than the config asks for. Releases before 0.17 have no
    `asyncio_mode` at all (AIO605 reports it).

    ## Example
    ```ini
    [pytest]
    asyncio_default_fixture_loop_scope = "function"
    ```

    Use instead:
    ```ini
    [pytest]
    asyncio_default_fixture_loop_scope = function
    ```

    ## Fix safety
    Safe when stripping the quotes or lowercasing gives a valid value: that is the value that was meant.
    Otherwise no fix. Config files have no `noqa` comments: use `--ignore` or `per-file-ignores`.
    """

    code = "AIO601"
    name = "invalid-asyncio-config"
    finds = (
        "an invalid `asyncio_mode` or `asyncio_default_*_loop_scope` value in the config pytest reads (quotes are "
        "part of INI values)"
    )
    fix_summary = "safe (strip quotes, lowercase)"
    fix_availability = FixAvailability.SOMETIMES

    valid = (_ini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"),)
    invalid = (
        Example(
            '[pytest]\nasyncio_default_fixture_loop_scope = "function"\n',
            files=_TEST,
            filename="pytest.ini",
            expected_fix="[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        ),
        Example(
            "[pytest]\nasyncio_mode = Auto\n",
            files=_TEST,
            filename="pytest.ini",
            expected_fix="[pytest]\nasyncio_mode = auto\n",
        ),
        _ini("[pytest]\nasyncio_mode = legacy\n"),
        _ini("[pytest]\nasyncio_default_test_loop_scope = auto\n"),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        if ctx.settings.asyncio_plugin_disabled:
            # `-p no:asyncio`: pytest-asyncio never reads these keys (pytest only calls them unknown options).
            return
        values = ctx.config.values
        ini = ctx.config.mode == "ini"
        versions = ctx.versions
        checks: list[tuple[str, tuple[str, ...], str | None]] = [
            ("asyncio_default_fixture_loop_scope", (*SCOPES, "fixture-scope"), None),
            ("asyncio_default_test_loop_scope", SCOPES, None),
        ]
        if versions.at_least("pytest-asyncio", MODES_SINCE) is not False:
            raw_mode = ctx.config.get_str("asyncio_mode") or ""
            checks.insert(0, ("asyncio_mode", valid_modes(versions), cls._invalid_mode(raw_mode, versions)))
        for key, valid, outcome in checks:
            if key not in values:
                continue
            raw = ctx.config.get_str(key)
            if raw is None or raw in valid:
                continue
            if outcome is None:
                newer = versions.at_least("pytest-asyncio", "1.2")
                if newer is True:
                    outcome = "pytest-asyncio stops pytest at startup with a usage error"
                elif newer is False:
                    outcome = "pytest-asyncio accepts it silently and the tests do not get the loop it names"
                else:
                    outcome = "a usage error at startup from pytest-asyncio 1.2 (silently ignored before)"
            line = ctx.line_of(key)
            unquoted = raw.strip("\"'") if ini and len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else raw
            candidate = unquoted.lower()
            quoted_note = " (in this file's format quotes are part of the value)" if unquoted != raw else ""
            message = f"`{key} = {raw}` is not a valid value{quoted_note}: {outcome}"
            fix = None
            if candidate in valid and 0 < line <= len(ctx.lines):
                text = ctx.lines[line - 1]
                pattern = re.compile(rf"^(\s*{re.escape(key)}\s*[=:]\s*){re.escape(raw)}(\s*(?:[#;].*)?)$")
                match = pattern.match(text)
                if match is not None:
                    fix = LineEdit(line, f"{match.group(1)}{candidate}{match.group(2)}")
            yield ConfigFinding(
                line, ctx.column_of(line, key), message, fix, f"Use `{key} = {candidate}`" if fix else ""
            )

    @staticmethod
    def _invalid_mode(raw: str, versions: ProjectVersions) -> str:
        """What pytest-asyncio does with a mode it does not know, on the project's version.

        0.17 to 0.21.0 fail with an internal error (`ValueError: 'x' is not a valid Mode`); 0.21.1 made it a
        usage error. `legacy` is valid up to 0.19: an unpinned version is taken to be a current release.
        """
        package = versions.get("pytest-asyncio")
        pinned = f"pytest-asyncio {package.exact}" if package is not None and package.exact else None
        usage = versions.at_least("pytest-asyncio", "0.21.1")
        if usage is True:
            outcome = f"{pinned or 'pytest-asyncio'} stops pytest at startup with a usage error"
        elif usage is False:
            outcome = f"{pinned or 'pytest-asyncio'} stops pytest at startup with an internal error (ValueError)"
        else:
            outcome = "pytest stops at startup with a usage error (an internal error before pytest-asyncio 0.21.1)"
        if raw != LEGACY:
            return outcome
        if versions.at_least("pytest-asyncio", LEGACY_REMOVED_IN) is True:
            return f"{outcome}: legacy mode was removed in pytest-asyncio {LEGACY_REMOVED_IN}"
        return (
            f"{outcome}: legacy mode was removed in pytest-asyncio {LEGACY_REMOVED_IN} (0.17 to 0.19 accept it; "
            "the version is not pinned, so a current release is assumed)"
        )
