"""How fast `asynclint server` answers an edit: the time from `didChange` to `publishDiagnostics` in a warm
server, and from `didOpen` to the first diagnostics in a cold one.

    uv run python benchmarks/lsp_latency.py [PATH] [--edits 60] [--lines 500]

PATH is a generated project (`benchmarks/corpus.py`); without it one of 200 files is generated in a temporary
folder. The largest test module is grown to `--lines` lines (its tests copied under new names) and opened in a
server started as editors start it (`python -m asynclint server` over stdio). Each edit changes one line of a
test body (it adds and removes a statement in turn, so the findings stay the same) and is timed until the
server publishes the diagnostics of that version. Targets: warm p50 <= 50 ms, p95 <= 150 ms; cold <= 1.5 s
(from starting the server process, its imports and `initialize` included, to the first diagnostics).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent


def grown(text: str, lines: int) -> str:
    """The module with copies of its top-level tests and test classes appended, under new names, until it has
    `lines` lines."""
    blocks = text.rstrip("\n").split("\n\n\n")
    tests = [block for block in blocks if re.match(r"(@.*\n)*(async def test_|def test_|class Test)", block)]
    out = text.rstrip("\n")
    copy = 0
    while tests and out.count("\n") + 1 < lines:
        block = tests[copy % len(tests)]
        copy += 1
        out += "\n\n\n" + re.sub(r"\b(def|class) (test_\w+|Test\w+)", rf"\1 \2_copy{copy}", block)
    return out + "\n"


def edited(text: str, turn: int) -> str:
    """The text with a statement added to (odd turns) or not (even turns) the first test body."""
    if turn % 2 == 0:
        return text
    match = re.search(r"^(\s+)def test_\w+\(.*\):\n", text, re.MULTILINE)
    if match is None:
        raise SystemExit("no test function to edit")
    indent = match.group(1) + "    "
    return text[: match.end()] + f"{indent}edited = {turn}\n" + text[match.end() :]


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("asynclint-latency", "1")
        self.published: dict[int, float] = {}
        self.arrived = asyncio.Event()


async def measure(root: Path, module: Path, text: str, edits: int) -> tuple[float, float, list[float]]:
    """(from starting the server to the first diagnostics, from `didOpen` to them, each edit's latency)."""
    client = Client()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            client.published[params.version] = time.perf_counter()
            client.arrived.set()

    spawned = time.perf_counter()
    await client.start_io(sys.executable, "-m", "asynclint", "server", cwd=str(root))
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri(), process_id=None)
    )
    client.initialized(lsp.InitializedParams())
    uri = module.as_uri()

    async def published_version(version: int) -> float:
        while version not in client.published:
            client.arrived.clear()
            await asyncio.wait_for(client.arrived.wait(), timeout=60)
        return client.published[version]

    start = time.perf_counter()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    first = await published_version(1)
    cold, opened = first - spawned, first - start
    timings = []
    for turn in range(1, edits + 1):
        version = turn + 1
        change = lsp.TextDocumentContentChangeWholeDocument(text=edited(text, turn))
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        timings.append(await published_version(version) - start)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return cold, opened, timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.path
        if root is None:
            root = Path(scratch) / "corpus"
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(root), "--files", "200"], check=True)
        root = root.resolve()
        # The module closest to the size asked for, grown to it.
        tests = [path for path in sorted((root / "tests").rglob("test_*.py"))]
        fitting = [path for path in tests if len(path.read_text().splitlines()) <= args.lines] or tests
        source = max(fitting, key=lambda path: len(path.read_text().splitlines()))
        module = source.with_name("test_latency_module.py")
        text = grown(source.read_text(encoding="utf-8"), args.lines)
        module.write_text(text, encoding="utf-8")
        try:
            cold, opened, warm = asyncio.run(measure(root, module, text, args.edits))
        finally:
            module.unlink()
    print(f"file: {text.count(chr(10))} lines, {args.edits} edits")
    print(
        f"cold server, start -> first diagnostics: {cold * 1000:.0f} ms (target <= 1500; "
        f"{opened * 1000:.0f} ms of it from didOpen)"
    )
    print(
        f"warm server, didChange -> diagnostics: p50 {statistics.median(warm) * 1000:.0f} ms (target <= 50), ", end=""
    )
    print(f"p95 {percentile(warm, 0.95) * 1000:.0f} ms (target <= 150), max {max(warm) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
