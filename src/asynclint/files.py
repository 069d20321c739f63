"""Finding the files to lint, and writing fixed files back safely."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from asynclint import inputs

if TYPE_CHECKING:
    import pathspec

#: Folders that never hold the project's own test code.
DEFAULT_EXCLUDES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        "build",
        "dist",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        "site-packages",
        ".asynclint_cache",
        "__pypackages__",
    }
)


def _excluded(name: str) -> bool:
    """pytest's default `norecursedirs` (hidden folders, `*.egg`, `build`...), tool folders and templates."""
    return (
        name in DEFAULT_EXCLUDES
        or name.startswith(".")
        or name.endswith((".egg-info", ".egg"))
        or name in ("_darcs", "CVS", "{arch}")
        or is_template_name(name)
    )


def is_template_name(name: str) -> bool:
    """A file or folder named by a template placeholder (`{{cookiecutter.project_slug}}`, copier's
    `{{ package }}`, `{% if docs %}docs{% endif %}`): what cookiecutter or copier render into a project, not
    code anything runs as it is."""
    return ("{{" in name and "}}" in name) or ("{%" in name and "%}" in name)


#: What template engines (Jinja, which cookiecutter and copier use) write in the code they render: `{{ x }}`,
#: `{% if x %}`, `{# comment #}`. Python has no such tokens outside strings.
_TEMPLATE_MARKERS = ("{{", "{%", "{#")
#: A one-line string literal (prefixes, either quote, escapes), for blanking the strings of a line.
#: How far back a statement's brackets are followed from the line the parser stops at.
_STATEMENT_LINES = 200
_STRING_LITERAL = re.compile(r"""[rRbBuUfFtT]{0,2}(['"])(?:\\.|(?!\1).)*\1""")


def has_template_syntax(source: bytes, line: int) -> bool:
    """Whether a file that does not parse is a template: the statement Python's parser stops in holds `{{`,
    `{%` or `{#` outside string literals, on the line it stops at (1-based) or on a line before it inside the
    same brackets (`{{ x }}` as an argument is valid Python, so the parser may stop only at the closing
    parenthesis). Markers elsewhere (in a string, an f-string's `{{` escape) leave a syntax error an error."""
    if not any(marker.encode() in source for marker in _TEMPLATE_MARKERS):
        return False
    lines = source.decode("utf-8", errors="replace").splitlines()
    if not 1 <= line <= len(lines):
        return False
    depth = 0
    for index in range(line - 1, max(line - 1 - _STATEMENT_LINES, -1), -1):
        code = _STRING_LITERAL.sub("''", lines[index])
        if any(marker in code for marker in _TEMPLATE_MARKERS):
            return True
        code = code.partition("#")[0]
        depth += sum(code.count(closing) for closing in ")]}") - sum(code.count(opening) for opening in "([{")
        if depth <= 0:
            return False  # the line opens the statement's brackets (or holds no unclosed ones): its start
    return False


def discover(
    paths: Iterable[Path],
    *,
    skip: Callable[[Path], bool] | None = None,
    default_excludes: bool = True,
    force_exclude: bool = False,
) -> list[Path]:
    """Python files under the given paths (a file given by name is always included), sorted, deduplicated.

    `skip` leaves out files and folders (the user's `exclude` patterns); `default_excludes=False` drops the
    built-in list (an `exclude` setting replaces it), hidden folders and pytest's own skips excepted. With
    `force_exclude`, paths given by name are left out too when they are excluded (pre-commit names every
    staged file, excluded or not).
    """
    found: dict[Path, None] = {}
    for path in paths:
        if force_exclude and named_path_excluded(path, skip, default_excludes):
            continue
        # Anything named that is not a folder is linted, or said to be unreadable (a named pipe, a device).
        if not inputs.is_dir(path):
            found[path] = None
            continue
        for file in _walk(path, skip, default_excludes):
            found[file] = None
    return sorted(found)


def named_path_excluded(path: Path, skip: Callable[[Path], bool] | None, default_excludes: bool) -> bool:
    """Whether a path given by name lies in an excluded folder or matches an `exclude` pattern. The default
    folder names are matched against the folders of the path below the current folder only: where the
    project itself sits (`~/.local/src/app`) says nothing."""
    if skip is not None and skip(path):
        return True
    if not default_excludes:
        return False
    try:
        relative = Path(os.path.abspath(path)).relative_to(Path.cwd())
    except ValueError:
        return False
    folders = relative.parts if inputs.is_dir(path) else relative.parts[:-1]
    return any(_excluded(folder) for folder in folders)


