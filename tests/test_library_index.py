"""asynclint's index of async libraries (`model.library_index`), for projects whose environment is not there.

What is shipped (every file loads, says where its facts come from, and answers for well-known coroutines of
its library), what a user sees (a project linted with no environment gets AIO201 on `client.get()` of httpx,
naming the index's release; an installed copy always wins), what a damaged file does (nothing: the library
stays unknown), and what the generator makes of a wheel (`scripts/build_library_index.py`, offline).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from asynclint.model import library_index
from asynclint.model.coroutines import (
    CoroutineFunction,
    CoroutineIndex,
    FunctionRef,
    Instance,
    KnownClass,
    Resolved,
    ShapeCache,
)
from asynclint.model.library_index import FOLDER, FORMAT, SUFFIX, LibraryIndex
from asynclint.model.shapes import SHAPE_FORMAT, read_shape
from tests.helpers import run_asynclint, write_project

REPOSITORY = Path(__file__).resolve().parent.parent
SCRIPT = REPOSITORY / "scripts" / "build_library_index.py"
#: The top-level packages asynclint ships an index file for.
PACKAGES = (
    "aio_pika",
    "aiobotocore",
    "aiofiles",
    "aiohttp",
    "aiokafka",
    "aiomysql",
    "aiosqlite",
    "anthropic",
    "anyio",
    "asyncpg",
    "asynctest",
    "elasticsearch",
    "httpx",
    "motor",
    "openai",
    "pymongo",
    "redis",
    "sqlalchemy",
)


def shipped(head: str) -> dict[str, object]:
    data = json.loads(gzip.decompress((FOLDER / f"{head}{SUFFIX}").read_bytes()))
    assert isinstance(data, dict)
    return data


def nothing_installed(folder: Path = FOLDER) -> CoroutineIndex:
    """The coroutine index of a project with no environment: no import roots, no site-packages."""
    return CoroutineIndex((), (), ShapeCache(None), libraries=LibraryIndex(folder))


def origin(head: str) -> str:
    data = shipped(head)
    return f"{data['package']} {data['version']}, from asynclint's index: no installed {data['package']} was found"


# -- what is shipped ---------------------------------------------------------------------------------------


def test_an_index_file_is_shipped_for_each_library() -> None:
    assert sorted(path.name for path in FOLDER.glob(f"*{SUFFIX}")) == [f"{head}{SUFFIX}" for head in PACKAGES]


@pytest.mark.parametrize("head", PACKAGES)
def test_a_shipped_file_is_of_this_layout_and_says_where_its_facts_come_from(head: str) -> None:
    data = shipped(head)
    # Made by this shape reader: a file of another layout is not used, so shipping one would lose the library.
    assert data["format"] == FORMAT
    assert data["shape_format"] == SHAPE_FORMAT
    package, version, wheel = str(data["package"]), str(data["version"]), str(data["wheel"])
    assert re.sub(r"[-_.]+", "_", package).lower() == head
    assert wheel.endswith(".whl") and wheel.lower().startswith(f"{head}-{version}-")
    assert re.fullmatch(r"[0-9a-f]{64}", str(data["sha256"]))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["generated"]))
    assert str(data["command"]).startswith("python scripts/build_library_index.py")
    modules = data["modules"]
    assert isinstance(modules, dict) and modules
    # Every module decodes with this version's shape classes.
    index = LibraryIndex(FOLDER)
    for dotted in modules:
        found = index.module(dotted)
        assert found is not None, dotted
        assert found.origin == origin(head)
        assert found.display.startswith(f"{head}/") and found.display.endswith(".py")


#: Per library, calls asynclint knows are coroutine functions from the index alone: ("name", dotted) for a
#: function, ("method", class, name) for a method looked up on the class (inherited ones too).
COROUTINES = [
    ("httpx", "method", "httpx.AsyncClient", "get"),
    ("httpx", "method", "httpx.AsyncClient", "aclose"),
    ("aiohttp", "method", "aiohttp.ClientSession", "close"),
    ("aiohttp", "method", "aiohttp.ClientResponse", "json"),
    ("asyncpg", "name", "asyncpg.connect", ""),
    ("asyncpg", "method", "asyncpg.Pool", "close"),
    ("redis", "method", "redis.asyncio.Redis", "aclose"),
    ("redis", "method", "redis.asyncio.Redis", "execute_command"),
    ("motor", "method", "motor.core.AgnosticBaseCursor", "next"),
    ("motor", "method", "motor.core.AgnosticClientSession", "with_transaction"),
    ("sqlalchemy", "method", "sqlalchemy.ext.asyncio.AsyncResult", "fetchall"),
    ("sqlalchemy", "method", "sqlalchemy.ext.asyncio.AsyncSessionTransaction", "commit"),
    # Classes under `@util.create_proxy_methods(...)`, whose source returns the class it is given.
    ("sqlalchemy", "method", "sqlalchemy.ext.asyncio.AsyncSession", "commit"),
    ("sqlalchemy", "method", "sqlalchemy.ext.asyncio.AsyncEngine", "dispose"),
    ("anyio", "name", "anyio.sleep", ""),
    ("anyio", "name", "anyio.to_thread.run_sync", ""),
    ("anyio", "name", "anyio.open_file", ""),
    ("aiofiles", "method", "aiofiles.base.AiofilesContextManager", "__aenter__"),
    ("openai", "method", "openai.resources.chat.completions.AsyncCompletions", "create"),
    ("anthropic", "method", "anthropic.resources.messages.AsyncMessages", "create"),
    ("aiosqlite", "method", "aiosqlite.Connection", "commit"),
    ("aiosqlite", "method", "aiosqlite.Cursor", "execute"),
    ("aiomysql", "method", "aiomysql.Cursor", "execute"),
    ("aiomysql", "method", "aiomysql.Connection", "commit"),
    ("elasticsearch", "method", "elasticsearch.AsyncElasticsearch", "search"),
    ("elasticsearch", "method", "elasticsearch.AsyncElasticsearch", "close"),
    ("pymongo", "method", "pymongo.AsyncMongoClient", "close"),
    ("pymongo", "method", "pymongo.asynchronous.collection.AsyncCollection", "find_one"),
    ("aiokafka", "method", "aiokafka.AIOKafkaProducer", "send_and_wait"),
    ("aio_pika", "name", "aio_pika.connect_robust", ""),
    # `@asyncio.coroutine` generators: coroutines up to Python 3.10.
    ("asynctest", "name", "asynctest.helpers.exhaust_callbacks", ""),
    ("asynctest", "method", "asynctest.ClockedTestCase", "advance"),
]


@pytest.mark.parametrize(("head", "kind", "dotted", "name"), COROUTINES, ids=[f"{c[2]}.{c[3]}" for c in COROUTINES])
def test_well_known_coroutines_are_answered_from_the_index(head: str, kind: str, dotted: str, name: str) -> None:
    index = nothing_installed()
    if kind == "name":
        found: Resolved | None = index.resolve(dotted)
    else:
        cls = index.resolve(dotted)
        assert isinstance(cls, KnownClass), dotted
        found = index.method(cls, name)
    assert isinstance(found, CoroutineFunction)
    assert found.where.endswith(f" of {origin(head)}")


#: Functions whose call gives an instance of a class with coroutine methods: asynclint follows the value
#: (`db = aiosqlite.connect(...)`, then `db.commit()`), so the index keeps what the value needs.
FACTORIES = [
    ("redis.asyncio.from_url", "redis.asyncio.client.Redis", "aclose"),
    ("aiosqlite.connect", "aiosqlite.core.Connection", "commit"),
    ("asyncpg.create_pool", "asyncpg.pool.Pool", "close"),
    ("aiofiles.open", "aiofiles.base.AiofilesContextManager", "__aenter__"),
]


@pytest.mark.parametrize(("dotted", "made", "coroutine"), FACTORIES, ids=[f[0] for f in FACTORIES])
def test_what_a_factory_gives_is_answered_from_the_index(dotted: str, made: str, coroutine: str) -> None:
    index = nothing_installed()
    factory = index.resolve(dotted)
    assert isinstance(factory, FunctionRef)
    value = index.call_value(factory, awaited=False)
    assert isinstance(value, Instance) and value.cls.dotted == made
    assert isinstance(index.method(value.cls, coroutine), CoroutineFunction)


def test_a_module_the_index_does_not_hold_is_unknown_not_an_error() -> None:
    index = nothing_installed()
    assert index.resolve("httpx.no_such_module.Client") is None
    assert index.resolve("not_indexed_library.connect") is None


# -- what a user sees --------------------------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "forecast"
version = "1.0.0"
dependencies = ["httpx==0.29.0", "redis==8.2.0"]

[project.optional-dependencies]
test = ["pytest==9.2.0", "pytest-asyncio==1.5.0"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""
TEST_FORECAST = """\
import httpx
import redis.asyncio


