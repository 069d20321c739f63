"""asynclint's own settings: `[tool.asynclint]` in pyproject.toml, or an asynclint.toml.

The nearest file above the linted paths that has such a table wins (an asynclint.toml before a pyproject.toml
in the same folder). Unknown keys are an error that names the key, so a typo never silently does nothing.
Command-line options override the file.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from asynclint import unsaved

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Keys read by the project model (mode, versions, environment); checked here, used by `ModelSettings`.
MODEL_KEYS = frozenset({"asyncio-mode", "pytest-version", "pytest-asyncio-version", "python"})
LINT_KEYS = frozenset({"select", "extend-select", "ignore", "per-file-ignores", "exclude", "extend-exclude"})


class SettingsError(ValueError):
    """A `[tool.asynclint]` table asynclint cannot use (an unknown key, a value of the wrong type)."""


@dataclass(frozen=True)
class ModelSettings:
    """What `[tool.asynclint]` tells the project model: the mode, the versions and the environment."""

    asyncio_mode: str | None = None
    #: Package name -> version (`pytest`, `pytest-asyncio`).
    versions: Mapping[str, str] = field(default_factory=dict)
    #: The project's environment, absolute (a relative path is relative to the settings file's folder).
    python: str | None = None


def parse_model_settings(table: Mapping[str, object], path: Path, base: Path | None = None) -> ModelSettings:
    """The model's keys of one settings table, checked: a value asynclint cannot use is an error that names
    the file, the key and the value, never a setting that silently does nothing. Relative paths are relative
    to `base` (default: the file's folder)."""
    source = settings_source(path)
    mode = table.get("asyncio-mode")
    if mode is not None and mode not in ("strict", "auto"):
        raise SettingsError(f'{source}: asyncio-mode = {_shown(mode)} is not a mode (use "strict" or "auto")')
    versions: dict[str, str] = {}
    for key, package in (("pytest-version", "pytest"), ("pytest-asyncio-version", "pytest-asyncio")):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not is_version(value):
            raise SettingsError(f'{source}: {key} = {_shown(value)} is not a version (write it as a string: "1.5.0")')
        versions[package] = value
    python = table.get("python")
    if python is not None:
        if not isinstance(python, str) or not python.strip():
            raise SettingsError(
                f"{source}: python = {_shown(python)} is not a path (a virtualenv folder or its python)"
            )
        python = str((base or path.parent) / Path(python).expanduser())
        problem = python_environment_problem(python)
        if problem is not None:
            raise SettingsError(f"{source}: python = {_shown(table['python'])}: {problem}")
    return ModelSettings(
        asyncio_mode=mode if isinstance(mode, str) else None,
        versions=versions,
        python=python if isinstance(python, str) else None,
    )


def is_version(value: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(value)
    except InvalidVersion:
        return False
    return True


def python_environment_problem(python: str) -> str | None:
    """Why `python` (a `--python` value or setting) names no environment asynclint can read, or None."""
    path = Path(python).expanduser()
    if not path.exists():
        return f"{path} does not exist"
    if path.is_dir() and not (path / "pyvenv.cfg").is_file() and not _has_site_packages(path):
        return f"{path} is neither a Python environment (no pyvenv.cfg, no site-packages) nor an interpreter"
    return None


def _has_site_packages(folder: Path) -> bool:
    patterns = ("lib/python3*/site-packages", "lib64/python3*/site-packages", "Lib/site-packages")
    return any(any(folder.glob(pattern)) for pattern in patterns)


def _shown(value: object) -> str:
    """A setting's value as it is written in TOML."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def shown_file(path: Path) -> str:
    """A settings file as messages name it: relative to the current folder when inside it, as findings are
    (so reports and errors do not depend on where the checkout sits)."""
    from asynclint.files import display_path

    return display_path(path, Path.cwd())


def settings_source(path: Path) -> str:
    """How messages name a settings table: `[tool.asynclint] in app/pyproject.toml`, or the asynclint.toml."""
    shown = shown_file(path)
    return f"[tool.asynclint] in {shown}" if path.name == "pyproject.toml" else shown


@dataclass(frozen=True)
class LintSettings:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Glob (relative to the settings file's folder) -> codes or prefixes ignored in matching files.
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Globs that replace the default excluded folders; None keeps the defaults.
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    #: The folder the globs are relative to (the settings file's), None without a file.
    base: Path | None = None
    source: str | None = None
    #: `[tool.asynclint.<rule-name>]` tables: rule name -> option -> values. Checked against the options each
    #: rule declares when the rules are loaded (`check_rule_options`).
    rule_options: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    #: The settings file itself, None without one.
    path: Path | None = None
    model: ModelSettings = field(default_factory=ModelSettings)

    def ignored_in(self, path: Path) -> tuple[str, ...]:
        """Codes `per-file-ignores` turns off for this file."""
        relative = self._relative(path)
        if relative is None:
            return ()
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores.items():
            if _matches(relative, pattern):
                codes.extend(ignored)
        return tuple(codes)

    def excluded(self, path: Path) -> bool:
        """Whether `exclude`/`extend-exclude` leave this file or folder out."""
        relative = self._relative(path)
        if relative is None:
            return False
        patterns = (*(self.exclude or ()), *self.extend_exclude)
        return any(_matches(relative, pattern) for pattern in patterns)

    def _relative(self, path: Path) -> str | None:
        if self.base is None:
            return None
        try:
            return PurePosixPath(path.resolve().relative_to(self.base)).as_posix()
        except ValueError:
            return None


def _matches(relative: str, pattern: str) -> bool:
    """A glob against a relative path, or any of its folders (`tests/legacy` excludes everything below)."""
    pattern = pattern.rstrip("/")
    parts = relative.split("/")
    candidates = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    return any(fnmatch.fnmatch(candidate, pattern) for candidate in candidates) or any(
        fnmatch.fnmatch(part, pattern) for part in parts
    )


def _codes(table: Mapping[str, object], key: str, source: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{source}: `{key}` must be a list of codes, prefixes or rule names")
    return tuple(item.strip() for item in value if item.strip())


def parse_lint_settings(table: Mapping[str, object], path: Path, base: Path | None = None) -> LintSettings:
    """The settings of one table; relative globs and paths are relative to `base` (default: the file's folder)."""
    source = settings_source(path)
    base = (base or path.parent).resolve()
    tool = table.get("tool")
    if path.name != "pyproject.toml" and isinstance(tool, dict) and "asynclint" in tool:
        raise SettingsError(
            f"{source}: a [tool.asynclint] header belongs in pyproject.toml; in {path.name} the keys go at the top "
            "of the file, without a header (write `select = [...]`, and `[per-file-ignores]` for "
            "`[tool.asynclint.per-file-ignores]`)"
        )
    rule_options: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, value in table.items():
        if key in LINT_KEYS or key in MODEL_KEYS or not isinstance(value, dict) or key == "per-file-ignores":
            continue
        options: dict[str, tuple[str, ...]] = {}
        for option, values in value.items():
            found = _codes({option: values}, option, f"{source}, [{key}]")
            options[str(option)] = found or ()
        rule_options[key] = options
    unknown = sorted(set(table) - LINT_KEYS - MODEL_KEYS - set(rule_options))
    if unknown:
        known = ", ".join(sorted(LINT_KEYS | MODEL_KEYS))
        raise SettingsError(f"{source}: unknown key `{unknown[0]}` (known keys: {known})")
    per_file: dict[str, tuple[str, ...]] = {}
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: `per-file-ignores` must be a table of glob = [codes]")
    for pattern, codes in raw.items():
        found = _codes({"codes": codes}, "codes", source)
        per_file[str(pattern)] = found or ()
    return LintSettings(
        select=_codes(table, "select", source),
        extend_select=_codes(table, "extend-select", source) or (),
        ignore=_codes(table, "ignore", source) or (),
        per_file_ignores=per_file,
        exclude=_codes(table, "exclude", source),
        extend_exclude=_codes(table, "extend-exclude", source) or (),
        base=base,
        source=source,
        rule_options=rule_options,
        path=path,
        model=parse_model_settings(table, path, base),
    )


def check_rule_options(settings: LintSettings, declared: Mapping[str, Mapping[str, str]]) -> None:
    """Every `[tool.asynclint.<rule-name>]` table names a rule, and only options that rule declares.

    `declared` is rule name -> option -> its help text (from the rule classes).
    """
    source = settings.source or "[tool.asynclint]"
    for name, options in settings.rule_options.items():
        if name not in declared:
            with_options = ", ".join(sorted(rule for rule, known in declared.items() if known)) or "none"
            raise SettingsError(
                f"{source}: unknown key `{name}` (a table of rule options must be named after a rule that has "
                f"options: {with_options})"
            )
        for option in options:
            if option not in declared[name]:
                known = ", ".join(sorted(declared[name])) or "none"
                raise SettingsError(f"{source}: unknown option `{option}` for `{name}` (its options: {known})")


def check_codes(settings: LintSettings) -> None:
    """Every code of `select`, `extend-select`, `ignore` and `per-file-ignores` names a rule, a code prefix or
    `ALL`, as on the command line; an error names the key and the code."""
    from asynclint.registry import UnknownSelector, check_selectors

    source = settings.source or "[tool.asynclint]"
    lists: list[tuple[str, tuple[str, ...]]] = [
        ("select", settings.select or ()),
        ("extend-select", settings.extend_select),
        ("ignore", settings.ignore),
        *((f'per-file-ignores "{pattern}"', codes) for pattern, codes in settings.per_file_ignores.items()),
    ]
    for key, codes in lists:
        try:
            check_selectors(codes)
        except UnknownSelector as error:
            raise SettingsError(f"{source}: unknown rule code or name in {key}: {error}") from error


def _toml_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> str:
    """`path:line:column: invalid TOML: reason`, as editors link it."""
    message = str(error)
    path = Path(shown_file(path))
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if where is not None:
        return f"{path}:{where[1]}:{where[2]}: invalid TOML: {message[: where.start()]}"
    end = re.search(r"\s*\(at end of document\)$", message)
    if end is not None:
        line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        return f"{path}:{line}:{column}: invalid TOML: {message[: end.start()]} (at the end of the file)"
    return f"{path}: invalid TOML: {message}"


def read_settings_file(path: Path) -> LintSettings:
    """The settings of a file the user names (`--config`): an asynclint.toml-style file (any name), or a
    pyproject.toml, which must then have a `[tool.asynclint]` table. As in ruff, relative paths in a file named
    this way are relative to the current folder (the file is often kept apart, for CI)."""
    try:
        text = unsaved.read_text(path)
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{shown_file(path)}: cannot be read: {error}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(_toml_error(path, text, error)) from error
    if path.name != "pyproject.toml":
        return parse_lint_settings(data, path, Path.cwd())
    tool = data.get("tool")
    table = tool.get("asynclint") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise SettingsError(f"{shown_file(path)}: has no [tool.asynclint] table")
    return parse_lint_settings(table, path, Path.cwd())


def find_lint_settings(paths: Sequence[Path], config: Path | None = None) -> LintSettings:
    """The settings of the file named by `config`, else of the nearest asynclint.toml or `[tool.asynclint]`
    above the linted paths."""
    if config is not None:
        return read_settings_file(config.resolve())
    if not paths:
        return LintSettings()
    start = paths[0].resolve()
    directory = start if start.is_dir() else start.parent
    for base in (directory, *directory.parents):
        for name in ("asynclint.toml", "pyproject.toml"):
            candidate = base / name
            if not candidate.is_file():
                continue
            try:
                text = unsaved.read_text(candidate)
            except (OSError, UnicodeDecodeError) as error:
                if name == "asynclint.toml":
                    raise SettingsError(f"{shown_file(candidate)}: cannot be read: {error}") from error
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                # A pyproject.toml that may not configure asynclint is pytest's business (AIO001 reports it).
                if name == "asynclint.toml" or "[tool.asynclint" in text:
                    raise SettingsError(_toml_error(candidate, text, error)) from error
                continue
            if name == "asynclint.toml":
                return parse_lint_settings(data, candidate)
            tool = data.get("tool")
            table = tool.get("asynclint") if isinstance(tool, dict) else None
            if isinstance(table, dict):
                return parse_lint_settings(table, candidate)
    return LintSettings()
