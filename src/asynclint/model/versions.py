"""The linted project's package versions, read from its files (never from asynclint's own environment).

Sources, in the order the rule catalog gives: an explicit setting; a lock file (`uv.lock`, `poetry.lock`,
`pdm.lock`) or an exact `==` pin; the project's own virtual environment; a declared version range. A package
none of them mentions is unknown.

The project's environment is also where installed packages are read from (`ProjectVersions.site_packages`);
`python_environments` finds it when it lives outside the project (Poetry, virtualenvwrapper, pyenv, uv). An
environment is the project's only if it agrees with the project: one holding a pytest or pytest-asyncio the
project's lock file or declared requirements exclude (or pytest-asyncio where the lock has none) belongs to
something else, typically another project whose environment is active, and is ignored. What was used and
ignored, and why, is kept for `--verbose` (`ProjectVersions.environments`).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from asynclint import inputs, unsaved
from asynclint.model.python_environments import described_tool_environments, is_environment, site_packages

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock")
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini", "pytest.ini", *LOCK_FILES)
VCS_MARKERS = (".git", ".hg")
#: Environments that belong to a tool, not to the project (pre-commit, pipx, uv tool).
_TOOL_ENV_PARTS = ("pre-commit", "pipx", os.path.join("uv", "tools"))
#: The packages whose versions decide what asynclint reports: an environment holding a version of one that the
#: project's lock file or declared requirements exclude is not the project's.
DECISIVE_PACKAGES = ("pytest", "pytest-asyncio", "pytest-aiohttp", "aiomisc")

_SEPARATORS = re.compile(r"[-_.]+")


def canonicalize_name(name: str) -> str:
    """A package's normalized name (PEP 503), as `packaging.utils.canonicalize_name` gives it: that module
    imports packaging's platform tags, which cost a short run more than all of its own work."""
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True, slots=True)
class PackageVersion:
    """What is known about one package's version in the linted project."""

    name: str
    exact: str | None
    specifier: str | None
    source: str
    #: The exact version is only what the project's environment holds: the project itself allows any version of
    #: `specifier` (None: anything), which a fix must hold for (another checkout installs another version).
    from_environment: bool = False

    @property
    def version(self) -> Version | None:
        if self.exact is None:
            return None
        try:
            return Version(self.exact)
        except InvalidVersion:
            return None

    def describe(self) -> str:
        if self.exact is not None:
            return f"{self.exact} (from {self.source})"
        if self.specifier:
            return f"{self.specifier} (from {self.source})"
        return f"unknown version (listed in {self.source})"

    def guaranteed_at_least(self, minimum: str) -> bool | None:
        """`at_least` for what the project guarantees (its lock, pins or declared range) rather than what one
        environment happens to hold: what a version-dependent fix must rely on."""
        if not self.from_environment:
            return self.at_least(minimum)
        return PackageVersion(self.name, None, self.specifier, self.source).at_least(minimum)

    def allows_series_of(self, release: str) -> bool:
        """Whether the project may use a release of the same series as `release` (the same major version): its
        exact version is one, or its declared range does not rule `release` out. Facts read from one release
        (asynclint's library index) hold for its series, not for `aiohttp<3` or `redis==3.5`."""
        try:
            other = Version(release)
        except InvalidVersion:
            return False
        version = self.version
        if version is not None:
            return version.major == other.major
        if not self.specifier or not _excludes(self.specifier, release):
            return True
        # `aiohttp>=3.8,<3.10` rules out the index's 3.11 but allows its series.
        low, high = _bounds(self.specifier)
        return (low is None or low.major <= other.major) and (high is None or high > Version(f"{other.major}"))

    def at_least(self, minimum: str) -> bool | None:
        """True/False when every version the project allows is >= / < `minimum`; None when it depends."""
        bound = Version(minimum)
        version = self.version
        if version is not None:
            return version >= bound
        low, high = _bounds(self.specifier)
        if low is not None and low >= bound:
            return True
        if high is not None and high <= bound:
            return False
        return None