async def test_today():
    async with httpx.AsyncClient() as client:
        client.get("https://forecast.example.org/today")
        response = await client.post("https://forecast.example.org/refresh")
        assert response.status_code == 202


async def test_cache():
    cache = redis.asyncio.from_url("redis://localhost")
    await cache.execute_command("PING")
    cache.aclose()
"""


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if re.match(r"\S+:\d+:\d+: AIO\d{3}", line)]


def test_a_project_without_an_environment_is_told_of_a_missing_await_on_an_indexed_library(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "forecast", {"pyproject.toml": PYPROJECT, "tests/test_forecast.py": TEST_FORECAST}
    )
    result = run_asynclint(project, "--select", "AIO201", "-q")
    assert result.returncode == 1, result.stderr
    reported = findings(result)
    assert [line.split(" ")[0] for line in reported] == ["tests/test_forecast.py:7:9:", "tests/test_forecast.py:15:5:"]
    # The message says the facts are the index's, of which release: the user can tell why and how sure.
    assert "`AsyncClient.get` is `async def` in httpx/_client.py:" in reported[0]
    assert reported[0].endswith(f" of {origin('httpx')})")
    # `from_url()` is a plain function: what it returns is followed into the index too.
    assert "`Redis.aclose` is `async def` in redis/asyncio/client.py:" in reported[1]
    assert reported[1].endswith(f" of {origin('redis')})")


@pytest.mark.parametrize(
    ("declared", "reported"),
    [
        ('"redis==3.5.3"', False),  # a release of another major version: not what the index read
        ('"redis>=2.10,<4"', False),
        ('"redis>=4.2,<8"', False),  # every allowed release is of an older series than the index's
        ('"redis>=8.0"', True),
        ('"redis~=8.1"', True),
        ('"redis"', True),
    ],
)
def test_the_index_is_used_only_for_the_release_series_the_project_allows(
    tmp_path: Path, declared: str, reported: bool
) -> None:
    major = shipped("redis")["version"].split(".")[0]
    assert major == "8", "the cases above are written for the index's redis 8"
    pyproject = PYPROJECT.replace('"httpx==0.29.0", "redis==8.2.0"', f'"httpx==0.29.0", {declared}')
    project = write_project(
        tmp_path / "forecast", {"pyproject.toml": pyproject, "tests/test_forecast.py": TEST_FORECAST}
    )
    result = run_asynclint(project, "--select", "AIO201", "-q")
    where = [line.split(" ")[0] for line in findings(result)]
    # httpx is pinned to the index's series and is judged by it either way.
    assert "tests/test_forecast.py:7:9:" in where, result.stdout + result.stderr
    assert ("tests/test_forecast.py:15:5:" in where) is reported, result.stdout + result.stderr


#: A virtualenv in the project holding its own httpx, where `get` is a plain function and `aclose` a coroutine
#: function, and with no `_client` module at all.
INSTALLED_HTTPX = {
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv/lib/python3.11/site-packages/httpx-0.29.0.dist-info/METADATA": "Name: httpx\nVersion: 0.29.0\n",
    ".venv/lib/python3.11/site-packages/httpx/__init__.py": (
        "class AsyncClient:\n"
        "    async def __aenter__(self):\n"
        "        return self\n"
        "\n"
        "    async def __aexit__(self, *exc):\n"
        "        return None\n"
        "\n"
        "    def get(self, url):\n"
        "        return url\n"
        "\n"
        "    async def aclose(self):\n"
        "        return None\n"
    ),
}
TEST_INSTALLED = """\
import httpx
import httpx._client


