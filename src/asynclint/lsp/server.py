"""The language server: asynclint's findings for each open Python file, as the command line gives them for the
same text (unsaved edits included), and for each open pytest config file; each fix as a quick fix,
all safe fixes as `source.fixAll`, a `# noqa` for each finding, and a rule's documentation on hover.

Each request lints the document's current text through `check_source`, with the settings `asynclint check`
would use for the file (a file they exclude gets no findings), in a worker thread so that the editor
is never kept waiting; a result for a version of the document older than the one the editor now holds is
dropped. Each folder's project model is kept between lints while nothing it was read from changes on disk
(`WarmModels`), and each top-level statement's parse while its text is unchanged (`PieceMemo`). A saved
conftest, helper or config file changes the findings of every open file: each is linted again when one is
saved, and when the editor reports files changed on disk. An internal error on one file is logged
(`window/logMessage`) and leaves the server running.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from asynclint import __version__, unsaved
from asynclint.add_noqa import noqa_edits
from asynclint.api import CheckOptions, check_paths, check_source
from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.diagnostics import TextEdit as _TextEdit
from asynclint.docs import rule_markdown
from asynclint.files import named_path_excluded
from asynclint.lint_settings import find_lint_settings
from asynclint.lsp import convert
from asynclint.model.pytest_config import CONFIG_NAMES
from asynclint.noqa import NOQA
from asynclint.parsing import PieceMemo, remember_pieces
from asynclint.registry import rule_by_code
from asynclint.run.pipeline import WarmModels

#: asynclint's own settings files (pyproject.toml is a pytest config file too).
SETTINGS_FILES = frozenset({"asynclint.toml", "pyproject.toml"})

#: Findings no noqa comment silences: an internal error, a file that cannot be parsed.
UNSILENCEABLE = frozenset({"AIO000", "AIO001"})

#: The code action kind of "fix all safe findings in this file" (`editor.codeActionsOnSave` in VS Code).
FIX_ALL = f"{lsp.CodeActionKind.SourceFixAll.value}.asynclint"


@dataclass(frozen=True)
class Linted:
    """One document version's findings, each with what the editor was sent for it."""

    version: int | None
    text: str
    findings: tuple[tuple[Diagnostic, lsp.Diagnostic], ...]


class AsynclintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("asynclint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.linted: dict[str, Linted] = {}
        self._lock = threading.Lock()
        #: The project models of the open files' folders, read again when a file they were made from changes.
        self.warm = WarmModels()

    def lint(self, uri: str) -> None:
        """Lint the document as the editor holds it and publish its findings (unless a newer version came)."""
        document = self.workspace.get_text_document(uri)
        path = Path(document.path)
        if path.name in CONFIG_NAMES:
            self._lint_config(uri)
            return
        if path.suffix != ".py":
            return
        text, version = document.source, document.version
        try:
            options = options_for(path)
            result = (
                check_source(text.encode("utf-8"), path, options, cwd=self._root(), warm=self.warm) if options else None
            )
        except Exception as error:  # a bug in asynclint on one file must not take the server down
            self._log_error(f"asynclint: {uri}: {error!r}")
            return
        for failure in result.internal_errors if result is not None else ():
            self._log_error(f"asynclint: {failure}")
        self._publish(uri, version, text, result.diagnostics if result is not None else [])

    def _lint_config(self, uri: str) -> None:
        """A pytest config file's findings, as `asynclint check <file>` gives them with the editor's text saved
        in it (read in its place: `unsaved.editing`). The other open files keep the findings of the config as
        saved, which is what pytest reads, until it is saved."""
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        path = Path(document.path).resolve()
        try:
            with unsaved.editing({path: text}):
                options = options_for(path) or CheckOptions(settings=find_lint_settings([path]))
                result = check_paths([path], replace(options, jobs=1), cwd=path.parent)
        except Exception as error:
            self._log_error(f"asynclint: {uri}: {error!r}")
            return
        found = [
            diagnostic
            for diagnostic in [*result.diagnostics, *result.config_diagnostics]
            if (path.parent / diagnostic.path).resolve() == path
        ]
        self._publish(uri, version, text, found)

    def _publish(self, uri: str, version: int | None, text: str, found_here: list[Diagnostic]) -> None:
        lines = text.splitlines()
        findings = tuple((found, convert.diagnostic(found, lines)) for found in found_here)
        with self._lock:
            current = self.workspace.get_text_document(uri).version
            if version is not None and current is not None and current > version:
                return  # the editor has moved on: the lint of its newer text publishes
            self.linted[uri] = Linted(version, text, findings)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[shown for _, shown in findings])
        )

    def lint_others(self, changed: str | None) -> None:
        """Lint every open document but `changed` again: a saved or changed file may be a conftest, helper
        module or config file their findings depend on."""
        for uri in list(self.linted):
            if uri != changed and uri in self.workspace.text_documents:
                self.lint(uri)

    def _log_error(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, message))

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        linted = self.linted.get(uri)
        document = self.workspace.get_text_document(uri)
        if linted is None or linted.text != document.source:
            return []  # fixes computed for other text would edit the wrong lines
        lines = linted.text.splitlines()
        wanted = params.context.only
        actions: list[lsp.CodeAction] = []
        if wanted is None or any(kind == lsp.CodeActionKind.QuickFix for kind in wanted):
            for found, shown in linted.findings:
                if found.fix is not None and found.fix.edits and _meets(shown.range, params.range):
                    actions.append(convert.quick_fix(uri, found, found.fix, lines, shown))
        if wanted is None or any(kind == lsp.CodeActionKind.QuickFix for kind in wanted):
            actions.extend(self._noqa_actions(uri, linted, params.range))
        if wanted is None or any(FIX_ALL.startswith(kind) for kind in wanted):
            fixed = self._fixed_text(uri, linted.text)
            if fixed is not None and fixed != linted.text:
                edit = convert.whole_document(uri, linted.text, fixed)
                actions.append(lsp.CodeAction(title="asynclint: fix all safe findings", kind=FIX_ALL, edit=edit))
        return actions

    def _noqa_actions(self, uri: str, linted: Linted, asked: lsp.Range) -> list[lsp.CodeAction]:
        """ "Disable for this line": a `# noqa: CODE` on the finding's first line, as `--add-noqa` writes it."""
        if Path(self.workspace.get_text_document(uri).path).suffix != ".py":
            return []  # config files take no noqa comments
        actions = []
        lines = linted.text.splitlines()
        for found, shown in linted.findings:
            if found.code in UNSILENCEABLE or not _meets(shown.range, asked):
                continue
            edits, _ = noqa_edits(linted.text, {found.line: {found.code}})
            if not edits:
                continue
            (edit,) = edits
            span = (edit.line, edit.column + 1, edit.end_line, edit.end_column + 1)
            replaced = convert.text_edits([_TextEdit(edit.text, *span)], lines)
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {found.code} for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    edit=lsp.WorkspaceEdit(changes={uri: replaced}),
                )
            )
        return actions

    def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        """The rule's documentation, over a finding or over its code in a `# noqa: ...` comment."""
        uri = params.text_document.uri
        document = self.workspace.get_text_document(uri)
        at = params.position
        codes: list[str] = []
        line = document.lines[at.line] if at.line < len(document.lines) else ""
        for match in NOQA.finditer(line):
            for code in re.finditer(r"[A-Z]+[0-9]+", match.group(0), re.IGNORECASE):
                start, end = match.start() + code.start(), match.start() + code.end()
                if convert.utf16_column(line, start) <= at.character <= convert.utf16_column(line, end):
                    codes.append(code.group(0).upper())
        linted = self.linted.get(uri)
        if not codes and linted is not None and linted.text == document.source:
            point = lsp.Range(start=at, end=at)
            codes = [found.code for found, shown in linted.findings if _meets(shown.range, point)]
        rules = [rule for rule in (rule_by_code(code) for code in dict.fromkeys(codes)) if rule is not None]
        if not rules:
            return None
        text = "\n\n---\n\n".join(rule_markdown(rule) for rule in rules)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    def _fixed_text(self, uri: str, text: str) -> str | None:
        path = Path(self.workspace.get_text_document(uri).path)
        options = options_for(path, fix=Applicability.SAFE)
        if options is None:
            return None
        fixing = replace(options, fix_edits=False)
        result = check_source(text.encode("utf-8"), path, fixing, cwd=self._root(), warm=self.warm)
        report = result.reports[0] if result.reports else None
        if report is None or report.fixed_source is None:
            return None
        return report.fixed_source.decode("utf-8")

    def _root(self) -> Path | None:
        root = self.workspace.root_path
        return Path(root) if root else None


