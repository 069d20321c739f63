"""Where a project keeps its Python environment when it is not `.venv` or `venv` in the project folder.

asynclint reads the `async def`s of installed packages from the project's environment. The usual ways to find
it (`.venv` in the project, the active `VIRTUAL_ENV`) fail under pre-commit, which runs hooks in a virtualenv of
its own and points `VIRTUAL_ENV` at it, for every project whose environment lives elsewhere. So asynclint looks
where the project's own tools keep it, reading their settings and folders the way they do:

- uv: `UV_PROJECT_ENVIRONMENT` (relative to the workspace root), and a workspace member's `<root>/.venv`;
- Poetry: the folder it computes for the project under `virtualenvs.path`;
- virtualenvwrapper: the environment under `$WORKON_HOME` whose `.project` file names the project folder;
- pyenv-virtualenv: the virtualenv `.python-version` names under `$PYENV_ROOT/versions`;
- and last, when `poetry.lock` says Poetry manages the project but its folder was not found, what
  `poetry env info -p` answers (a command that never creates an environment).

Every path looked at goes through `asynclint.inputs` (or is listed or opened, which the audit hooks note), so a
cached result is dropped when an environment appears, moves or changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from asynclint import inputs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: Environment variables that decide where a project's environment is found: a change must change the results
#: cache's key, since no file on disk records it.
ENVIRONMENT_VARIABLES = (
    "HOME",
    "USERPROFILE",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "LOCALAPPDATA",
    "APPDATA",
    "UV_PROJECT_ENVIRONMENT",
    "POETRY_CACHE_DIR",
    "POETRY_CONFIG_DIR",
    "POETRY_VIRTUALENVS_PATH",
    "POETRY_VIRTUALENVS_CREATE",
    "POETRY_VIRTUALENVS_IN_PROJECT",
    "WORKON_HOME",
    "PYENV_ROOT",
)

#: How long `poetry env info -p` may take: Poetry starts in about a second; a hung one must not stall a hook.
POETRY_TIMEOUT = 5.0


def site_packages(env: Path) -> list[Path]:
    """The site-packages folders of an environment (POSIX and Windows layouts)."""
    found = list(env.glob("lib/python3*/site-packages")) + list(env.glob("lib64/python3*/site-packages"))
    windows = env / "Lib" / "site-packages"
    if inputs.is_dir(windows):
        found.append(windows)
    return found


def is_environment(path: Path) -> bool:
    """A real environment: a virtualenv's `pyvenv.cfg`, or at least a site-packages folder. Anything else a
    setting or a tool's folder names (a stale path, a plain folder) is skipped."""
    return inputs.is_file(path / "pyvenv.cfg") or bool(site_packages(path))


def tool_environments(
    project_dir: Path, environ: Mapping[str, str], *, workspace_root: Path | None = None
) -> Iterator[Path]:
    """The environments the project's tools keep for it outside the project folder, most specific first."""
    for env, _ in described_tool_environments(project_dir, environ, workspace_root=workspace_root):
        yield env


def described_tool_environments(
    project_dir: Path, environ: Mapping[str, str], *, workspace_root: Path | None = None
) -> Iterator[tuple[Path, str]]:
    """`tool_environments`, each with how it was found (for `--verbose`).

    Lazy: the caller stops at the first one it uses, so a later, costlier look (the `poetry` command) happens
    only when the cheap ones found nothing.
    """
    for env in uv_environments(project_dir, environ, workspace_root):
        yield env, "uv's environment for the project"
    poetry = PoetryProject.read(project_dir, environ)
    found_by_poetry = False
    if poetry is not None:
        for env in poetry.environments():
            found_by_poetry = True
            yield env, "Poetry's environment for the project"
    for env in virtualenvwrapper_environments(project_dir, environ):
        yield env, "the virtualenvwrapper environment whose `.project` names the project"
    for env in pyenv_environments(project_dir, environ):
        yield env, "the pyenv-virtualenv environment `.python-version` names"
    if poetry is not None and not found_by_poetry and poetry.may_ask:
        answered = poetry_command_environment(project_dir, environ)
        if answered is not None:
            yield answered, "what `poetry env info --path` answered"


# -- uv -----------------------------------------------------------------------------------------------------