async def test_today():
    async with httpx.AsyncClient() as client:
        client.get("https://forecast.example.org/today")
        client.aclose()


async def test_private_client():
    async with httpx._client.AsyncClient() as client:
        client.get("https://forecast.example.org/today")
"""


def test_an_installed_copy_wins_over_the_index(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "forecast",
        {"pyproject.toml": PYPROJECT, "tests/test_forecast.py": TEST_INSTALLED, **INSTALLED_HTTPX},
    )
    result = run_asynclint(project, "--select", "AIO201", "-q")
    reported = findings(result)
    # `get` is a plain function in the installed copy: no finding; `aclose` is reported from the installed
    # copy's own source. `httpx._client`, which the installed copy does not have, is not taken from the index.
    assert len(reported) == 1, result.stdout + result.stderr
    assert reported[0].startswith("tests/test_forecast.py:8:9: AIO201")
    assert "`AsyncClient.aclose` is `async def` in httpx/__init__.py:11)" in reported[0]
    assert "asynclint's index" not in result.stdout


def test_an_environment_named_with_python_wins_over_the_index(tmp_path: Path) -> None:
    environment = write_project(
        tmp_path / "env", {path.removeprefix(".venv/"): text for path, text in INSTALLED_HTTPX.items()}
    )
    project = write_project(
        tmp_path / "forecast", {"pyproject.toml": PYPROJECT, "tests/test_forecast.py": TEST_FORECAST}
    )
    result = run_asynclint(project, "--select", "AIO201", "-q", "--python", str(environment))
    reported = findings(result)
    # httpx comes from the environment (its `get` is no coroutine function); redis, not installed there, from
    # the index.
    assert [line.split(" ")[0] for line in reported] == ["tests/test_forecast.py:15:5:"], result.stdout
    assert reported[0].endswith(f" of {origin('redis')})")


# -- damaged files -----------------------------------------------------------------------------------------


def rewritten(data: dict[str, object], **changes: object) -> bytes:
    return gzip.compress(json.dumps({**data, **changes}).encode("utf-8"))


def damaged_files() -> list[tuple[str, bytes]]:
    whole = (FOLDER / f"httpx{SUFFIX}").read_bytes()
    data = shipped("httpx")
    modules = data["modules"]
    assert isinstance(modules, dict)
    schema = data["schema"]
    assert isinstance(schema, dict)
    return [
        ("empty", b""),
        ("truncated", whole[: len(whole) // 2]),
        ("not gzip", b'{"format": 1}'),
        ("not JSON", gzip.compress(b"{not json")),
        ("not an object", gzip.compress(b"[1, 2, 3]")),
        ("another index format", rewritten(data, format=FORMAT + 1)),
        ("another shape format", rewritten(data, shape_format=SHAPE_FORMAT + 1)),
        ("no modules", rewritten(data, modules=None)),
        ("a field this version lacks", rewritten(data, schema={**schema, "ClassShape": ["name", "metaclass"]})),
        ("a malformed module", rewritten(data, modules={name: [1, "garbage"] for name in modules})),
        ("malformed names", rewritten(data, modules={name: [1, ["", 7]] for name in modules})),
        ("values of the wrong type", rewritten(data, modules=numbers_for_strings(modules))),
    ]


def numbers_for_strings(value: object) -> object:
    """Encoded shapes with every string value (not the keys) made a number: valid JSON, wrong types."""
    if isinstance(value, str):
        return 7
    if isinstance(value, list):
        return [numbers_for_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: numbers_for_strings(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("label", "content"), damaged_files(), ids=[label for label, _ in damaged_files()])
def test_a_damaged_index_file_leaves_the_library_unknown(tmp_path: Path, label: str, content: bytes) -> None:
    (tmp_path / f"httpx{SUFFIX}").write_bytes(content)
    libraries = LibraryIndex(tmp_path)
    assert libraries.covers("httpx")
    assert libraries.module("httpx") is None
    assert libraries.module("httpx._client") is None
    index = nothing_installed(tmp_path)
    assert index.resolve("httpx.AsyncClient") is None
    assert index.resolve("httpx.AsyncClient.get") is None


def test_an_intact_copy_of_a_shipped_file_is_read_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / f"httpx{SUFFIX}").write_bytes((FOLDER / f"httpx{SUFFIX}").read_bytes())
    found = nothing_installed(tmp_path).resolve("httpx.AsyncClient.get")
    assert isinstance(found, CoroutineFunction)


# -- the generator -----------------------------------------------------------------------------------------

needs_script = pytest.mark.skipif(not SCRIPT.is_file(), reason="scripts/ is part of the repository, not of the sdist")

#: A small async library as a wheel: a package whose `__init__` re-exports a class explicitly and a module's
#: names through a star import, a factory returning the class, and modules with nothing async.
WHEEL_FILES = {
    "netkit/__init__.py": 'from ._client import AsyncClient\nfrom ._pool import *\n\n__version__ = "1.2.0"\n',
    "netkit/_client.py": (
        "class AsyncClient:\n"
        "    async def __aenter__(self):\n"
        "        return self\n"
        "\n"
        "    async def __aexit__(self, *exc):\n"
        "        return None\n"
        "\n"
        "    async def get(self, url):\n"
        "        return url\n"
        "\n"
        "    def close(self):\n"
        "        return None\n"
    ),
    "netkit/_pool.py": (
        "from ._client import AsyncClient\n"
        "\n"
        "\n"
        "async def open_pool(size):\n"
        "    return [AsyncClient() for _ in range(size)]\n"
        "\n"
        "\n"
        "def make_client() -> AsyncClient:\n"
        "    return AsyncClient()\n"
    ),
    "netkit/_text.py": "def slugify(text):\n    return text.lower()\n",
    "netkit/errors.py": "class NetError(Exception):\n    pass\n",
    "netkit/py.typed": "",
    "netkit-1.2.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: netkit\nVersion: 1.2.0\n",
    "netkit-1.2.0.dist-info/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}


def build_wheel(folder: Path) -> Path:
    folder.mkdir(parents=True)
    wheel = folder / "netkit-1.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in WHEEL_FILES.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    return wheel


def generate(wheels: Path, output: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "netkit==1.2.0", "--wheels", str(wheels), "--output", str(output)]
    result = subprocess.run(
        [*command, "--date", "2024-05-06"], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


@needs_script
def test_the_generator_indexes_a_wheel_offline_keeping_only_what_leads_to_coroutines(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "wheels")
    output = tmp_path / "libraries"
    output.mkdir()
    (output / f"stale{SUFFIX}").write_bytes(b"from an earlier run")
    summary = json.loads(generate(tmp_path / "wheels", output).stdout)
    assert summary["files"] == {f"netkit{SUFFIX}": (output / f"netkit{SUFFIX}").stat().st_size}
    assert sorted(path.name for path in output.iterdir()) == [f"netkit{SUFFIX}"]  # earlier files replaced

    data = json.loads(gzip.decompress((output / f"netkit{SUFFIX}").read_bytes()))
    assert (data["package"], data["version"], data["wheel"]) == ("netkit", "1.2.0", wheel.name)
    assert data["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert data["generated"] == "2024-05-06"
    assert data["command"].startswith("python scripts/build_library_index.py netkit==1.2.0 --wheels ")
    assert (data["format"], data["shape_format"]) == (FORMAT, SHAPE_FORMAT)
    # The re-exporting package is kept with the modules it leads to; those with nothing async are not.
    assert sorted(data["modules"]) == ["netkit", "netkit._client", "netkit._pool"]

    index = nothing_installed(output)
    through_import = index.resolve("netkit.AsyncClient")
    assert isinstance(through_import, KnownClass) and through_import.dotted == "netkit._client.AsyncClient"
    get = index.method(through_import, "get")
    assert isinstance(get, CoroutineFunction)
    assert get.where == "netkit/_client.py:8 of netkit 1.2.0, from asynclint's index: no installed netkit was found"
    assert index.method(through_import, "close") is None
    through_star = index.resolve("netkit.open_pool")
    assert isinstance(through_star, CoroutineFunction) and through_star.where.startswith("netkit/_pool.py:4 of ")
    factory = index.resolve("netkit.make_client")
    assert isinstance(factory, FunctionRef)
    made = index.call_value(factory, awaited=False)
    assert isinstance(made, Instance) and made.cls.dotted == "netkit._client.AsyncClient"
    assert index.resolve("netkit._text.slugify") is None
    assert index.resolve("netkit.errors.NetError") is None


@needs_script
def test_the_generator_gives_the_same_bytes_for_the_same_wheel_and_date(tmp_path: Path) -> None:
    build_wheel(tmp_path / "wheels")
    output = tmp_path / "libraries"
    generate(tmp_path / "wheels", output)
    first = (output / f"netkit{SUFFIX}").read_bytes()
    generate(tmp_path / "wheels", output)
    assert (output / f"netkit{SUFFIX}").read_bytes() == first


ROUND_TRIP_SOURCE = """
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

Client = "Client"
if TYPE_CHECKING:
    from app.client import Client


class Endpoint:
    limit: int

    def __init__(self, device: "Device", limit, *, name=None):
        self._device = device
        self.name = name

    @property
    def device(self):
        return self._device

    def request(self, data):
        return self.device.request(data)

    def __await__(self):
        async def _():
            return self

        return _().__await__()


async def make():
    device, endpoint = await pair(MagicMock(), limit=3)
    return endpoint, Endpoint(device, 2, name=mock.sentinel.name)


@asynccontextmanager
async def opened() -> "AsyncIterator[Endpoint]":
    yield Endpoint(Device(), 1)
"""


def test_every_fact_a_shape_holds_survives_the_index_layout() -> None:
    """What the index stores is read back as asynclint's reader made it: every field of every kind of fact."""
    shape = read_shape(ROUND_TRIP_SOURCE, "m.py")
    assert shape is not None
    stored = json.loads(json.dumps({"schema": library_index.schema(), "module": library_index.encode(shape)}))
    assert library_index._Decoder(stored["schema"]).module(stored["module"]) == shape
