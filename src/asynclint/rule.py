"""The rule base class and what a rule sees while it runs.

A rule is a LibCST batchable visitor over one file. It reads the frozen model (`self.model`) and reports
findings with `self.report(...)`, optionally attaching a `NodeFix`. It never changes the tree: one engine
(`asynclint.fixer`) applies fixes. Rules are discovered from `asynclint.rules` (one module per rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import CodeRange

from asynclint.analysis.awaiting import AwaitAnalysis, analyse
from asynclint.diagnostics import Applicability, FixAvailability, NodeFix
from asynclint.model.collection import FileModel, TestItem
from asynclint.model.facts import ClassInfo, Function, NodeKey
from asynclint.model.project import DirectoryFacts
from asynclint.model.pytest_config import PytestConfig
from asynclint.model.reader import NodeMap
from asynclint.model.settings import PytestSettings
from asynclint.model.versions import ProjectVersions
from asynclint.positions import Positions

#: Files every example project gets unless it says otherwise: a strict-mode config and known versions.
DEFAULT_EXAMPLE_FILES: Mapping[str, str] = {
    "pytest.ini": "[pytest]\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix safety")


@dataclass(frozen=True)
class Example:
    """A small project a rule must (INVALID) or must not (VALID) report on; also the rule's tests.

    `code` is the test module `test_example.py`; `files` replace or add other files of the project.
    `expected_fix` is the module after `--fix` (safe fixes), when the rule fixes it. For an INVALID example,
    `line` and `message` pin what users see: the rule reports on that line of the module, with a message
    containing that text.
    """

    code: str
    files: Mapping[str, str] = field(default_factory=dict)
    expected_fix: str | None = None
    filename: str = "test_example.py"
    unsafe_fixes: bool = False
    line: int | None = None
    message: str | None = None

    def project_files(self) -> dict[str, str]:
        files = dict(DEFAULT_EXAMPLE_FILES)
        files.update(self.files)
        files[self.filename] = self.code
        return files


@dataclass(eq=False)
class Finding:
    """A rule's report before it is positioned: the node it is about, its message and its fix."""

    code: str
    name: str
    node: cst.CSTNode
    message: str
    fix: NodeFix | None
    #: Report from the start of this node instead of `node` (for `def` line spans).
    start: cst.CSTNode | None = None


