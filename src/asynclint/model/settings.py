"""The pytest settings that decide how async tests run, derived from the winning config file.

`asyncio_mode` follows pytest-asyncio's own resolution: the last `--asyncio-mode` option (here: in `addopts`)
beats `-o asyncio_mode=...`, which beats the ini key. What the modes are depends on the pytest-asyncio version:
releases before 0.17 have none (they run every async fixture, and only the tests with an `asyncio` mark);
0.17 named that behaviour `legacy` mode and made it the default, next to `strict` and `auto`; 0.19 made strict
the default, and 0.20 removed legacy mode. When the version is not pinned, a current release is assumed (unset
means strict) and the reason says so. A mode that is also passed on a command line asynclint cannot see (tox,
nox, Makefiles, CI workflows) is unknown unless the user tells asynclint which mode applies.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import iniconfig

from asynclint import inputs, unsaved
from asynclint.model.pytest_config import PYTEST_TABLES, PytestConfig
from asynclint.model.versions import ProjectVersions

VALID_MODES = ("auto", "strict")
LEGACY = "legacy"
#: pytest-asyncio releases that changed the modes: 0.17 introduced them (and `pytest_asyncio.fixture`), 0.19
#: made strict the default, 0.20 removed legacy mode.
MODES_SINCE = "0.17"
STRICT_DEFAULT_SINCE = "0.19"
LEGACY_REMOVED_IN = "0.20"
_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0"}
ASYNCIO_PLUGIN_NAMES = {"asyncio", "pytest_asyncio", "pytest_asyncio.plugin"}


@dataclass(frozen=True, slots=True)
class PytestSettings:
    """What pytest and its async plugins will do for the test files under one config."""

    config: PytestConfig
    #: "strict", "auto" or "legacy" (also the behaviour of pytest-asyncio before 0.17, which has no modes);
    #: None when it cannot be known statically.
    asyncio_mode: str | None
    #: How the mode was decided, for messages: "asyncio_mode = auto in pytest.ini:3", "the default (strict)"...
    mode_reason: str
    asyncio_plugin_disabled: bool
    anyio_auto: bool
    trio_mode: bool
    python_files: tuple[str, ...]
    python_classes: tuple[str, ...]
    python_functions: tuple[str, ...]
    registered_markers: tuple[str, ...]
    strict_markers: bool
    #: Plugins named with `-p` in addopts (excluding `no:` ones).
    plugins: tuple[str, ...]
    pythonpath: tuple[str, ...]
    #: The key of the config file that decided the mode: `addopts` (its `--asyncio-mode` or
    #: `-o asyncio_mode=...` beats the key) or `asyncio_mode`; None when the mode comes from elsewhere (asynclint's
    #: settings, a conftest, the default) or is unknown. Findings about the mode point at this key.
    mode_key: str | None = None

    @property
    def marks_needed(self) -> bool:
        """pytest-asyncio runs only the async tests with an `asyncio` mark (strict and legacy mode)."""
        return self.asyncio_mode in ("strict", LEGACY)

    @property
    def runs_plain_async_fixtures(self) -> bool:
        """pytest-asyncio runs `async def` fixtures under plain `@pytest.fixture` (auto and legacy mode)."""
        return self.asyncio_mode in ("auto", LEGACY)

    def is_test_module(self, path: Path) -> bool:
        return any(_matches_file(pattern, path) for pattern in self.python_files)

    def is_test_class(self, name: str) -> bool:
        return any(_matches_name(pattern, name) for pattern in self.python_classes)

    def is_test_function(self, name: str) -> bool:
        return any(_matches_name(pattern, name) for pattern in self.python_functions)


def _matches_name(pattern: str, name: str) -> bool:
    """pytest's `_matches_prefix_or_glob_option`: a glob when it has glob characters, else a prefix."""
    if any(char in pattern for char in "*?["):
        return fnmatch.fnmatch(name, pattern)
    return name.startswith(pattern)


