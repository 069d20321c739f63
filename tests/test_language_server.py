"""`asynclint server` driven by a real LSP client (pytest-lsp starts it as a subprocess over stdio): the findings
of an open file as diagnostics, its fixes as quick fixes and as `source.fixAll.asynclint`, unsaved edits linted
as they are, and the same findings as the command line gives for the same text."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from asynclint.api import CheckOptions, check_paths, check_source
from tests.helpers import write_project

UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
CONFIG = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "asynclint", "server"]))
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    root = tmp_path_factory.mktemp("workspace")
    write_project(root, {**CONFIG, "tests/test_api.py": UNMARKED})
    registered: list[lsp.Registration] = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        registered.extend(params.registrations)

    lsp_client.registered = registered  # type: ignore[attr-defined]
    params = lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri())
    await lsp_client.initialize_session(params)
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, relative: str, text: str, language: str = "python") -> str:
    """Open a document of the workspace with `text` (saved or not) and wait for its diagnostics."""
    uri = (client.root / relative).as_uri()  # type: ignore[attr-defined]
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


@pytest.mark.asyncio
async def test_a_missing_mark_is_a_diagnostic_with_a_quick_fix_that_clears_it(client: LanguageClient) -> None:
    uri = await opened(client, "tests/test_api.py", UNMARKED)
    (shown,) = client.diagnostics[uri]
    assert shown.code == "AIO101" and shown.source == "asynclint"
    assert shown.range.start == lsp.Position(line=3, character=0)
    assert shown.code_description is not None and shown.code_description.href.endswith("#aio101-async-test-not-run")

    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=shown.range,
            context=lsp.CodeActionContext(diagnostics=[shown]),
        )
    )
    assert actions is not None
    quick = [a for a in actions if isinstance(a, lsp.CodeAction) and a.kind == lsp.CodeActionKind.QuickFix]
    assert [a.title for a in quick][1:] == ["Disable AIO101 for this line"]
    action = quick[0]
    assert action.edit is not None and action.edit.changes is not None
    fixed = apply(UNMARKED, action.edit.changes[uri])
    assert "@pytest.mark.asyncio\nasync def test_fetch" in fixed

    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not client.diagnostics[uri]


@pytest.mark.asyncio
async def test_unsaved_text_is_linted_and_fix_all_applies_the_safe_fixes(client: LanguageClient) -> None:
    # The file on disk holds one unmarked test; the editor holds two, unsaved.
    text = UNMARKED + "\n\nasync def test_second():\n    assert True\n"
    uri = await opened(client, "tests/test_api.py", text)
    assert [d.code for d in client.diagnostics[uri]] == ["AIO101", "AIO101"]

    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(0, 0), end=lsp.Position(0, 0)),
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    assert actions is not None
    (fix_all,) = actions
    assert isinstance(fix_all, lsp.CodeAction) and fix_all.kind == "source.fixAll.asynclint"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    fixed = apply(text, fix_all.edit.changes[uri])
    assert fixed.count("@pytest.mark.asyncio\n") == 2


@pytest.mark.asyncio
async def test_a_file_that_does_not_parse_is_one_error(client: LanguageClient) -> None:
    uri = await opened(client, "tests/test_broken.py", "def test_x(:\n    pass\n")
    (shown,) = client.diagnostics[uri]
    assert shown.code == "AIO001" and shown.severity == lsp.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_the_editor_shows_what_the_command_line_reports(client: LanguageClient) -> None:
    text = "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    asyncio.sleep(1)\n"
    uri = await opened(client, "tests/test_sleep.py", text)
    path = client.root / "tests" / "test_sleep.py"  # type: ignore[attr-defined]
    expected = check_source(text.encode(), path, CheckOptions(), cwd=client.root).diagnostics  # type: ignore[attr-defined]
    shown = client.diagnostics[uri]
    assert [(d.code, d.message) for d in shown] == [(d.code, d.message) for d in expected]
    assert [(d.range.start.line + 1, d.range.start.character + 1) for d in shown] == [
        (d.line, d.column) for d in expected
    ]


async def actions_at(client: LanguageClient, uri: str, at: lsp.Range) -> list[lsp.CodeAction]:
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=at, context=lsp.CodeActionContext(diagnostics=[])
        )
    )
    return [action for action in found or [] if isinstance(action, lsp.CodeAction)]


async def changed(client: LanguageClient, uri: str, version: int, text: str) -> None:
    """Send the document's new text and wait for the diagnostics of that version."""
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


