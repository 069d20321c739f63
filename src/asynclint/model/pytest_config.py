"""pytest's configuration, found and read the way pytest does it.

One winning file per directory (never merged): the walk goes up from a test file's folder and, in each folder,
checks `pytest.toml`, `.pytest.toml` (pytest >= 9), `pytest.ini`, `.pytest.ini`, `pyproject.toml` (with a
pytest table), `tox.ini` (`[pytest]`) and `setup.cfg` (`[tool:pytest]`). INI values are taken literally,
quotes included, as pytest's `iniconfig` does.

The tables of every candidate file are read too (`file_tables`), whether pytest reads them or not: settings
under a header pytest never reads in that file, or only from pytest 9, are ignored without a word.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import iniconfig

from asynclint import inputs, unsaved
from asynclint.model.versions import ProjectVersions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)
NATIVE_TOML_NAMES = ("pytest.toml", ".pytest.toml")
#: The first pytest release that reads `pytest.toml`, `.pytest.toml` and pyproject's `[tool.pytest]` (native
#: TOML types); earlier ones ignore them without a word.
NATIVE_TOML_SINCE = "9.0"
#: The tables (TOML) or sections (INI) pytest reads its settings from, per config file name, each with the first
#: pytest release that reads it (None: every release). `[pytest]` in setup.cfg is an error, not a table.
PYTEST_TABLES: Mapping[str, tuple[tuple[str, str | None], ...]] = {
    "pytest.toml": (("pytest", NATIVE_TOML_SINCE),),
    ".pytest.toml": (("pytest", NATIVE_TOML_SINCE),),
    "pytest.ini": (("pytest", None),),
    ".pytest.ini": (("pytest", None),),
    "pyproject.toml": (("tool.pytest.ini_options", None), ("tool.pytest", NATIVE_TOML_SINCE)),
    "tox.ini": (("pytest", None),),
    "setup.cfg": (("tool:pytest", None),),
}
#: Every header some config file gives pytest.
PYTEST_HEADERS = frozenset(header for tables in PYTEST_TABLES.values() for header, _ in tables)
#: Settings pytest, pytest-asyncio, anyio and pytest-trio read (7.4 to 9.2). A table holding one of them was
#: meant for pytest; generic names other tools share (`cache_dir`, `log_level`...) are left out.
PYTEST_KEYS = frozenset(
    {
        "addopts",
        "anyio_mode",
        "asyncio_debug",
        "asyncio_default_fixture_loop_scope",
        "asyncio_default_test_loop_scope",
        "asyncio_mode",
        "collect_imported_tests",
        "consider_namespace_packages",
        "console_output_style",
        "doctest_encoding",
        "doctest_optionflags",
        "empty_parameter_set_mark",
        "enable_assertion_pass_hook",
        "faulthandler_timeout",
        "filterwarnings",
        "junit_duration_report",
        "junit_family",
        "junit_log_passing_tests",
        "junit_logging",
        "junit_suite_name",
        "log_cli",
        "log_cli_level",
        "markers",
        "minversion",
        "norecursedirs",
        "python_classes",
        "python_files",
        "python_functions",
        "pythonpath",
        "required_plugins",
        "strict_markers",
        "testpaths",
        "tmp_path_retention_policy",
        "trio_mode",
        "trio_run",
        "usefixtures",
        "xfail_strict",
    }
)

#: A raw config value: a string (INI, or a TOML string), a list of strings, or a native TOML value.
ConfigValue = str | bool | int | float | list[object] | dict[str, object]


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A config file pytest cannot use (reported as AIO001 / AIO601 against the file)."""

    path: str
    line: int | None
    message: str
    #: The file parses but pytest rejects its settings (`[pytest]` in setup.cfg, two pytest tables): reported
    #: as an invalid-config finding (AIO601) rather than as a file asynclint cannot read.
    invalid_settings: bool = False