def options_for(path: Path, fix: Applicability | None = None) -> CheckOptions | None:
    """What `asynclint check --stdin-filename PATH --force-exclude` would run with: the project's asynclint
    settings (rules selected and ignored, per-file ignores, rule options); None for a file they exclude."""
    settings = find_lint_settings([path])
    if named_path_excluded(path, settings.excluded, settings.exclude is None):
        return None
    return CheckOptions(
        select=list(settings.select) if settings.select is not None else None,
        ignore=list(settings.ignore),
        extend_select=list(settings.extend_select),
        fix=fix,
        settings=settings,
    )


def _affects_findings(uri: str) -> bool:
    name = Path(uri).name
    return name.endswith(".py") or name in CONFIG_NAMES or name in SETTINGS_FILES


def _meets(found: lsp.Range, asked: lsp.Range) -> bool:
    """Whether a finding's range touches the range the editor asks about (its cursor, or a selection)."""
    before = (found.end.line, found.end.character) < (asked.start.line, asked.start.character)
    after = (found.start.line, found.start.character) > (asked.end.line, asked.end.character)
    return not before and not after


def make_server() -> AsynclintServer:
    server = AsynclintServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @server.thread()
    def did_open(ls: AsynclintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @server.thread()
    def did_change(ls: AsynclintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @server.thread()
    def did_save(ls: AsynclintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)
        ls.lint_others(params.text_document.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @server.thread()
    def files_changed(ls: AsynclintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(_affects_findings(change.uri) for change in params.changes):
            ls.lint_others(None)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: AsynclintServer, params: lsp.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        # Files the findings of open documents depend on, changed outside the editor (a checkout, a formatter).
        patterns = ["**/*.py", *(f"**/{name}" for name in sorted({*CONFIG_NAMES, *SETTINGS_FILES}))]
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern=pattern) for pattern in patterns]
        )
        registration = lsp.Registration(
            id="asynclint-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @server.thread()
    def hover(ls: AsynclintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AsynclintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.linted.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
    )
    @server.thread()
    def code_action(ls: AsynclintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.code_actions(params)

    return server


def serve() -> None:
    """Speak LSP over stdin and stdout until the client says exit."""
    # An edit changes a statement or two: the others' parses are taken from the previous lint.
    remember_pieces(PieceMemo())
    make_server().start_io()
