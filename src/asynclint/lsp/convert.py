"""asynclint's findings and fixes in LSP's terms: 0-based lines, columns in the UTF-16 code units editors count
by default, and line-based text edits as `TextEdit`s."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from asynclint.diagnostics import Applicability, Diagnostic, Fix
from asynclint.diagnostics import TextEdit as AsyncTextEdit
from asynclint.reporters.ci_formats import REPOSITORY

SOURCE = "asynclint"


def rule_link(code: str, name: str) -> str:
    """The rule's page in the documentation (`asynclint rule CODE` prints the same)."""
    return f"{REPOSITORY}/blob/main/docs/rules.md#{code.lower()}-{name}"


def utf16_column(line: str, column: int) -> int:
    """The UTF-16 offset of the `column`-th character (0-based) of `line`: characters beyond the Basic
    Multilingual Plane count twice."""
    return column + sum(1 for character in line[:column] if ord(character) > 0xFFFF)


def position(lines: Sequence[str], line: int, column: int) -> lsp.Position:
    """An LSP position for asynclint's 1-based `line` and `column` in a document of `lines`."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return lsp.Position(line=max(line - 1, 0), character=utf16_column(text, max(column - 1, 0)))


def diagnostic(found: Diagnostic, lines: Sequence[str]) -> lsp.Diagnostic:
    """One finding as an editor shows it: its range, code (linked to its rule's page) and message."""
    return lsp.Diagnostic(
        range=lsp.Range(
            start=position(lines, found.line, found.column), end=position(lines, found.end_line, found.end_column)
        ),
        message=found.message,
        severity=lsp.DiagnosticSeverity.Error if found.code == "AIO001" else lsp.DiagnosticSeverity.Warning,
        code=found.code,
        code_description=lsp.CodeDescription(href=rule_link(found.code, found.name)),
        source=SOURCE,
    )


def text_edits(edits: Sequence[AsyncTextEdit], lines: Sequence[str]) -> list[lsp.TextEdit]:
    return [
        lsp.TextEdit(
            range=lsp.Range(
                start=position(lines, edit.line, edit.column), end=position(lines, edit.end_line, edit.end_column)
            ),
            new_text=edit.content,
        )
        for edit in edits
    ]


def quick_fix(uri: str, found: Diagnostic, fix: Fix, lines: Sequence[str], shown: lsp.Diagnostic) -> lsp.CodeAction:
    """The finding's fix as a code action; an unsafe one says so, and is never the preferred action."""
    unsafe = fix.applicability is Applicability.UNSAFE
    return lsp.CodeAction(
        title=f"{fix.title} ({found.code}{', unsafe' if unsafe else ''})",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[shown],
        is_preferred=not unsafe,
        edit=lsp.WorkspaceEdit(changes={uri: text_edits(fix.edits, lines)}),
    )


def whole_document(uri: str, before: str, after: str) -> lsp.WorkspaceEdit:
    """An edit replacing the document's text with `after` (the fix-all action)."""
    lines = before.splitlines()
    end = lsp.Position(line=len(lines), character=0)
    if before and not before.endswith(("\n", "\r")):
        end = lsp.Position(line=len(lines) - 1, character=utf16_column(lines[-1], len(lines[-1])))
    return lsp.WorkspaceEdit(
        changes={uri: [lsp.TextEdit(range=lsp.Range(start=lsp.Position(0, 0), end=end), new_text=after)]}
    )