@dataclass(frozen=True, slots=True)
class PytestConfig:
    """The winning pytest config for a directory, and the rootdir it implies."""

    path: str | None
    rootdir: str
    #: "ini": values are strings read literally; "toml": native TOML values (pytest >= 9 tables).
    mode: str
    #: The table/section the values came from: `[pytest]`, `[tool:pytest]`, `[tool.pytest.ini_options]`...
    section: str | None
    values: Mapping[str, ConfigValue] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    problem: ConfigProblem | None = None

    def describe(self, key: str) -> str:
        """`pytest.ini:3` style location of a key, for messages."""
        if self.path is None:
            return "the pytest defaults"
        name = Path(self.path).name
        line = self.lines.get(key)
        return f"{name}:{line}" if line else name

    def get_str(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, list):
            return " ".join(str(item) for item in value)
        return str(value) if not isinstance(value, dict) else None

    def get_args(self, key: str) -> tuple[str, ...]:
        """An `args`-type option (`addopts`, `python_files`...) as pytest splits it."""
        value = self.values.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            return tuple(str(item) for item in value)
        if isinstance(value, str):
            try:
                return tuple(shlex.split(value))
            except ValueError:
                return tuple(value.split())
        return (str(value),)

    def get_lines(self, key: str) -> tuple[str, ...]:
        """A `linelist`-type option (`markers`...)."""
        value = self.values.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            return tuple(str(item).strip() for item in value if str(item).strip())
        return tuple(line.strip() for line in str(value).splitlines() if line.strip())


def _toml_key_lines(text: str, table: str) -> dict[str, int]:
    """Line numbers of the keys directly under `[table]` (best effort, for messages)."""
    lines: dict[str, int] = {}
    inside = False
    header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = bool(header.match(line))
            if inside:
                lines.setdefault("[table]", number)
            continue
        if inside:
            match = re.match(r"^\s*([A-Za-z0-9_\-\"']+)\s*=", line)
            if match:
                lines.setdefault(match.group(1).strip("\"'"), number)
    return lines


def _toml_error_line(error: Exception) -> int | None:
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class Table:
    """A table (TOML) or section (INI) of a config file, whether or not pytest reads it.

    `header` is the name pytest would look it up by: `tool.pytest.ini_options`, `tool:pytest`, `pytest` (TOML
    keys unquoted, spaces around dots dropped). `keys` are the settings written directly in it.
    """

    header: str
    line: int
    keys: tuple[str, ...]

    @property
    def pytest_keys(self) -> tuple[str, ...]:
        """The keys pytest or its async plugins read: a table holding one was written for pytest."""
        return tuple(key for key in self.keys if key in PYTEST_KEYS)


_TOML_HEADER = re.compile(r"^\s*\[(?!\[)(?P<inner>.+)\]\s*(?:#.*)?$")
_TOML_KEY_PART = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*")
_TRIPLE_QUOTES = re.compile(r"\"\"\"|'''")


def _toml_header_parts(inner: str) -> tuple[str, ...] | None:
    """The keys of a TOML table header (`tool."pytest".ini_options`), or None if it is not one."""
    parts: list[str] = []
    position = 0
    while True:
        match = _TOML_KEY_PART.match(inner, position)
        if match is None or match.end() == position:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        position = match.end()
        if position == len(inner):
            return tuple(parts)
        if inner[position] != ".":
            return None
        position += 1


def _toml_tables(text: str, data: Mapping[str, object]) -> tuple[Table, ...]:
    """The tables a parsed TOML document declares with a `[header]` line (not inside a multi-line string)."""
    tables: list[Table] = []
    quote: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if quote is None:
            match = _TOML_HEADER.match(line)
            parts = _toml_header_parts(match.group("inner")) if match is not None else None
            if parts is not None:
                node: object = data
                for part in parts:
                    node = node.get(part) if isinstance(node, dict) else None
                if isinstance(node, dict):
                    keys = tuple(key for key, value in node.items() if not isinstance(value, dict))
                    tables.append(Table(".".join(parts), number, keys))
                continue
        for delimiter in _TRIPLE_QUOTES.findall(line):
            if quote is None:
                quote = delimiter
            elif delimiter == quote:
                quote = None
    return tuple(tables)