def uv_environments(project_dir: Path, environ: Mapping[str, str], workspace_root: Path | None) -> Iterator[Path]:
    """uv's project environment: `UV_PROJECT_ENVIRONMENT`, relative to the workspace root, for a project uv
    manages (a `uv.lock`, or a `[tool.uv]` table); and a workspace member's environment at the root."""
    setting = environ.get("UV_PROJECT_ENVIRONMENT")
    if not setting and workspace_root is None:
        return
    root = workspace_root or project_dir
    if setting and _uses_uv(project_dir, root):
        env = Path(_expand_user(setting, environ))
        env = env if env.is_absolute() else root / env
        if is_environment(env):
            yield env
    if workspace_root is not None and workspace_root != project_dir:
        env = workspace_root / ".venv"
        if is_environment(env):
            yield env


def _uses_uv(project_dir: Path, root: Path) -> bool:
    if inputs.is_file(root / "uv.lock") or inputs.is_file(project_dir / "uv.lock"):
        return True
    tool = _read_toml(project_dir / "pyproject.toml").get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("uv"), dict)


# -- Poetry -------------------------------------------------------------------------------------------------


def poetry_env_name(name: str, project_dir: str) -> str:
    """The base name Poetry gives a project's environments (`EnvManager.generate_env_name`): the project's
    name made safe for a folder, then the first 8 characters of the URL-safe base64 of the SHA-256 of the
    project's real path. The environments are `<base>-py<X.Y>`."""
    import base64  # here: a run answered from the cache imports this module, and needs none of it

    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name.lower())[:42]
    normalized = os.path.normcase(os.path.realpath(project_dir))
    digest = hashlib.sha256(_poetry_encode(normalized)).digest()
    return f"{sanitized}-{base64.urlsafe_b64encode(digest).decode()[:8]}"


def _poetry_encode(text: str) -> bytes:
    """The bytes Poetry hashes for a path: the first of UTF-8, Latin-1, ASCII that can encode it."""
    for encoding in ("utf-8", "latin1", "ascii"):
        try:
            return text.encode(encoding)
        except UnicodeError:
            continue
    return text.encode("utf-8", errors="ignore")