class GitIgnores:
    """The `.gitignore` files of the git work tree a walk starts in (none outside a work tree)."""

    def __init__(self, root: Path, *, above: bool = True) -> None:
        """With `above=False` only the `.gitignore` files in `root` and below count."""
        self.top = next((p for p in (root, *root.parents) if inputs.exists(p / ".git")), None)
        if self.top is not None and not above:
            self.top = root
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            try:
                lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            import pathspec  # only where a .gitignore is read: a run answered by the cache never needs it

            self._specs[directory] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[directory]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if self.top is None:
            return False
        try:
            path.relative_to(self.top)
        except ValueError:
            return False
        for base in [p for p in (path.parent, *path.parent.parents) if p == self.top or self.top in p.parents]:
            spec = self._spec(base)
            if spec is None:
                continue
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False


def _walk(root: Path, skip: Callable[[Path], bool] | None = None, default_excludes: bool = True) -> Iterator[Path]:
    resolved_root = root.resolve()
    ignores = GitIgnores(resolved_root)
    if ignores.ignored(resolved_root, True):
        # A folder named on the command line is linted even when git ignores it (a Python installed inside a
        # repository that ignores it); only what is ignored below it is skipped.
        ignores = GitIgnores(resolved_root, above=False)
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(directory)
        # The walk does not follow links, so a path below the root is the resolved root joined with the rest:
        # one resolve per walk instead of one per entry. Git matches paths as they are in the tree anyway.
        absolute = resolved_root / here.relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not (_excluded(d) if default_excludes else d.startswith(".") or is_template_name(d))
            and not (skip is not None and skip(here / d))
            and not ignores.ignored(absolute / d, True)
        )
        for name in sorted(filenames):
            if not name.endswith(".py") or is_template_name(name) or (skip is not None and skip(here / name)):
                continue
            if ignores.ignored(absolute / name, False):
                continue
            yield here / name


def files_named(root: Path, accept: Callable[[str], bool]) -> Iterator[Path]:
    """Files under `root` (skipping the folders `discover` skips) whose name `accept`s."""
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _excluded(d))
        for name in sorted(filenames):
            if accept(name):
                yield Path(directory) / name


def display_path(path: Path, cwd: Path) -> str:
    """The path as users expect to see it: relative to the current folder when it is inside it."""
    try:
        # A symbolic link is shown as itself, not as the file it points to.
        real = Path(os.path.abspath(path)) if os.path.islink(path) else resolved(path)
        return str(real.relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def read_source(path: Path) -> bytes:
    """The bytes of a regular file. Anything else is an OSError: a named pipe would block the run and a
    device like /dev/zero would never end. Opening without blocking, then checking the open file, leaves no
    gap for the path to change in between."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise OSError(0, f"it is {kind}, not a regular file", str(path))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(descriptor)


def unreadable_reason(path: Path, error: OSError) -> str:
    """Why a file cannot be read, in words: a broken or looping symbolic link says so."""
    if os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if not os.path.exists(path):
            if error.errno == errno.ELOOP:
                return f"the symbolic link to {target!r} loops back on itself"
            return f"the symbolic link points to {target!r}, which does not exist"
    return error.strerror or str(error)


def resolved(path: Path) -> Path:
    """The absolute real path; for a broken or looping symbolic link, the link's own absolute path."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop before Python 3.13
        return Path(os.path.abspath(path))


class WriteScope:
    """Where fixes may write: inside the paths given on the command line, after resolving symbolic links.

    A link in the tree that points outside those paths is linted but never written through; a path given
    by name is always inside (its target is what the user named).
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        self.roots = tuple(resolved(path) for path in paths)

    def contains(self, path: Path) -> bool:
        real = resolved(path)
        return any(real == root or root in real.parents for root in self.roots)


class ChangedOnDisk(Exception):
    """The file changed between reading and writing: the fix is not written."""


def write_atomically(path: Path, expected: bytes, content: bytes) -> None:
    """Replace `path` with `content` in one step, keeping its mode; refuse if it no longer holds `expected`."""
    if read_source(path) != expected:
        raise ChangedOnDisk(str(path))
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".asynclint", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