def _matches_file(pattern: str, path: Path) -> bool:
    if "/" in pattern or "\\" in pattern:
        return fnmatch.fnmatch(str(path), f"*{pattern}") or fnmatch.fnmatch(str(path), pattern)
    return fnmatch.fnmatch(path.name, pattern)


def strtobool(value: object) -> bool | None:
    """pytest's ini bool parsing; None for a value pytest would reject."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _option_values(tokens: tuple[str, ...], long: str) -> Iterator[str]:
    """Values of `--long=X` / `--long X` among command-line tokens, in order."""
    for index, token in enumerate(tokens):
        if token == long and index + 1 < len(tokens):
            yield tokens[index + 1]
        elif token.startswith(long + "="):
            yield token[len(long) + 1 :]


def _short_values(tokens: tuple[str, ...], short: str, long: str) -> Iterator[str]:
    """Values of `-p X` / `-pX` / `--long=X` / `--long X`."""
    for index, token in enumerate(tokens):
        if token == short and index + 1 < len(tokens):
            yield tokens[index + 1]
        elif token.startswith(short) and len(token) > len(short) and not token.startswith("--"):
            yield token[len(short) :]
    yield from _option_values(tokens, long)


def _marker_name(line: str) -> str:
    return re.split(r"[:(]", line, maxsplit=1)[0].strip()


def _overrides(addopts: tuple[str, ...]) -> dict[str, str]:
    """The ini values `-o key=value` (`--override-ini`) in addopts set."""
    overrides: dict[str, str] = {}
    for item in _short_values(addopts, "-o", "--override-ini"):
        key, sep, value = item.partition("=")
        if sep:
            overrides[key.strip()] = value
    return overrides


def _configured_mode(
    config: PytestConfig, addopts: tuple[str, ...], overrides: Mapping[str, str], versions: ProjectVersions
) -> tuple[str, str, str | None]:
    """The mode the config file sets, as written, why, and the key it is set under (None for the default):
    `--asyncio-mode` in addopts wins over `-o asyncio_mode=` there, which wins over `asyncio_mode`."""
    where = config.describe
    cli_modes = list(_option_values(addopts, "--asyncio-mode"))
    if cli_modes:
        return cli_modes[-1], f"`--asyncio-mode={cli_modes[-1]}` in the addopts of {where('addopts')}", "addopts"
    if "asyncio_mode" in overrides:
        raw = overrides["asyncio_mode"]
        return raw, f"`-o asyncio_mode={raw}` in the addopts of {where('addopts')}", "addopts"
    if "asyncio_mode" in config.values:
        configured = config.values["asyncio_mode"]
        raw = configured if isinstance(configured, str) else repr(configured)
        return raw, f"`asyncio_mode = {raw}` in {where('asyncio_mode')}", "asyncio_mode"
    raw, reason = _default_mode(versions)
    return raw, reason, None


def derive_settings(
    config: PytestConfig,
    *,
    mode_override: tuple[str, str] | None = None,
    external_mode_sources: tuple[str, ...] = (),
    code_mode: tuple[str | None, str] | None = None,
    ambiguity: str | None = None,
    versions: ProjectVersions | None = None,
) -> PytestSettings:
    """Settings for one config.

    `mode_override` is (mode, where it was set) from asynclint's own options and wins over everything.
    `code_mode` is what conftest code assigns to `config.option.asyncio_mode` (None: something unknown), which
    beats the config file. `ambiguity` says why the config file itself depends on how pytest is invoked.
    `versions` are the project's: the modes, their default and which values are valid depend on them.
    """
    addopts = config.get_args("addopts")
    plugins = tuple(_short_values(addopts, "-p", "--plugin"))
    disabled = {p[3:] for p in plugins if p.startswith("no:")}
    overrides = _overrides(addopts)
    versions = versions if versions is not None else ProjectVersions(root=None)
    valid = valid_modes(versions)
    mode: str | None
    mode_key: str | None = None
    if mode_override is not None:
        mode, reason = mode_override[0], f"set by {mode_override[1]}"
    elif versions.at_least("pytest-asyncio", MODES_SINCE) is False:
        mode, reason = _before_modes(config, addopts, overrides, code_mode, _pinned(versions))
    elif code_mode is not None:
        mode, reason = code_mode
        if mode not in valid:
            mode = None
    elif ambiguity is not None:
        mode, reason = None, ambiguity
    elif external_mode_sources:
        mode = None
        reason = (
            f"`--asyncio-mode` is also passed in {', '.join(external_mode_sources)}; set `asyncio-mode` in "
            "[tool.asynclint] or pass --asyncio-mode to asynclint"
        )
    else:
        raw, reason, mode_key = _configured_mode(config, addopts, overrides, versions)
        mode = raw if raw in valid else None
        if mode is None:
            reason = f"{reason} is not a valid mode (pytest stops at startup)"
    if config.problem is not None and mode_override is None:
        mode, reason = None, f"the pytest config {config.problem.path} cannot be read"
    if mode is None:
        mode_key = None
    anyio_modes = list(_option_values(addopts, "--anyio-mode"))
    anyio_raw = anyio_modes[-1] if anyio_modes else overrides.get("anyio_mode", config.get_str("anyio_mode"))
    trio_raw: object = overrides.get("trio_mode", config.values.get("trio_mode", False))
    markers = tuple(_marker_name(line) for line in config.get_lines("markers"))
    return PytestSettings(
        config=config,
        asyncio_mode=mode,
        mode_reason=reason,
        asyncio_plugin_disabled=bool(disabled & ASYNCIO_PLUGIN_NAMES),
        anyio_auto=anyio_raw == "auto" and "anyio" not in disabled,
        trio_mode=strtobool(trio_raw) is True and "trio" not in disabled,
        python_files=config.get_args("python_files") or ("test_*.py", "*_test.py"),
        python_classes=config.get_args("python_classes") or ("Test",),
        python_functions=config.get_args("python_functions") or ("test",),
        registered_markers=markers,
        strict_markers="--strict-markers" in addopts or "--strict" in addopts,
        plugins=tuple(p for p in plugins if not p.startswith("no:")),
        pythonpath=config.get_args("pythonpath"),
        mode_key=mode_key,
    )


def valid_modes(versions: ProjectVersions) -> tuple[str, ...]:
    """The `asyncio_mode` values pytest-asyncio accepts: legacy too where the pinned release still has it.

    A version that is not pinned is taken to be a current release, which rejects `legacy`.
    """
    if versions.at_least("pytest-asyncio", LEGACY_REMOVED_IN) is False:
        return (*VALID_MODES, LEGACY)
    return VALID_MODES


def _pinned(versions: ProjectVersions) -> str:
    """ "pytest-asyncio 0.16.0 (from a pin in requirements.txt)", for reasons."""
    package = versions.get("pytest-asyncio")
    return f"pytest-asyncio {package.describe()}" if package is not None else "pytest-asyncio"


def _default_mode(versions: ProjectVersions) -> tuple[str, str]:
    """The mode of a project that does not set one: legacy on 0.17 and 0.18, strict from 0.19.

    Without a pinned version a current release is assumed, and the reason says so: on an older one, the plain
    `@pytest.fixture` async fixtures strict mode leaves alone would run.
    """
    newer = versions.at_least("pytest-asyncio", STRICT_DEFAULT_SINCE)
    if newer is True:
        return "strict", "`asyncio_mode` is not set"
    if newer is False:
        return LEGACY, f"`asyncio_mode` is not set, and legacy is the default of {_pinned(versions)}"
    return (
        "strict",
        f"`asyncio_mode` is not set; strict is the default from pytest-asyncio {STRICT_DEFAULT_SINCE}, and as "
        "the version is not pinned a current release is assumed",
    )


def _before_modes(
    config: PytestConfig,
    addopts: tuple[str, ...],
    overrides: dict[str, str],
    code_mode: tuple[str | None, str] | None,
    pinned: str,
) -> tuple[str | None, str]:
    """pytest-asyncio before 0.17 has no modes: it runs every async fixture, and only marked tests (what 0.17
    calls legacy mode). An `asyncio_mode` setting means nothing to it; `--asyncio-mode` is an unknown option."""
    cli_modes = list(_option_values(addopts, "--asyncio-mode"))
    if cli_modes:
        return None, (
            f"`--asyncio-mode={cli_modes[-1]}` in the addopts of {config.describe('addopts')} is an option "
            f"{pinned} does not have (pytest stops with a usage error)"
        )
    if "asyncio_mode" in overrides:
        ignored = f", so `-o asyncio_mode={overrides['asyncio_mode']}` in the addopts does nothing"
    elif "asyncio_mode" in config.values:
        ignored = f", so `asyncio_mode` in {config.describe('asyncio_mode')} does nothing"
    elif code_mode is not None:
        ignored = ", so the mode conftest code sets does nothing"
    else:
        ignored = ""
    return LEGACY, f"{pinned} has no modes{ignored}; it behaves as the legacy mode of 0.17 to 0.19"


# -- the asyncio mode passed on command lines asynclint does not see ---------------------------------------

_MODE_ON_COMMAND_LINE = re.compile(r"--asyncio-mode|(?:-o\s*|--override-ini[=\s]+)asyncio_mode\s*=")
_SCANNED_FILES = (
    "tox.ini",
    "noxfile.py",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "justfile",
    "Justfile",
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    ".travis.yml",
    "Jenkinsfile",
    "pyproject.toml",
    "setup.cfg",
    "tox.toml",
    "pixi.toml",
)
_SCANNED_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".circleci/*.yml", "scripts/*.sh")


def external_mode_sources(rootdir: Path, config: PytestConfig) -> tuple[str, ...]:
    """Files (other than the winning config's pytest table) that pass `--asyncio-mode` to pytest.

    Looked for from the rootdir up to the repository root.
    """
    found: list[str] = []
    chain = [rootdir, *rootdir.parents]
    top = next((i for i, d in enumerate(chain) if inputs.exists(d / ".git") or inputs.exists(d / ".hg")), 0)
    for base in chain[: top + 1]:
        paths = [base / name for name in _SCANNED_FILES]
        for pattern in _SCANNED_GLOBS:
            paths.extend(sorted(base.glob(pattern)))
        for path in paths:
            if inputs.is_file(path) and _passes_mode(path, config):
                try:
                    found.append(str(path.relative_to(rootdir)))
                except ValueError:
                    found.append(str(path))
    return tuple(found)


def _passes_mode(path: Path, config: PytestConfig) -> bool:
    try:
        text = unsaved.read_text(path, errors="replace")
    except OSError:
        return False
    if not _MODE_ON_COMMAND_LINE.search(text):
        return False
    if config.path is not None and path.parent == Path(config.path).parent and path.name in PYTEST_TABLES:
        # The winning config's pytest table is already read, and the pytest tables of the other config files in
        # its folder never are (the winner beats them however pytest is run): look at their other sections only.
        owns = {header for header, _ in PYTEST_TABLES[path.name]}
        if Path(config.path) == path and config.section:
            owns.add(config.section.strip("[]"))
        if path.suffix in (".ini", ".cfg"):
            return _ini_mentions_mode_outside(path, owns)
        return _toml_mentions_mode_outside(text, owns)
    return True


def _ini_mentions_mode_outside(path: Path, owns: set[str]) -> bool:
    try:
        ini = unsaved.ini_config(path)
    except (iniconfig.ParseError, OSError, UnicodeDecodeError):
        return False
    return any(
        _MODE_ON_COMMAND_LINE.search(value) for part in ini if part.name not in owns for _, value in part.items()
    )


def _toml_mentions_mode_outside(text: str, owns: set[str]) -> bool:
    current = None
    for line in text.splitlines():
        header = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            current = header.group(1)
            continue
        if current in owns:
            continue
        if _MODE_ON_COMMAND_LINE.search(line):
            return True
    return False