@dataclass(frozen=True, slots=True)
class EnvironmentNote:
    """An environment asynclint looked at for a project, and what it made of it (shown by `--verbose`)."""

    path: str
    #: How it was found: "`.venv` in the project", "the active environment, `VIRTUAL_ENV`"...
    found_as: str
    #: Why it was not used; None for the one that was.
    ignored: str | None = None
    #: For the environment used although it disagrees with the project (one the user named): how.
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectVersions:
    """Versions for one project root; `packages` is keyed by canonical package name."""

    root: str | None
    packages: Mapping[str, PackageVersion] = field(default_factory=dict)
    #: site-packages folders of the project's environment, where installed packages are read from.
    site_packages: tuple[str, ...] = ()
    #: Where the complete list of the project's packages comes from (its lock file, its environment), or None
    #: when only what the project declares is known: a package another one brings in may then be missing.
    inventory: str | None = None
    #: The environments looked at for the project, in order: the one used (if any) last.
    environments: tuple[EnvironmentNote, ...] = ()

    def get(self, name: str) -> PackageVersion | None:
        return self.packages.get(canonicalize_name(name))

    def has(self, name: str) -> bool:
        return canonicalize_name(name) in self.packages

    def at_least(self, name: str, minimum: str) -> bool | None:
        package = self.get(name)
        return None if package is None else package.at_least(minimum)

    def guaranteed_at_least(self, name: str, minimum: str) -> bool | None:
        """See `PackageVersion.guaranteed_at_least`: for deciding whether a version-dependent fix is safe."""
        package = self.get(name)
        return None if package is None else package.guaranteed_at_least(minimum)


def _bounds(specifier: str | None) -> tuple[Version | None, Version | None]:
    """Lowest allowed version (inclusive) and exclusive upper bound of a specifier, where they are plain."""
    if not specifier:
        return None, None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only when a pin needs reading

    try:
        specs = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None, None
    low: Version | None = None
    high: Version | None = None
    for spec in specs:
        text = spec.version.replace(".*", "")
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if spec.operator in (">=", "==", "~=", "==="):
            low = version if low is None or version > low else low
        if spec.operator == ">":
            low = version if low is None or version > low else low
        if spec.operator in ("<", "<="):
            high = version if high is None or version < high else high
        if spec.operator == "~=":
            release = version.release
            upper = release[:-1] if len(release) > 1 else release
            bumped = (*upper[:-1], upper[-1] + 1)
            high_v = Version(".".join(str(part) for part in bumped))
            high = high_v if high is None or high_v < high else high
        if spec.operator == "==" and spec.version.endswith(".*"):
            release = version.release
            bumped = (*release[:-1], release[-1] + 1)
            high_v = Version(".".join(str(part) for part in bumped))
            high = high_v if high is None or high_v < high else high
    return low, high


# -- reading sources -------------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, object] | None:
    try:
        with path.open("rb") as handle:
            data: dict[str, object] = tomllib.load(handle)
            return data
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


#: The head of a package table as uv, poetry and pdm write it: `[[package]]`, then its name and version.
_LOCK_PACKAGE = re.compile(r'^\[\[package\]\]\r?\nname = "([^"\n]+)"\r?\nversion = "([^"\n]+)"', re.M)