@pytest.mark.asyncio
async def test_disable_for_this_line_adds_a_noqa_comment_that_silences_the_finding(client: LanguageClient) -> None:
    text = "import pytest\n\n\nasync def test_fetch():  # slow\n    assert True\n"
    uri = await opened(client, "tests/test_api.py", text)
    (shown,) = client.diagnostics[uri]
    (noqa,) = [a for a in await actions_at(client, uri, shown.range) if a.title.startswith("Disable")]
    assert noqa.edit is not None and noqa.edit.changes is not None
    silenced = apply(text, noqa.edit.changes[uri])
    assert "async def test_fetch():  # slow  # noqa: AIO101\n" in silenced
    await changed(client, uri, 2, silenced)
    assert not client.diagnostics[uri]


@pytest.mark.asyncio
async def test_hover_shows_the_rule_of_a_finding_and_of_a_noqa_code(client: LanguageClient) -> None:
    text = UNMARKED + "\n\ndef test_sync():\n    pass  # noqa: AIO201\n"
    uri = await opened(client, "tests/test_api.py", text)
    (shown,) = client.diagnostics[uri]
    identifier = lsp.TextDocumentIdentifier(uri=uri)
    over_finding = await client.text_document_hover_async(lsp.HoverParams(identifier, shown.range.start))
    assert over_finding is not None and isinstance(over_finding.contents, lsp.MarkupContent)
    assert "AIO101" in over_finding.contents.value and "## What it does" in over_finding.contents.value
    line = text.splitlines().index("    pass  # noqa: AIO201")
    column = text.splitlines()[line].index("AIO201") + 2
    over_code = await client.text_document_hover_async(lsp.HoverParams(identifier, lsp.Position(line, column)))
    assert over_code is not None and isinstance(over_code.contents, lsp.MarkupContent)
    assert "AIO201" in over_code.contents.value and "AIO101" not in over_code.contents.value
    nowhere = await client.text_document_hover_async(lsp.HoverParams(identifier, lsp.Position(0, 0)))
    assert nowhere is None


@pytest.mark.asyncio
async def test_a_config_file_gets_its_findings_and_their_fix(client: LanguageClient) -> None:
    text = '[pytest]\nasyncio_mode = "auto"\nasyncio_default_fixture_loop_scope = function\n'
    path = client.root / "pytest.ini"  # type: ignore[attr-defined]
    path.write_text(text)
    uri = await opened(client, "pytest.ini", text, language="ini")
    expected = check_paths([path], CheckOptions(jobs=1), cwd=client.root).diagnostics  # type: ignore[attr-defined]
    shown = client.diagnostics[uri]
    assert [d.code for d in shown] == [d.code for d in expected] == ["AIO601"]
    assert shown[0].range.start.line == 1
    (fix,) = [a for a in await actions_at(client, uri, shown[0].range) if a.kind == lsp.CodeActionKind.QuickFix]
    assert fix.edit is not None and fix.edit.changes is not None
    assert apply(text, fix.edit.changes[uri]) == text.replace('"auto"', "auto")


@pytest.mark.asyncio
async def test_a_config_file_is_checked_as_the_editor_holds_it(client: LanguageClient, tmp_path: Path) -> None:
    saved = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    path = client.root / "pytest.ini"  # type: ignore[attr-defined]
    path.write_text(saved)
    uri = await opened(client, "pytest.ini", saved, language="ini")
    assert not client.diagnostics[uri]

    # Unsaved: what the command line reports once that text is saved (checked on a copy of the project).
    edited = saved.replace("asyncio_mode = auto", 'asyncio_mode = "strict"')
    await changed(client, uri, 2, edited)
    copy = tmp_path / "copy"
    shutil.copytree(client.root, copy)  # type: ignore[attr-defined]
    (copy / "pytest.ini").write_text(edited)
    expected = check_paths([copy / "pytest.ini"], CheckOptions(jobs=1), cwd=copy).diagnostics
    shown = [(d.code, d.range.start.line + 1) for d in client.diagnostics[uri]]
    assert shown == [(d.code, d.line) for d in expected]
    assert [d.code for d in expected] == ["AIO601"]
    assert path.read_text() == saved