class RuleContext:
    """Per-file state shared by the rules of one pass: the module, its model, and what was reported."""

    def __init__(
        self,
        path: Path,
        module: cst.Module,
        model: FileModel,
        nodes: NodeMap,
        text: str,
        rule_options: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self.path = path
        #: `[tool.asynclint.<rule-name>]` options, by rule name.
        self.rule_options = rule_options or {}
        self.module = module
        #: The module's source (what `module.code` would render, without rendering it).
        self.text = text
        self.model = model
        self.nodes = nodes
        self.findings: list[Finding] = []
        self._functions: dict[cst.CSTNode, Function] = {}
        for function in model.summary.functions:
            self._functions[nodes[function.key]] = function
        self._classes: dict[cst.CSTNode, ClassInfo] = {nodes[info.key]: info for info in model.summary.classes}
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        self._awaits: AwaitAnalysis | None = None

    def node(self, key: NodeKey) -> cst.CSTNode:
        return self.nodes[key]

    def function(self, node: cst.FunctionDef) -> Function | None:
        return self._functions.get(node)

    def test(self, node: cst.FunctionDef) -> TestItem | None:
        function = self._functions.get(node)
        return self.model.test_for(function) if function is not None else None

    def class_info(self, node: cst.ClassDef) -> ClassInfo | None:
        return self._classes.get(node)

    def awaits(self) -> AwaitAnalysis:
        """Unawaited coroutines, AsyncMock assertions and orphan tasks in this file (computed once)."""
        if self._awaits is None:
            roles: dict[cst.CSTNode, str] = {}
            for node, function in self._functions.items():
                if self.model.test_for(function) is not None:
                    roles[node] = "test"
                elif function.fixture is not None:
                    roles[node] = "fixture"
            self._awaits = analyse(
                self.module,
                self.text,
                str(self.path),
                self.model.coroutines,
                self._functions,
                roles,
                self.model,
                self.model.summary.imports,
            )
        return self._awaits

    @property
    def environment_needed(self) -> str | None:
        """An installed package asynclint could not read for want of the project's environment, where a call
        into it could have been a finding (None too when no rule needed the await analysis)."""
        return self._awaits.environment_needed if self._awaits is not None else None

    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        """Positions of every node; computed on first use only (files with findings)."""
        if self._positions is None:
            self._positions = Positions(self.module, self.text)
        return self._positions

    def line_of(self, node: cst.CSTNode) -> int:
        return self.positions()[node].start.line


class Rule(cst.BatchableCSTVisitor):
    """Base class of every rule. Subclasses set the class attributes and implement `visit_*` methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    default_enabled: ClassVar[bool] = True
    #: The README rule table's cells: what the rule finds, in a line, and when its fix applies ("safe",
    #: "unsafe", "safe on pinned >= 0.24"...; empty when it has none).
    finds: ClassVar[str]
    fix_summary: ClassVar[str] = ""
    #: Reported by the engine itself (AIO001), not by visiting the tree.
    reported_by_engine: ClassVar[bool] = False
    #: Options users may set in `[tool.asynclint.<rule-name>]` (each a list of strings): name -> help text.
    options: ClassVar[Mapping[str, str]] = {}
    #: Source substrings at least one of which a file must contain for the rule to have anything to say.
    triggers: ClassVar[tuple[str, ...]] = ()
    #: The kinds of file the rule checks: "test" (modules pytest collects tests from), "conftest", "helper" (a
    #: module of a test folder pytest does not collect: `tests/utils.py`), "other".
    #: Decided from the path before parsing, so a file no rule checks is never parsed.
    file_kinds: ClassVar[frozenset[str]] = frozenset({"test"})
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()

    def __init__(self, ctx: RuleContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = ctx.model

    def option(self, name: str) -> tuple[str, ...]:
        """The values the user set for one of this rule's `options` (empty when unset)."""
        return self.ctx.rule_options.get(self.name, {}).get(name, ())

    @classmethod
    def triggered_by(cls, text: str, options: Mapping[str, tuple[str, ...]] | None = None) -> bool:
        """Whether the file may hold something to report (`options`: this rule's `[tool.asynclint]` options)."""
        return not cls.triggers or any(trigger in text for trigger in cls.triggers)

    @classmethod
    def summary(cls) -> str:
        """The first sentence of the rule's "What it does" section."""
        doc = cls.__doc__ or ""
        match = re.search(r"## What it does\s*\n(.+?)(?:\n\s*\n|\n##)", doc, re.S)
        text = " ".join(match.group(1).split()) if match else cls.name
        return text

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix: NodeFix | None = None,
        start: cst.CSTNode | None = None,
    ) -> None:
        self.ctx.findings.append(Finding(self.code, self.name, node, message, fix, start))

    def report_function(self, node: cst.FunctionDef, message: str, *, fix: NodeFix | None = None) -> None:
        """Report on a function's `def` line: from `async`/`def` to the end of its name."""
        self.report(node.name, message, fix=fix, start=node)


@dataclass(frozen=True)
class LineEdit:
    """A fix to a config file: one line's text replaced (its line ending is kept)."""

    line: int
    text: str


@dataclass(frozen=True)
class ConfigFinding:
    """A config rule's report: a position in the config file, a message, and maybe a one-line fix."""

    line: int
    column: int
    message: str
    fix: LineEdit | None = None
    fix_title: str = ""
    applicability: Applicability = Applicability.SAFE
    #: Another config file the finding is about (one pytest does not read); None: the context's file.
    path: Path | None = None


@dataclass(frozen=True)
class ConfigContext:
    """One pytest config file and the folders whose tests it configures."""

    path: Path
    config: PytestConfig
    directories: tuple[DirectoryFacts, ...]
    lines: tuple[str, ...]
    #: Why the suite is known to use pytest-asyncio (its folders' evidence, or a test module that does).
    asyncio_evidence: str | None = None

    @property
    def settings(self) -> PytestSettings:
        return self.directories[0].settings

    @property
    def versions(self) -> ProjectVersions:
        """The versions of the project the config belongs to: the one rooted where pytest's rootdir is, else
        the outermost folder's. A sub-folder with a requirements file of its own (an example app) is a project
        of its own, not the one the config's messages speak of."""
        rootdir = self.config.rootdir
        for facts in self.directories:
            if facts.versions.root == rootdir:
                return facts.versions
        return min(self.directories, key=lambda facts: (len(Path(facts.directory).parts), facts.directory)).versions

    @property
    def uses_pytest_asyncio(self) -> bool:
        return self.asyncio_evidence is not None

    def line_of(self, key: str) -> int:
        return self.config.lines.get(key) or self.config.lines.get("[table]") or 1

    def column_of(self, line: int, text: str) -> int:
        """1-based column of `text` on a line (1 when it is not there)."""
        if 1 <= line <= len(self.lines):
            found = self.lines[line - 1].find(text)
            return found + 1 if found >= 0 else 1
        return 1


class ConfigRule(Rule):
    """A rule about pytest config files: it reads one file's values and the model, and reports on its lines.

    `noqa` comments do not exist in INI or TOML: these findings are silenced with `--ignore` or
    `per-file-ignores` only.
    """

    file_kinds: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        raise NotImplementedError