def _lock_versions(path: Path) -> dict[str, str]:
    """name -> version for every package a uv/poetry/pdm lock file records.

    Lock files run to megabytes and a TOML parse of one costs more than linting a test file: the package
    heads are read with a pattern when every `[[package]]` table starts the way the lockers write it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    heads = _LOCK_PACKAGE.findall(text)
    if len(heads) == text.count("[[package]]"):
        return {canonicalize_name(name): version for name, version in heads}
    data = _read_toml(path)
    if data is None:
        return {}
    found: dict[str, str] = {}
    packages = data.get("package", [])
    if isinstance(packages, list):
        for package in packages:
            if isinstance(package, dict):
                name, version = package.get("name"), package.get("version")
                if isinstance(name, str) and isinstance(version, str):
                    found[canonicalize_name(name)] = version
    return found


#: A requirement with nothing but a name, extras and plain `op version` clauses: most lines of most projects.
_PLAIN_REQUIREMENT = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[\s*(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:,\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*)*)?\])?\s*"
    r"(?P<clauses>(?:(?:==|!=|>=|<=|~=|<|>)\s*[0-9][0-9a-z.*]*\s*)(?:,\s*(?:==|!=|>=|<=|~=|<|>)\s*[0-9][0-9a-z.*]*\s*)*)?"
)
_PLAIN_CLAUSE = re.compile(r"(==|!=|>=|<=|~=|<|>)\s*([0-9][0-9a-z.*]*)")
#: Versions whose every spelling packaging accepts after any of those operators (wildcards aside).
_PLAIN_VERSION = re.compile(r"(?P<release>[0-9]+(?:\.[0-9]+)*)(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?")


def _parse_requirement(text: str) -> tuple[str, str] | None:
    """(normalized name, specifier) of a PEP 508 requirement line, as `packaging` reads it, or None."""
    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith(("-", "#")) or "://" in text:
        return None
    plain = _plain_requirement(text)
    if plain is not None:
        return plain
    # Markers, URLs and unusual versions: packaging's full grammar (whose import costs a short run ~40 ms).
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    return canonicalize_name(requirement.name), str(requirement.specifier)


def _plain_requirement(text: str) -> tuple[str, str] | None:
    """The common case read without packaging; None when the line needs its full grammar."""
    match = _PLAIN_REQUIREMENT.fullmatch(text)
    if match is None:
        return None
    clauses = _PLAIN_CLAUSE.findall(match.group("clauses") or "")
    if len({operator for operator, _ in clauses}) < len(clauses):
        return None  # packaging merges equal clauses (`==1, ==1.0`): its set decides which spelling stays
    specs = []
    for operator, version in clauses:
        wildcard = version.endswith(".*")
        parsed = _PLAIN_VERSION.fullmatch(version[:-2] if wildcard else version)
        if parsed is None:
            return None
        release_only = parsed.group("release") == parsed.group(0)
        if wildcard and (operator not in ("==", "!=") or not release_only):
            return None
        if operator == "~=" and "." not in parsed.group("release"):
            return None  # `~=1` is invalid; leave the verdict to packaging
        specs.append(operator + version)
    return canonicalize_name(match.group("name")), ",".join(sorted(specs))


def _requirement_lines(path: Path, seen: set[Path]) -> Iterator[str]:
    """Lines of a requirements file, following `-r`/`-c` includes next to it."""
    if path in seen:
        return
    seen.add(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for raw in lines:
        line = raw.strip()
        include = re.match(r"^(?:-r|-c|--requirement|--constraint)[=\s]+(\S+)", line)
        if include:
            yield from _requirement_lines(path.parent / include.group(1), seen)
        else:
            yield line


def _pyproject_requirements(data: Mapping[str, object]) -> Iterator[str]:
    """Every requirement string a pyproject.toml declares (PEP 621, dependency groups, poetry, pdm, uv, hatch)."""
    project = data.get("project")
    if isinstance(project, dict):
        yield from _strings(project.get("dependencies"))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group in optional.values():
                yield from _strings(group)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group in groups.values():
            yield from _strings(group)
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        poetry_groups = poetry.get("group")
        if isinstance(poetry_groups, dict):
            tables.extend(g.get("dependencies") for g in poetry_groups.values() if isinstance(g, dict))
        for table in tables:
            if isinstance(table, dict):
                for name, spec in table.items():
                    yield _poetry_requirement(name, spec)
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
        for group in pdm["dev-dependencies"].values():
            yield from _strings(group)
    uv = tool.get("uv")
    if isinstance(uv, dict):
        yield from _strings(uv.get("dev-dependencies"))
    hatch = tool.get("hatch")
    if isinstance(hatch, dict) and isinstance(hatch.get("envs"), dict):
        for env in hatch["envs"].values():
            if isinstance(env, dict):
                yield from _strings(env.get("dependencies"))
                yield from _strings(env.get("extra-dependencies"))


def _poetry_requirement(name: str, spec: object) -> str:
    """Poetry's `name = "0.21.1"` is an exact pin; `^`/`~` are ranges."""
    version = spec.get("version") if isinstance(spec, dict) else spec
    if not isinstance(version, str) or version in ("*", ""):
        return name
    version = version.strip()
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return f"{name}=={version}"
    caret = re.fullmatch(r"\^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if caret:
        parts = [int(p) for p in caret.groups() if p is not None]
        lower = ".".join(str(p) for p in parts)
        first_nonzero = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
        upper_parts = parts[: first_nonzero + 1]
        upper_parts[-1] += 1
        return f"{name}>={lower},<{'.'.join(str(p) for p in upper_parts)}"
    tilde = re.fullmatch(r"~(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if tilde:
        parts = [int(p) for p in tilde.groups() if p is not None]
        lower = ".".join(str(p) for p in parts)
        upper_parts = parts[:2] if len(parts) > 1 else parts[:1]
        upper_parts[-1] += 1
        return f"{name}>={lower},<{'.'.join(str(p) for p in upper_parts)}"
    return f"{name}{version}" if version[0] in "<>=!~" else name


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item


def _ini_requirements(path: Path, sections: Iterable[str], keys: Iterable[str]) -> Iterator[str]:
    """Requirement lines from setup.cfg / tox.ini values (`install_requires`, `deps`...)."""
    import iniconfig

    try:
        ini = unsaved.ini_config(path)
    except (iniconfig.ParseError, OSError, UnicodeDecodeError):
        return
    wanted = tuple(sections)
    for section in ini:
        if not any(section.name == s or section.name.startswith(s + ":") for s in wanted):
            continue
        for key, value in section.items():
            if key in keys or (section.name == "options.extras_require"):
                for line in value.splitlines():
                    yield line.strip()


_SETUP_PY_REQUIREMENT = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*[<>=!~][^"']*)["']""")


def _declared_requirements(project_dir: Path) -> Iterator[tuple[str, str]]:
    """(source file name, requirement) for everything the project declares next to its root."""
    seen: set[Path] = set()
    candidates: list[Path] = []
    try:
        entries = sorted(os.listdir(project_dir))
    except OSError:
        entries = []
    for name in entries:
        lowered = name.lower()
        if lowered.endswith((".txt", ".in")) and ("requirement" in lowered or "constraint" in lowered):
            candidates.append(project_dir / name)
    for folder in ("requirements", "requirements.d", "reqs"):
        sub = project_dir / folder
        if inputs.is_dir(sub):
            candidates.extend(sorted(p for p in sub.iterdir() if p.suffix in (".txt", ".in")))
    for folder in ("tests", "test", "ci"):
        # `tests/requirements.txt`: the test dependencies kept next to the tests.
        sub = project_dir / folder
        if inputs.is_dir(sub):
            candidates.extend(
                sorted(p for p in sub.iterdir() if p.suffix in (".txt", ".in") and "requirement" in p.name.lower())
            )
    for path in candidates:
        for line in _requirement_lines(path, seen):
            yield path.name, line
    pyproject = project_dir / "pyproject.toml"
    if inputs.is_file(pyproject):
        data = _read_toml(pyproject)
        if data is not None:
            for line in _pyproject_requirements(data):
                yield "pyproject.toml", line
    setup_cfg = project_dir / "setup.cfg"
    if inputs.is_file(setup_cfg):
        for line in _ini_requirements(setup_cfg, ["options"], ["install_requires", "tests_require"]):
            yield "setup.cfg", line
        for line in _ini_requirements(setup_cfg, ["options.extras_require"], []):
            yield "setup.cfg", line
    tox_ini = project_dir / "tox.ini"
    if inputs.is_file(tox_ini):
        for line in _ini_requirements(tox_ini, ["testenv"], ["deps"]):
            yield "tox.ini", line
    setup_py = project_dir / "setup.py"
    if inputs.is_file(setup_py):
        try:
            text = setup_py.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        for match in _SETUP_PY_REQUIREMENT.finditer(text):
            yield "setup.py", match.group(1)


_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)\.(?:dist-info|egg-info)$")


def _environment_versions(env: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for site in site_packages(env):
        try:
            names = os.listdir(site)
        except OSError:
            continue
        for name in names:
            match = _DIST_INFO.match(name)
            if match:
                found[canonicalize_name(match.group("name"))] = match.group("version")
    return found


# -- the resolver -------------------------------------------------------------------------------------------


class VersionResolver:
    """Finds the versions that apply to a directory; results are cached per project root."""

    def __init__(
        self,
        overrides: Mapping[str, str] | None = None,
        *,
        virtual_env: str | None = None,
        cwd: Path | None = None,
        python: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.overrides: dict[str, str] = {str(canonicalize_name(k)): v for k, v in (overrides or {}).items()}
        #: The process environment the tools' settings are read from (`POETRY_*`, `WORKON_HOME`...).
        self.environ: Mapping[str, str] = environ if environ is not None else os.environ
        self.virtual_env = virtual_env if virtual_env is not None else self.environ.get("VIRTUAL_ENV")
        #: An environment the user named (`--python`, `[tool.asynclint] python`): it wins over the others.
        self.python = environment_of(python) if python else None
        self.cwd = (cwd or Path.cwd()).resolve()
        self._by_dir: dict[Path, ProjectVersions] = {}
        self._by_project: dict[Path | None, ProjectVersions] = {}

    def for_directory(self, directory: Path) -> ProjectVersions:
        directory = directory.resolve()
        cached = self._by_dir.get(directory)
        if cached is None:
            ancestors = _ancestors_to_boundary(directory)
            project_dir = next((d for d in ancestors if is_project_dir(d)), None)
            key = project_dir
            cached = self._by_project.get(key)
            if cached is None:
                workspace = uv_workspace_root(project_dir) if project_dir is not None else None
                cached = self._resolve(project_dir, _lock_file(project_dir, workspace), workspace)
                self._by_project[key] = cached
            self._by_dir[directory] = cached
        return cached

    def _resolve(self, project_dir: Path | None, lock_path: Path | None, workspace: Path | None) -> ProjectVersions:
        packages: dict[str, PackageVersion] = {}
        ranges: dict[str, tuple[list[str], str]] = {}
        pins: dict[str, dict[str, str]] = {}
        if project_dir is not None:
            for source, line in _declared_requirements(project_dir):
                parsed = _parse_requirement(line)
                if parsed is None:
                    continue
                name, spec = parsed
                exact = re.fullmatch(r"===?([^,*;\s]+)", spec)
                if exact:
                    pins.setdefault(name, {})[exact.group(1)] = source
                else:
                    specs, _ = ranges.setdefault(name, ([], source))
                    if spec:
                        specs.append(spec)
        locked = _lock_versions(lock_path) if lock_path is not None else {}
        env_versions: dict[str, str] = {}
        env_source = ""
        sites: tuple[str, ...] = ()
        notes: list[EnvironmentNote] = []
        for env, found_as, named in self._project_environments(project_dir, workspace, notes):
            installed = _environment_versions(env)
            if not installed:
                notes.append(EnvironmentNote(str(env), found_as, "it holds no installed packages"))
                continue
            disagreement = _disagreement(installed, locked, lock_path, pins, ranges)
            if disagreement is not None and not named:
                notes.append(EnvironmentNote(str(env), found_as, f"{disagreement}, so it belongs to something else"))
                continue
            notes.append(EnvironmentNote(str(env), found_as, caveat=disagreement))
            env_versions = installed
            env_source = f"the environment {env}"
            sites = tuple(str(site) for site in site_packages(env))
            break
        names = set(self.overrides) | set(locked) | set(pins) | set(ranges) | set(env_versions)
        for name in names:
            if name in self.overrides:
                packages[name] = PackageVersion(name, self.overrides[name], None, "asynclint settings")
            elif name in locked:
                assert lock_path is not None
                packages[name] = PackageVersion(name, locked[name], None, lock_path.name)
            elif name in pins and len(pins[name]) == 1:
                version, source = next(iter(pins[name].items()))
                packages[name] = PackageVersion(name, version, None, f"a pin in {source}")
            elif name in env_versions:
                declared = ",".join(ranges[name][0]) if name in ranges and ranges[name][0] else None
                packages[name] = PackageVersion(name, env_versions[name], declared, env_source, from_environment=True)
            elif name in pins:
                # Pinned differently in different files (several test environments): no single version.
                sources = ", ".join(sorted(set(pins[name].values())))
                packages[name] = PackageVersion(name, None, None, f"conflicting pins in {sources}")
            else:
                specs, source = ranges[name]
                packages[name] = PackageVersion(name, None, ",".join(specs) if specs else None, source)
        root = str(project_dir) if project_dir is not None else None
        inventory = lock_path.name if locked and lock_path is not None else env_source or None
        return ProjectVersions(
            root=root, packages=packages, site_packages=sites, inventory=inventory, environments=tuple(notes)
        )

    def _project_environments(
        self, project_dir: Path | None, workspace: Path | None, notes: list[EnvironmentNote]
    ) -> Iterator[tuple[Path, str, bool]]:
        """The project's own environments, in the order a user expects them to count: the one named in the
        settings, `.venv`/`venv` inside the project, the active one when asynclint runs from the project (not
        a tool's, such as pre-commit's), then where the project's tools keep it (`python_environments`). Each
        comes with how it was found and whether the user named it.

        Lazy, and each environment once: the caller stops at the first it uses. Runs once per project
        (`_resolve` is cached), however many folders and files the run has. An active environment passed over
        is noted in `notes`, with why.
        """
        seen: set[Path] = set()
        for env, found_as, named in self._candidates(project_dir, workspace, notes):
            key = env.absolute()
            if key not in seen:
                seen.add(key)
                yield env, found_as, named

    def _candidates(
        self, project_dir: Path | None, workspace: Path | None, notes: list[EnvironmentNote]
    ) -> Iterator[tuple[Path, str, bool]]:
        if self.python is not None:
            yield self.python, "named by `--python` or `python` in the asynclint settings", True
        if project_dir is None:
            return
        for name in (".venv", "venv"):
            candidate = project_dir / name
            if inputs.is_file(candidate / "pyvenv.cfg"):
                yield candidate, f"`{name}` in the project", False
        if self.virtual_env:
            env = Path(self.virtual_env)
            active = "the active environment, `VIRTUAL_ENV`"
            inside_project = _is_relative_to(env.resolve(), project_dir)
            run_from_project = _is_relative_to(self.cwd, project_dir)
            tool_env = any(part in str(env) for part in _TOOL_ENV_PARTS) or _is_pre_commit_env(env, self.environ)
            if inside_project or (run_from_project and not tool_env):
                yield env, active, False
            elif tool_env:
                notes.append(
                    EnvironmentNote(str(env), active, "it is a tool's environment (pre-commit, pipx, uv tool)")
                )
            else:
                notes.append(EnvironmentNote(str(env), active, "asynclint runs from outside the project"))
        # A uv workspace member's lock is the workspace's, and so is its environment.
        for env, found_as in described_tool_environments(project_dir, self.environ, workspace_root=workspace):
            if is_environment(env):
                yield env, found_as, False


def _disagreement(
    installed: Mapping[str, str],
    locked: Mapping[str, str],
    lock_path: Path | None,
    pins: Mapping[str, Mapping[str, str]],
    ranges: Mapping[str, tuple[list[str], str]],
) -> str | None:
    """How an environment's versions of the packages that decide asynclint's verdicts contradict what the
    project locks or declares, or None when they agree (or the project says nothing about them)."""
    for name in DECISIVE_PACKAGES:
        version = installed.get(name)
        if version is None:
            continue
        if name in locked:
            if not _same_version(locked[name], version):
                assert lock_path is not None
                return f"{lock_path.name} locks {name} {locked[name]}, it has {version}"
        elif name in pins:
            if not any(_same_version(pinned, version) for pinned in pins[name]):
                wanted = " or ".join(sorted(pins[name]))
                sources = ", ".join(sorted(set(pins[name].values())))
                return f"{sources} pins {name} {wanted}, it has {version}"
        elif name in ranges:
            specs, source = ranges[name]
            if specs and _excludes(",".join(specs), version):
                return f"{source} requires {name}{','.join(specs)}, it has {version}"
    if locked and lock_path is not None and "pytest-asyncio" not in locked and "pytest-asyncio" in installed:
        return f"{lock_path.name} has no pytest-asyncio, it has pytest-asyncio {installed['pytest-asyncio']}"
    return None


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _excludes(specifier: str, version: str) -> bool:
    """Whether a declared range rules the version out (False when either cannot be read)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only when a range needs checking

    try:
        return not SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _is_pre_commit_env(env: Path, environ: Mapping[str, str]) -> bool:
    """pre-commit's environment for a Python hook (`<PRE_COMMIT_HOME>/repo.../py_env-<version>`) wherever
    `PRE_COMMIT_HOME` puts it: pre-commit sets `PRE_COMMIT=1` for the hooks it runs."""
    return bool(environ.get("PRE_COMMIT")) and env.name.startswith("py_env-")


def environment_of(python: str) -> Path:
    """The environment folder for a `--python` value: the folder itself, or the one holding the interpreter.

    A venv's `bin/python` is a symbolic link to the base interpreter: the environment is the folder the link
    sits in (`.venv/bin/python` -> `.venv`), not the one it points to; only a plain interpreter (or a link to
    one that is no venv) is followed to where it really is.
    """
    path = Path(os.path.abspath(Path(python).expanduser()))
    if not inputs.is_file(path):
        return path.resolve()
    beside = path.parent.parent
    if inputs.is_file(beside / "pyvenv.cfg"):
        return beside
    return path.resolve().parent.parent


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
    except ValueError:
        return False
    return True


def _lock_file(project_dir: Path | None, workspace: Path | None) -> Path | None:
    """The project's own lock file, or the lock of the uv workspace it is a member of."""
    if project_dir is None:
        return None
    for name in LOCK_FILES:
        if inputs.is_file(project_dir / name):
            return project_dir / name
    if workspace is not None and inputs.is_file(workspace / "uv.lock"):
        return workspace / "uv.lock"
    return None


def uv_workspace_root(project_dir: Path) -> Path | None:
    """The root of the uv workspace the project is a member of, found as uv finds it, with or without a
    repository around it (a source tarball, a copy).

    uv takes the nearest `pyproject.toml` at or above the folder as the project, then looks above it: the
    first `pyproject.toml` there decides. When it has `[tool.uv.workspace]` whose `members` globs (relative
    to it) match the project and whose `exclude` globs do not, it is the workspace root; anything else (a
    project of its own, a workspace that does not list the project) means the project is in no workspace.
    """
    member = next((d for d in (project_dir, *project_dir.parents) if inputs.is_file(d / "pyproject.toml")), None)
    if member is None:
        return None
    for directory in member.parents:
        if not inputs.is_file(directory / "pyproject.toml"):
            continue
        data = _read_toml(directory / "pyproject.toml") or {}
        tool = data.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        workspace = uv.get("workspace") if isinstance(uv, dict) else None
        if not isinstance(workspace, dict):
            return None
        relative = member.relative_to(directory).as_posix()
        included = any(fnmatch.fnmatchcase(relative, glob) for glob in _globs(workspace.get("members")))
        excluded = any(fnmatch.fnmatchcase(relative, glob) for glob in _globs(workspace.get("exclude")))
        return directory if included and not excluded else None
    return None


def uv_workspace_members(directory: Path) -> list[Path]:
    """The member folders of the uv workspace `directory` is the root of or a member of, as uv lists them
    (`members` globs that hold a `pyproject.toml`, less the `exclude` globs); none outside a workspace."""
    root = directory if _workspace_table(directory) is not None else uv_workspace_root(directory)
    workspace = _workspace_table(root) if root is not None else None
    if root is None or workspace is None:
        return []
    excluded = list(_globs(workspace.get("exclude")))
    found: list[Path] = []
    for glob in _globs(workspace.get("members")):
        try:
            matches = sorted(root.glob(glob))
        except (OSError, ValueError):
            continue  # a glob pathlib does not take (an absolute one): uv would not find members there either
        for member in matches:
            relative = member.relative_to(root).as_posix()
            if inputs.is_file(member / "pyproject.toml") and not any(
                fnmatch.fnmatchcase(relative, pattern) for pattern in excluded
            ):
                found.append(member)
    return list(dict.fromkeys(found))


def _workspace_table(directory: Path) -> dict[str, object] | None:
    """`[tool.uv.workspace]` of the folder's `pyproject.toml`, if it has one."""
    if not inputs.is_file(directory / "pyproject.toml"):
        return None
    data = _read_toml(directory / "pyproject.toml") or {}
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    workspace = uv.get("workspace") if isinstance(uv, dict) else None
    return workspace if isinstance(workspace, dict) else None


def _globs(value: object) -> Iterator[str]:
    """Workspace member globs as uv joins them to the root (`./packages/*` and `packages/*/` alike)."""
    for glob in _strings(value):
        glob = glob.strip()
        while glob.startswith("./"):
            glob = glob[2:]
        yield glob.rstrip("/")


def is_project_dir(directory: Path) -> bool:
    """A folder that declares a project: packaging or pytest files, a lock file, or requirements files."""
    if any(inputs.is_file(directory / marker) for marker in PROJECT_MARKERS):
        return True
    try:
        names = os.listdir(directory)
    except OSError:
        return False
    return any(name.lower().endswith(".txt") and "requirement" in name.lower() for name in names)


def _ancestors_to_boundary(directory: Path) -> list[Path]:
    """The directory and its parents, up to the repository root (or the first project root without one)."""
    chain = [directory, *directory.parents]
    for index, candidate in enumerate(chain):
        if any(inputs.exists(candidate / marker) for marker in VCS_MARKERS):
            return chain[: index + 1]
    for index, candidate in enumerate(chain):
        if is_project_dir(candidate):
            return chain[: index + 1]
    return [directory]


def describe_environments(versions: ProjectVersions, shown: Callable[[str], str]) -> list[str]:
    """What `--verbose` says about one project: the environments looked at for it (the one used for installed
    packages and versions, those ignored and why), and the pytest and pytest-asyncio versions it goes by.
    `shown` gives a path as messages show it."""
    project = f"project {shown(versions.root)}" if versions.root is not None else "files outside any project"
    lines = []
    for note in versions.environments:
        where = f"{project}: environment {shown(note.path)} ({note.found_as})"
        if note.ignored is not None:
            lines.append(f"{where}: ignored: {note.ignored}")
        elif note.caveat is not None:
            lines.append(f"{where}: used for installed packages and versions, as named, although {note.caveat}")
        else:
            lines.append(f"{where}: used for installed packages and versions")
    if not any(note.ignored is None for note in versions.environments):
        lines.append(f"{project}: no environment used: installed packages are not read")
    found = [package for package in map(versions.get, ("pytest", "pytest-asyncio")) if package is not None]
    described = ", ".join(f"{package.name} {package.describe()}" for package in found)
    lines.append(f"{project}: {described or 'pytest and pytest-asyncio versions unknown (current releases assumed)'}")
    return lines