@pytest.mark.asyncio
async def test_saving_a_conftest_changes_the_findings_of_the_tests_that_use_it(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    conftest = root / "tests" / "conftest.py"
    conftest.write_text("import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n")
    uri = await opened(client, "tests/test_db.py", "def test_db(db):\n    assert db\n")
    assert not client.diagnostics[uri]

    # The fixture becomes async, under the plain decorator: the sync test would get a coroutine.
    made_async = conftest.read_text().replace("def db", "async def db")
    conftest_uri = await opened(client, "tests/conftest.py", made_async)
    conftest.write_text(made_async)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri=conftest_uri)))
    while not client.diagnostics.get(uri):
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["AIO302"]


@pytest.mark.asyncio
async def test_files_changed_on_disk_are_watched_and_relint_the_open_files(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    uri = await opened(client, "tests/test_db.py", "def test_db(db):\n    assert db\n")
    assert not client.diagnostics[uri]
    (registration,) = client.registered  # type: ignore[attr-defined]
    assert registration.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES

    # A checkout brings a conftest whose fixture is async under the plain decorator.
    conftest = root / "tests" / "conftest.py"
    conftest.write_text("import pytest\n\n\n@pytest.fixture\nasync def db():\n    return 1\n")
    change = lsp.FileEvent(uri=conftest.as_uri(), type=lsp.FileChangeType.Created)
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[change]))
    while not client.diagnostics.get(uri):
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["AIO302"]


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """The text with LSP edits applied (ASCII text: UTF-16 columns are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: lsp.Position) -> int:
        return starts[min(position.line, len(lines))] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def test_without_the_extra_the_command_says_how_to_get_it(tmp_path: Path) -> None:
    """The `lsp` extra is optional: without pygls, `asynclint server` explains instead of crashing."""
    import subprocess

    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('not installed', name='pygls')\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "server"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "pip install 'asynclint[lsp]'" in result.stderr


CORPUS = Path(__file__).resolve().parent.parent / "fixtures_corpus" / "projects"
#: Files the editor, which reads one file's project around it, sees differently from a run over the whole
#: project: a test module that other test modules import (`from tests.test_accounts import make_owner`) is
#: known as a helper only to a run that reads those modules, exactly as `asynclint check` on that file alone.
WHOLE_PROJECT_ONLY = {"tests_used_as_helpers/tests/test_accounts.py"}


def test_the_editor_gives_every_corpus_file_the_findings_of_the_command_line() -> None:
    """Every Python file of every corpus project, linted as the server lints it (its settings, its text, the
    project models it keeps between files), gets the findings the whole project's `asynclint check` reports
    for it; an excluded file gets none."""
    from asynclint.lsp.server import options_for
    from asynclint.run.pipeline import WarmModels

    warm = WarmModels()
    differing: set[str] = set()
    for project in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        options = options_for(project / "pyproject.toml") or CheckOptions()
        whole = check_paths([project], replace(options, no_cache=True, force_exclude=True), cwd=project)
        expected: dict[str, set[tuple[int, int, str, str]]] = {}
        for found in whole.diagnostics:
            expected.setdefault(found.path, set()).add((found.line, found.column, found.code, found.message))
        for path in sorted(project.rglob("*.py")):
            if "venv" in path.relative_to(project).parts:
                continue
            relative = str(path.relative_to(project))
            editor = options_for(path)
            shown = (
                check_source(
                    path.read_bytes(), path, replace(editor, no_cache=True), cwd=project, warm=warm
                ).diagnostics
                if editor is not None
                else []
            )
            got = {(d.line, d.column, d.code, d.message) for d in shown if d.path == relative}
            if got != expected.get(relative, set()):
                differing.add(f"{project.name}/{relative}")
    assert differing == WHOLE_PROJECT_ONLY
