"""What a run produces: findings with positions, and the fixes attached to them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # LibCST is imported by whatever builds fixes; reading results does not need it
    import libcst as cst


class Applicability(enum.Enum):
    """Fix tiers, as in ruff: `--fix` applies safe fixes, `--unsafe-fixes` adds unsafe ones."""

    SAFE = "safe"
    UNSAFE = "unsafe"


def fix_tiers(fix: Applicability | None) -> frozenset[Applicability]:
    """The fixes a run applies: none when it only reports, the safe ones for `--fix`, every one with
    `--unsafe-fixes` (the one policy the engine, the config rules and the results cache all follow)."""
    if fix is None:
        return frozenset()
    return frozenset({Applicability.SAFE}) if fix is Applicability.SAFE else frozenset(Applicability)


class FixAvailability(enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """An import a fix needs: `import module`, or `from module import obj`."""

    module: str
    obj: str | None = None


@dataclass(frozen=True, slots=True)
class FileWrite:
    """Another file a fix rewrites as a whole (a config file), with the content it was computed from."""

    path: str
    before: bytes
    after: bytes


@dataclass(frozen=True, eq=False)
class NodeFix:
    """A fix as rules express it: nodes of the parsed module replaced by new nodes, plus needed imports.

    `other_files` are whole-file rewrites of other files (the config file a migration moves settings to); they
    are written before the module, and the module is left alone if one of them cannot be written.
    """

    title: str
    applicability: Applicability
    replacements: Mapping[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel]
    imports: tuple[ImportRequest, ...] = ()
    other_files: tuple[FileWrite, ...] = ()

    def signature(self) -> tuple[object, ...]:
        """Two findings that carry the same edit (several tests fixed by one base-class change)."""
        import libcst

        return (
            self.title,
            tuple(
                (
                    id(original),
                    id(new) if isinstance(new, libcst.RemovalSentinel) else libcst.Module([]).code_for_node(new),
                )
                for original, new in self.replacements.items()
            ),
            self.imports,
            self.other_files,
        )


@dataclass(frozen=True, slots=True)
class TextEdit:
    """A replacement of a source range (1-based lines and columns, end exclusive)."""

    content: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class FileEdits:
    """The edits a fix makes to a file other than the finding's (the config file a migration writes)."""

    path: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    applicability: Applicability
    edits: tuple[TextEdit, ...] = ()
    #: Edits to other files, each shown as the finding's own path is (relative to where asynclint runs).
    other_files: tuple[FileEdits, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, positioned in its file (1-based lines and columns, end exclusive)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    message: str
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass
class FileReport:
    """The outcome for one file: what remains, what was fixed, and whether it could be read at all."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: int = 0
    #: The file could not be read or parsed (AIO001): the run exits with status 2.
    error: bool = False
    #: Source before and after fixing, when fixes were computed (for --diff and writing).
    original: bytes | None = None
    fixed_source: bytes | None = None
    #: Other files the applied fixes rewrite (see `NodeFix.other_files`).
    other_writes: list[FileWrite] = field(default_factory=list)
    #: The code of each finding a fix was applied for (for `--show-fixes`).
    fixed_codes: list[str] = field(default_factory=list)
    #: Fixes left out because the code they produced would not parse (a bug in asynclint, reported).
    discarded: list[str] = field(default_factory=list)
    #: (project folder, package) when a call into an installed package could have been a finding but asynclint
    #: found no environment for the project to read the package from: the run warns once per project. Kept
    #: with the report, so a run answered from the results cache warns too.
    environment_needed: tuple[str, str] | None = None
    #: The file does not parse because it is a template (Jinja's `{{ }}`, `{% %}` where Python expects code):
    #: it was not checked, which is no error (the run says so once, on standard error).
    template: bool = False
