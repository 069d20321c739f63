"""The language server: asynclint's findings for each open Python file, as the command line gives them for the
same text (unsaved edits included), with each fix as a quick fix and all safe fixes as `source.fixAll`.

Each request lints the document's current text through `check_source`, with the settings `asynclint check`
would use for the file (a file they exclude gets no findings), in a worker thread so that the editor
is never kept waiting; a result for a version of the document older than the one the editor now holds is
dropped. An internal error on one file is logged (`window/logMessage`) and leaves the server running.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from asynclint import __version__
from asynclint.api import CheckOptions, check_source
from asynclint.diagnostics import Applicability, Diagnostic
from asynclint.files import named_path_excluded
from asynclint.lint_settings import find_lint_settings
from asynclint.lsp import convert

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

    def lint(self, uri: str) -> None:
        """Lint the document as the editor holds it and publish its findings (unless a newer version came)."""
        document = self.workspace.get_text_document(uri)
        if not document.path.endswith(".py"):
            return
        text, version = document.source, document.version
        path = Path(document.path)
        try:
            options = options_for(path)
            result = check_source(text.encode("utf-8"), path, options, cwd=self._root()) if options else None
        except Exception as error:  # a bug in asynclint on one file must not take the server down
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"asynclint: {uri}: {error!r}"))
            return
        for failure in result.internal_errors if result is not None else ():
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"asynclint: {failure}"))
        lines = text.splitlines()
        found_here = result.diagnostics if result is not None else []
        findings = tuple((found, convert.diagnostic(found, lines)) for found in found_here)
        with self._lock:
            current = self.workspace.get_text_document(uri).version
            if version is not None and current is not None and current > version:
                return  # the editor has moved on: the lint of its newer text publishes
            self.linted[uri] = Linted(version, text, findings)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[shown for _, shown in findings])
        )

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
        if wanted is None or any(FIX_ALL.startswith(kind) for kind in wanted):
            fixed = self._fixed_text(uri, linted.text)
            if fixed is not None and fixed != linted.text:
                edit = convert.whole_document(uri, linted.text, fixed)
                actions.append(lsp.CodeAction(title="asynclint: fix all safe findings", kind=FIX_ALL, edit=edit))
        return actions

    def _fixed_text(self, uri: str, text: str) -> str | None:
        path = Path(self.workspace.get_text_document(uri).path)
        options = options_for(path, fix=Applicability.SAFE)
        if options is None:
            return None
        result = check_source(text.encode("utf-8"), path, replace(options, fix_edits=False), cwd=self._root())
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
    make_server().start_io()
