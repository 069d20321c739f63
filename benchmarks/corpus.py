"""A deterministic corpus of realistic async test suites, scalable to any number of files.

    uv run python benchmarks/corpus.py OUT_DIR --files 200 [--seed 7]

Each generated project looks like a service's test suite under pytest-asyncio in strict mode: a pyproject
with the pytest config and pinned versions, an `app` package whose clients have coroutine methods, a
conftest with async fixtures, and test modules mixing classes and functions, sync and async tests,
parametrize, mocks and fixtures. About one test in forty carries a mistake asynclint reports (a missing mark,
an unawaited call, a blocking sleep), so runs do real reporting work. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PYPROJECT = """\
[project]
name = "service"
version = "1.0"
dependencies = ["httpx>=0.27"]

[project.optional-dependencies]
test = ["pytest==8.3.5", "pytest-asyncio==0.24.0"]

[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
testpaths = ["tests"]
"""

CLIENT = '''\
"""Clients of the service's backends."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass
class Record:
    key: str
    value: int


class {name}Client:
    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self.records: dict[str, Record] = {{}}
        self.closed = False

    async def connect(self) -> None:
        await asyncio.sleep(0)

    async def fetch(self, key: str) -> Record | None:
        await asyncio.sleep(0)
        return self.records.get(key)

    async def store(self, key: str, value: int) -> Record:
        record = Record(key, value)
        self.records[key] = record
        return record

    async def delete(self, key: str) -> bool:
        return self.records.pop(key, None) is not None

    async def close(self) -> None:
        self.closed = True

    def describe(self) -> str:
        return f"{name}Client({{self.url}})"


async def make_{lower}(url: str = "memory://") -> {name}Client:
    client = {name}Client(url)
    await client.connect()
    return client
'''

CONFTEST = """\
import pytest
import pytest_asyncio

from app.{lower} import {name}Client, make_{lower}


@pytest_asyncio.fixture
async def {lower}_client():
    client = await make_{lower}()
    yield client
    await client.close()


@pytest.fixture
def settings():
    return {{"retries": 3, "timeout": 1.5}}
"""

NAMES = ["Cache", "Queue", "Store", "Search", "Billing", "Auth", "Mail", "Stream"]
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "lambda", "zeta"]


def _async_test(rng: random.Random, name: str, lower: str, index: int, mistake: str | None) -> list[str]:
    key = rng.choice(WORDS)
    value = rng.randint(1, 999)
    lines = [] if mistake == "unmarked" else ["@pytest.mark.asyncio"]
    if rng.random() < 0.3:
        cases = ", ".join(f'("{rng.choice(WORDS)}", {rng.randint(1, 99)})' for _ in range(rng.randint(2, 4)))
        lines.append(f'@pytest.mark.parametrize(("key", "value"), [{cases}])')
        lines.append(f"async def test_store_{key}_{index}({lower}_client, key, value):")
        lines.append(f"    record = await {lower}_client.store(key, value)")
        lines.append("    assert record.key == key")
    else:
        lines.append(f"async def test_roundtrip_{key}_{index}({lower}_client, settings):")
        lines.append(f'    stored = await {lower}_client.store("{key}", {value})')
        lines.append(f'    fetched = await {lower}_client.fetch("{key}")')
        lines.append("    assert fetched == stored")
        lines.append('    assert settings["retries"] == 3')
    if mistake == "unawaited":
        lines.append(f"    spare = {name}Client()")
        lines.append(f'    spare.delete("{key}")')
    elif mistake == "sleep":
        lines.append("    time.sleep(0.01)")
    for _ in range(rng.randint(2, 8)):
        other = rng.choice(WORDS)
        choice = rng.random()
        if choice < 0.4:
            lines.append(f'    assert await {lower}_client.fetch("{other}") is None or True')
        elif choice < 0.7:
            lines.append(f'    await {lower}_client.store("{other}", {rng.randint(1, 999)})')
        else:
            lines.append(f'    assert {lower}_client.describe().startswith("{name}")')
    return [*lines, "", ""]


def _sync_test(rng: random.Random, name: str, index: int) -> list[str]:
    key = rng.choice(WORDS)
    lines = [f"def test_record_{key}_{index}():"]
    lines.append(f'    record = Record("{key}", {rng.randint(1, 99)})')
    for _ in range(rng.randint(1, 4)):
        lines.append(f'    assert record.key == "{key}"')
    lines.append(f"    mock = MagicMock(spec={name}Client)")
    lines.append('    mock.describe.return_value = "x"')
    lines.append('    assert mock.describe() == "x"')
    return [*lines, "", ""]


def _test_module(rng: random.Random, name: str, lower: str, mistake_rate: float) -> str:
    lines = [
        f'"""Tests of the {lower} client."""',
        "",
        "import asyncio",
        "import time",
        "from unittest.mock import AsyncMock, MagicMock",
        "",
        "import pytest",
        "",
        f"from app.{lower} import {name}Client, Record, make_{lower}",
        "",
        "",
    ]
    count = rng.randint(12, 30)
    in_class = rng.random() < 0.4
    if in_class:
        lines += [f"class Test{name}:", ""]
    for index in range(count):
        mistake = None
        if rng.random() < mistake_rate:
            mistake = rng.choice(["unmarked", "unawaited", "sleep"])
        test = _async_test(rng, name, lower, index, mistake) if rng.random() < 0.7 else _sync_test(rng, name, index)
        if in_class:
            test = [
                (
                    "    " + line.replace("(", "(self, ", 1)
                    if line.startswith(("def test", "async def test"))
                    else "    " + line
                )
                if line
                else line
                for line in test
            ]
        lines += test
    lines += [
        "async def helper_gather(client):",
        "    return await asyncio.gather(client.fetch('a'), client.fetch('b'))",
        "",
        "",
        "@pytest.mark.asyncio",
        "async def test_mocked_backend():",
        "    backend = AsyncMock()",
        "    backend.fetch.return_value = None",
        "    assert await backend.fetch('k') is None",
        "    backend.fetch.assert_awaited_once_with('k')",
    ]
    return "\n".join(lines) + "\n"


def generate(out: Path, files: int, seed: int = 7, mistake_rate: float = 0.025) -> list[Path]:
    """Write `files` test modules (plus the project around them) under `out`; returns the test modules."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (out / "app").mkdir(exist_ok=True)
    (out / "app" / "__init__.py").write_text("", encoding="utf-8")
    for name in NAMES:
        lower = name.lower()
        (out / "app" / f"{lower}.py").write_text(CLIENT.format(name=name, lower=lower), encoding="utf-8")
    written = []
    per_package = 25
    for number in range(files):
        name = NAMES[number % len(NAMES)]
        lower = name.lower()
        package = out / "tests" / f"{lower}_{number // (per_package * len(NAMES))}"
        if not package.exists():
            package.mkdir(parents=True)
            (package / "__init__.py").write_text("", encoding="utf-8")
        conftest = package / "conftest.py"
        if not conftest.exists():
            conftest.write_text(CONFTEST.format(name=name, lower=lower), encoding="utf-8")
        path = package / f"test_{lower}_{number}.py"
        path.write_text(_test_module(rng, name, lower, mistake_rate), encoding="utf-8")
        written.append(path)
    (out / "tests" / "__init__.py").write_text("", encoding="utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    written = generate(args.out, args.files, args.seed)
    lines = sum(path.read_text(encoding="utf-8").count("\n") for path in written)
    print(f"{len(written)} test modules, {lines} lines, in {args.out}")


if __name__ == "__main__":
    main()