class PoetryProject:
    """A project Poetry manages (it has a `poetry.lock`), with Poetry's settings for it.

    Settings are read as Poetry reads them: a `POETRY_*` environment variable, else the project's
    `poetry.toml`, else Poetry's `config.toml`, else Poetry's default.
    """

    def __init__(self, project_dir: Path, environ: Mapping[str, str]) -> None:
        self.project_dir = project_dir
        self.environ = environ
        self.local = _read_toml(project_dir / "poetry.toml")
        self.user_config = next(
            (data for folder in _poetry_config_dirs(environ) if (data := _read_toml(folder / "config.toml"))), {}
        )
        #: Whether asking `poetry` may tell more than reading its folders did (see `environments`).
        self.may_ask = True

    @classmethod
    def read(cls, project_dir: Path, environ: Mapping[str, str]) -> PoetryProject | None:
        if not inputs.is_file(project_dir / "poetry.lock"):
            return None
        return cls(project_dir, environ)

    def setting(self, *keys: str) -> object:
        variable = "POETRY_" + "_".join(key.upper().replace("-", "_") for key in keys)
        if variable in self.environ:
            return self.environ[variable]
        for table in (self.local, self.user_config):
            value: object = table
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None:
                return value
        return None

    def flag(self, *keys: str) -> bool | None:
        value = self.setting(*keys)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return value if isinstance(value, bool) else None

    @property
    def name(self) -> str:
        """The project's name as Poetry knows it: `[project]` or `[tool.poetry]` name, normalized (PEP 503)."""
        data = _read_toml(self.project_dir / "pyproject.toml")
        project, tool = data.get("project"), data.get("tool")
        name = project.get("name") if isinstance(project, dict) else None
        if not isinstance(name, str):
            poetry = tool.get("poetry") if isinstance(tool, dict) else None
            name = poetry.get("name") if isinstance(poetry, dict) else None
        if not isinstance(name, str):
            name = "non-package-mode"
        return re.sub(r"[-_.]+", "-", name).lower()

    def virtualenvs_paths(self) -> list[Path]:
        """Where Poetry keeps environments: `virtualenvs.path`, by default `{cache-dir}/virtualenvs` (relative
        paths are relative to the project, where Poetry runs)."""
        written = self.setting("virtualenvs", "path")
        template = written if isinstance(written, str) else os.path.join("{cache-dir}", "virtualenvs")
        cache_setting = self.setting("cache-dir")
        caches = (
            [_expand_user(cache_setting, self.environ)]
            if isinstance(cache_setting, str)
            else [str(folder) for folder in _poetry_cache_dirs(self.environ)]
        )
        found: list[Path] = []
        for cache in caches if "{cache-dir}" in template else [""]:
            path = Path(_expand_user(template.replace("{cache-dir}", cache), self.environ))
            if "{" in str(path):
                continue  # another placeholder, which asynclint does not know
            path = path if path.is_absolute() else self.project_dir / path
            if path not in found:
                found.append(path)
        return found

    def environments(self) -> Iterator[Path]:
        """The environment Poetry would use for the project, as its `EnvManager.get` finds it without an
        active virtualenv: the one `poetry env use` recorded in `envs.toml`, else the only one for the
        project, else the one for the Python running asynclint (under pre-commit, the active Python Poetry
        would pick too), else the newest."""
        if self.flag("virtualenvs", "create") is False:
            self.may_ask = False  # Poetry installs into the interpreter it runs with: no environment of its own
            return
        if self.flag("virtualenvs", "in-project") is True:
            in_project = self.project_dir / ".venv"
            if is_environment(in_project):
                yield in_project
        base = poetry_env_name(self.name, str(self.project_dir))
        for folder in self.virtualenvs_paths():
            recorded = _read_toml(folder / "envs.toml").get(base)
            minor = recorded.get("minor") if isinstance(recorded, dict) else None
            if isinstance(minor, str):
                # `poetry env use` chose this one: Poetry uses it, or nothing when it is gone.
                self.may_ask = False
                env = folder / f"{base}-py{minor.strip()}"
                if is_environment(env):
                    yield env
                return
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            candidates = [name for name in names if re.fullmatch(re.escape(base) + r"-py\d+\.\d+", name)]
            running = f"{base}-py{sys.version_info[0]}.{sys.version_info[1]}"
            candidates.sort(key=lambda name: (name == running, _version_key(name)), reverse=True)
            for name in candidates:
                if is_environment(folder / name):
                    yield folder / name
                    return


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.rpartition("-py")[2].split("."))


def _poetry_cache_dirs(environ: Mapping[str, str]) -> list[Path]:
    """Poetry's cache folder on this platform (`platformdirs.user_cache_path("pypoetry")`): on macOS, newer
    platformdirs honour `XDG_CACHE_HOME` and older ones do not, so both are candidates."""
    home = Path(_home(environ))
    if sys.platform == "win32":
        local = environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return [Path(local) / "pypoetry" / "Cache"]
    xdg = environ.get("XDG_CACHE_HOME", "")
    xdg_dir = Path(xdg) / "pypoetry" if os.path.isabs(xdg) else None
    if sys.platform == "darwin":
        mac = home / "Library" / "Caches" / "pypoetry"
        return [xdg_dir, mac] if xdg_dir is not None else [mac]
    return [xdg_dir or home / ".cache" / "pypoetry"]


def _poetry_config_dirs(environ: Mapping[str, str]) -> list[Path]:
    """Where Poetry's `config.toml` may be: `POETRY_CONFIG_DIR`, else the platform's user config folder."""
    explicit = environ.get("POETRY_CONFIG_DIR")
    if explicit:
        return [Path(_expand_user(explicit, environ))]
    home = Path(_home(environ))
    if sys.platform == "win32":
        roaming = environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return [Path(roaming) / "pypoetry"]
    xdg = environ.get("XDG_CONFIG_HOME", "")
    xdg_dir = Path(xdg) / "pypoetry" if os.path.isabs(xdg) else None
    if sys.platform == "darwin":
        mac = [home / "Library" / "Application Support" / "pypoetry", home / "Library" / "Preferences" / "pypoetry"]
        return [xdg_dir, *mac] if xdg_dir is not None else mac
    return [xdg_dir or home / ".config" / "pypoetry"]


#: What `poetry env info -p` answered, by project folder and Poetry executable: asked once per process.
_asked: dict[tuple[Path, str], Path | None] = {}