def file_tables(path: Path) -> tuple[Table, ...]:
    """Every table or section of a config file (empty when it cannot be read or parsed)."""
    if path.suffix == ".toml":
        try:
            text = unsaved.read_text(path)
            return _toml_tables(text, tomllib.loads(text))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return ()
    try:
        ini = unsaved.ini_config(path)
    except (iniconfig.ParseError, OSError, UnicodeDecodeError):
        return ()
    return tuple(
        Table(section.name, ini.lineof(section.name) or 1, tuple(k for k, _ in section.items())) for section in ini
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    """The result of loading one candidate file: its values if it holds pytest config, else None."""

    values: dict[str, ConfigValue] | None
    mode: str = "ini"
    section: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    problem: ConfigProblem | None = None
    is_pyproject: bool = False


def _load_ini(path: Path, sections: Sequence[str], always: bool) -> _Candidate:
    try:
        ini = unsaved.ini_config(path)
    except iniconfig.ParseError as error:
        return _Candidate({}, problem=ConfigProblem(str(path), error.lineno + 1, error.msg))
    except (OSError, UnicodeDecodeError) as error:
        return _Candidate({}, problem=ConfigProblem(str(path), None, f"cannot be read: {error}"))
    for section in sections:
        if section in ini:
            values: dict[str, ConfigValue] = dict(ini[section].items())
            lines = {key: (ini.lineof(section, key) or 0) for key in values}
            header = ini.lineof(section)
            if header:
                lines["[table]"] = header
            return _Candidate(values, "ini", f"[{section}]", lines)
    if path.name == "setup.cfg" and "pytest" in ini:
        message = "[pytest] section in setup.cfg files is no longer supported, change to [tool:pytest]"
        problem = ConfigProblem(str(path), ini.lineof("pytest"), message, invalid_settings=True)
        return _Candidate({}, "ini", "[pytest]", problem=problem)
    return _Candidate({} if always else None)


def _toml_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigProblem:
    """pytest's usage error for a TOML file it cannot parse; setup.cfg's `[tool:pytest]` header is the usual
    cause in pyproject.toml (a colon is not allowed in a bare TOML key), so the message says what to write."""
    line = _toml_error_line(error)
    message = str(error)
    rows = text.splitlines()
    if line is not None and 0 < line <= len(rows) and re.match(r"^\s*\[\s*tool:pytest\s*\]", rows[line - 1]):
        message += (
            "; `[tool:pytest]` is setup.cfg's section header: in this file pytest reads `[tool.pytest.ini_options]`"
        )
    return ConfigProblem(str(path), line, message)


def _load_toml(path: Path, native_only: bool, pytest_9: bool) -> _Candidate:
    try:
        text = unsaved.read_text(path)
    except (OSError, UnicodeDecodeError) as error:
        problem = ConfigProblem(str(path), None, f"cannot be read: {error}")
        return _Candidate({}, problem=problem, is_pyproject=not native_only)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return _Candidate({}, problem=_toml_error(path, text, error), is_pyproject=not native_only)
    if native_only:
        table = data.get("pytest")
        values = dict(table) if isinstance(table, dict) else {}
        return _Candidate(values, "toml", "[pytest]", _toml_key_lines(text, "pytest"))
    tool = data.get("tool")
    tool_pytest = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(tool_pytest, dict):
        return _Candidate(None, is_pyproject=True)
    native = {k: v for k, v in tool_pytest.items() if k != "ini_options"}
    ini_options = tool_pytest.get("ini_options")
    if pytest_9 and native:
        lines = _toml_key_lines(text, "tool.pytest")
        both: ConfigProblem | None = None
        if isinstance(ini_options, dict) and ini_options:
            message = "cannot use both [tool.pytest] (native TOML types) and [tool.pytest.ini_options]"
            line = lines.get("[table]")
            if all(isinstance(value, dict) for value in native.values()):
                # No `[tool.pytest]` of its own: a sub-table (a misspelled `ini_options`) made it.
                tables = [t for t in _toml_tables(text, data) if t.header.startswith("tool.pytest.")]
                made = next((t for t in tables if t.header != "tool.pytest.ini_options"), None)
                if made is not None:
                    line = made.line
                    message += (
                        f" (`[{made.header}]` makes `[tool.pytest]` a table: pytest 9 reads it as the setting "
                        f"`{made.header.rsplit('.', 1)[1]}` of its native format)"
                    )
            both = ConfigProblem(str(path), line, message, invalid_settings=True)
        return _Candidate(dict(native), "toml", "[tool.pytest]", lines, both, True)
    if isinstance(ini_options, dict):
        converted: dict[str, ConfigValue] = {
            key: (value if isinstance(value, list) else _ini_scalar(value)) for key, value in ini_options.items()
        }
        lines = _toml_key_lines(text, "tool.pytest.ini_options")
        return _Candidate(converted, "ini", "[tool.pytest.ini_options]", lines, None, True)
    return _Candidate(None, is_pyproject=True)


def _ini_scalar(value: object) -> str:
    """pytest turns TOML scalars in `ini_options` into strings with `str()`."""
    return str(value)


def _load_candidate(path: Path, pytest_9: bool) -> _Candidate:
    name = path.name
    if name in NATIVE_TOML_NAMES:
        return _load_toml(path, native_only=True, pytest_9=pytest_9)
    if name in ("pytest.ini", ".pytest.ini"):
        # Both names count even without a `[pytest]` section; before pytest 9, only `pytest.ini` does.
        return _load_ini(path, ["pytest"], always=name == "pytest.ini" or pytest_9)
    if name == "pyproject.toml":
        return _load_toml(path, native_only=False, pytest_9=pytest_9)
    if name == "tox.ini":
        return _load_ini(path, ["pytest"], always=False)
    return _load_ini(path, ["tool:pytest"], always=False)


class ConfigFinder:
    """pytest's `locate_config`, applied from each test file's folder; cached per folder."""

    def __init__(self, stop_at: Path | None = None) -> None:
        self._by_dir: dict[tuple[Path, bool], PytestConfig] = {}
        self._loaded: dict[tuple[Path, bool], _Candidate] = {}
        self.stop_at = stop_at

    def _load(self, path: Path, pytest_9: bool) -> _Candidate:
        key = (path, pytest_9)
        if key not in self._loaded:
            self._loaded[key] = _load_candidate(path, pytest_9)
        return self._loaded[key]

    def for_directory(self, directory: Path, versions: ProjectVersions) -> PytestConfig:
        """The config the project's pytest reads for a folder (a current pytest, 9 or later, when not pinned)."""
        return self.locate(directory, versions.at_least("pytest", NATIVE_TOML_SINCE) is not False)

    def locate(self, directory: Path, pytest_9: bool) -> PytestConfig:
        """The config pytest 9 and later (`pytest_9`) or earlier releases read for a folder."""
        directory = directory.resolve()
        key = (directory, pytest_9)
        found = self._by_dir.get(key)
        if found is None:
            found = self._locate(directory, pytest_9)
            self._by_dir[key] = found
        return found

    def _locate(self, directory: Path, pytest_9: bool) -> PytestConfig:
        names = CONFIG_NAMES if pytest_9 else CONFIG_NAMES[2:]
        first_pyproject: Path | None = None
        chain = [directory, *directory.parents]
        for base in chain:
            for name in names:
                path = base / name
                if not inputs.is_file(path):
                    continue
                loaded = self._load(path, pytest_9)
                if name == "pyproject.toml" and first_pyproject is None:
                    first_pyproject = path
                if loaded.values is not None or loaded.problem is not None:
                    return PytestConfig(
                        path=str(path),
                        rootdir=str(base),
                        mode=loaded.mode,
                        section=loaded.section,
                        values=loaded.values or {},
                        lines=loaded.lines,
                        problem=loaded.problem,
                    )
        if first_pyproject is not None:
            # pytest >= 8.1: a pyproject.toml without a pytest table still becomes the (empty) config file.
            return PytestConfig(str(first_pyproject), str(first_pyproject.parent), "ini", None)
        for base in chain:
            if inputs.is_file(base / "setup.py"):
                return PytestConfig(None, str(base), "ini", None)
        rootdir = self.stop_at if self.stop_at is not None else directory
        for base in chain:
            if inputs.exists(base / ".git") or inputs.exists(base / ".hg"):
                rootdir = base
                break
        return PytestConfig(None, str(rootdir), "ini", None)


def unread_candidates(
    directory: Path, config: PytestConfig, listed: dict[Path, tuple[Path, ...]] | None = None
) -> tuple[Path, ...]:
    """The candidate config files on pytest's walk up from `directory` other than the one it reads.

    Settings in them are ignored: a file that lost to another in its folder, one the pytest version does not
    know, a table under a header pytest does not read. The walk ends in the folder of the file pytest reads, or
    at the rootdir when it reads none (pytest walks on to the filesystem root, but what lies above the project
    is not the project's to fix). `listed` keeps each folder's candidate files between calls.
    """
    listed = listed if listed is not None else {}
    directory = directory.resolve()
    chain = [directory, *directory.parents]
    last = Path(config.path).parent if config.path is not None else Path(config.rootdir)
    chain = chain[: chain.index(last) + 1] if last in chain else [directory]
    found: list[Path] = []
    for base in chain:
        if base not in listed:
            listed[base] = tuple(base / name for name in CONFIG_NAMES if inputs.is_file(base / name))
        found.extend(path for path in listed[base] if str(path) != config.path)
    return tuple(found)