def poetry_command_environment(project_dir: Path, environ: Mapping[str, str]) -> Path | None:
    """The environment `poetry env info -p` names for the project, when `poetry` is on PATH.

    The last resort for settings asynclint does not read: the command only reads (it never creates an
    environment), runs without a shell, stdin closed, for a few seconds at most, and without `VIRTUAL_ENV`,
    which would make Poetry answer with the active environment (pre-commit's). Its answer counts only when it
    is an existing virtualenv.
    """
    import shutil  # here: most runs never ask, and a run answered from the cache imports this module

    executable = shutil.which("poetry", path=environ.get("PATH"))
    if executable is None:
        return None
    key = (project_dir, executable)
    if key not in _asked:
        _asked[key] = _ask_poetry(executable, project_dir, environ)
    env = _asked[key]
    return env if env is not None and inputs.is_file(env / "pyvenv.cfg") else None


def _ask_poetry(executable: str, project_dir: Path, environ: Mapping[str, str]) -> Path | None:
    import subprocess

    ignored = {"VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYTHONHOME"}
    child_environ = {name: value for name, value in environ.items() if name not in ignored}
    try:
        with inputs.paused():  # what starting a process opens is no input of the run; the answer's is
            done = subprocess.run(
                [executable, "--no-interaction", "--no-ansi", "env", "info", "--path"],
                cwd=project_dir,
                env=child_environ,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=POETRY_TIMEOUT,
                check=False,
            )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return None
    answer = project_dir / lines[-1].strip()  # a relative `virtualenvs.path` gives a path relative to the project
    return answer if (answer / "pyvenv.cfg").is_file() else None


# -- virtualenvwrapper ---------------------------------------------------------------------------------------


def virtualenvwrapper_environments(project_dir: Path, environ: Mapping[str, str]) -> Iterator[Path]:
    """virtualenvwrapper's environments (`$WORKON_HOME`, by default `~/.virtualenvs`) whose `.project` file,
    written by `mkproject` or `setvirtualenvproject`, names the project folder."""
    home = Path(_expand_user(environ.get("WORKON_HOME") or "~/.virtualenvs", environ))
    if not inputs.is_dir(home):
        return
    try:
        names = sorted(os.listdir(home))
    except OSError:
        return
    for name in names:
        marker = home / name / ".project"
        if not inputs.is_file(marker):
            continue
        try:
            written = marker.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        if written and _same_folder(Path(_expand_user(written, environ)), project_dir) and is_environment(home / name):
            yield home / name


def _same_folder(path: Path, folder: Path) -> bool:
    try:
        return path.resolve() == folder.resolve()
    except (OSError, RuntimeError):
        return False


# -- pyenv-virtualenv ----------------------------------------------------------------------------------------


def pyenv_environments(project_dir: Path, environ: Mapping[str, str]) -> Iterator[Path]:
    """The virtualenvs the project's `.python-version` names, under `$PYENV_ROOT/versions` (by default
    `~/.pyenv`). A plain Python version named there is an interpreter, not the project's environment."""
    version_file = project_dir / ".python-version"
    if not inputs.is_file(version_file):
        return
    try:
        lines = version_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    versions = Path(_expand_user(environ.get("PYENV_ROOT") or "~/.pyenv", environ)) / "versions"
    for line in lines:
        name = line.split("#", 1)[0].strip()
        if not name or name == "system" or Path(name).is_absolute() or ".." in Path(name).parts:
            continue
        env = versions / name
        if inputs.is_file(env / "pyvenv.cfg"):
            yield env


# -- helpers -------------------------------------------------------------------------------------------------


def _home(environ: Mapping[str, str]) -> str:
    return environ.get("HOME") or environ.get("USERPROFILE") or os.path.expanduser("~")


def _expand_user(path: str, environ: Mapping[str, str]) -> str:
    """`~` and `~/...` expanded with the given environment's home folder."""
    if path == "~" or path.startswith(("~/", "~" + os.sep)):
        return _home(environ) + path[1:]
    return path


def _read_toml(path: Path) -> dict[str, object]:
    """A TOML file's tables; empty when it is missing or unreadable (a tool would ignore it or stop)."""
    if not inputs.is_file(path):
        return {}
    try:
        with path.open("rb") as handle:
            data: dict[str, object] = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return data
