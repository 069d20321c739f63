"""Which class a value has when it comes from a helper, a factory, a classmethod or a fixture: asynclint reads
the callee's return annotation or its `return`/`yield` statements (all of them agreeing), across modules, and
reports a method of that class called without `await`. Whenever something else may decide the value (a
branch handing out another class or `None`, a patch, an unknown decorator, an override, a parametrization),
nothing is reported.

Each case marks the lines asynclint must report with `# expect: AIO201` (or AIO202); every other line must
stay silent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asynclint.model.library_index import _Decoder, encode, schema
from asynclint.model.shapes import read_shape
from asynclint.model.values import ATTRIBUTE, AWAIT, AWAITED, CALL, ENTER, INSTANCE, ITEMS, SELF, Value
from tests.helpers import run, run_asynclint, write_project

CLIENT = """\
from typing import Optional, Self


class Client:
    def __init__(self, url="memory://"):
        self.url = url

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def get(self, key):
        return key

    async def close(self):
        pass

    def describe(self):
        return "client"

    @classmethod
    async def connect(cls, url="memory://"):
        client = cls(url)
        return client

    @classmethod
    async def open(cls) -> Self:
        return cls()

    @classmethod
    def build(cls) -> "Client":
        return Client()

    def with_url(self, url):
        self.url = url
        return self


class Replica(Client):
    def get(self, key):
        return key


class Other:
    def get(self, key):
        return key
"""

PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "shop"\nversion = "0"\n\n'
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_default_fixture_loop_scope = "function"\n'
        'pythonpath = ["src"]\n'
    ),
    "requirements.txt": "pytest==8.4.2\npytest-asyncio==1.2.0\n",
    "src/shop/__init__.py": "",
    "src/shop/client.py": CLIENT,
    "tests/__init__.py": "",
}
_EXPECT = re.compile(r"#\s*expect:\s*(AIO\d{3})")


def check(root: Path, files: dict[str, str]) -> None:
    """Lint the project: the findings must be exactly the lines marked `# expect: AIO2xx`."""
    write_project(root, {**PROJECT, **files})
    result = run([root], cwd=root, select=["AIO201", "AIO202", "AIO203"])
    assert not result.internal_errors, result.internal_errors
    found = {(Path(d.path).as_posix(), d.line, d.code) for d in result.diagnostics}
    expected = {
        (path, number, match.group(1))
        for path, text in files.items()
        for number, line in enumerate(text.splitlines(), 1)
        if (match := _EXPECT.search(line))
    }
    messages = "\n".join(f"{d.path}:{d.line}: {d.code} {d.message}" for d in result.diagnostics)
    assert found == expected, messages


HEAD = "import pytest\nimport pytest_asyncio\n\n"


def test_return_annotation_of_a_helper(tmp_path: Path) -> None:
    helpers = (
        "from typing import Optional\n\nfrom shop.client import Client\n\n\n"
        "def make() -> Client:\n    return build_somehow()\n\n\n"
        'def make_quoted() -> "Client":\n    return build_somehow()\n\n\n'
        "def maybe() -> Optional[Client]:\n    return build_somehow()\n\n\n"
        "def maybe_union() -> Client | None:\n    return build_somehow()\n\n\n"
        "def build_somehow():\n    return object()\n"
    )
    test = (
        HEAD + "from tests.helpers import make, make_quoted, maybe, maybe_union\n\n\n"
        "@pytest.mark.asyncio\nasync def test_helpers():\n"
        "    client = make()\n"
        '    client.get("a")  # expect: AIO201\n'
        "    quoted = make_quoted()\n"
        '    quoted.get("a")  # expect: AIO201\n'
        "    # None has no `get`: where `get` is called on what may be None, it is a Client.\n"
        "    absent = maybe()\n"
        '    absent.get("a")  # expect: AIO201\n'
        "    either = maybe_union()\n"
        '    either.get("a")  # expect: AIO201\n'
    )
    check(tmp_path, {"tests/helpers.py": helpers, "tests/test_helpers.py": test})


def test_returned_values_must_agree_on_every_path(tmp_path: Path) -> None:
    helpers = (
        "from shop.client import Client, Other\n\n\n"
        "def agreeing(flag):\n    if flag:\n        return Client('a')\n    return Client('b')\n\n\n"
        "def other_class(flag):\n    if flag:\n        return Client()\n    return Other()\n\n\n"
        "def none_branch(flag):\n    if flag:\n        return None\n    return Client()\n\n\n"
        "def falls_off(flag):\n    if flag:\n        return Client()\n\n\n"
        "def unknown_branch(flag, factory):\n    if flag:\n        return factory()\n    return Client()\n\n\n"
        "def via_variable():\n    client = Client()\n    client.describe()\n    return client\n\n\n"
        "def changed_on_the_way():\n    client = Client()\n    client.get = lambda key: key\n    return client\n"
    )
    test = (
        HEAD + "from tests import helpers\n\n\n"
        "@pytest.mark.asyncio\nasync def test_paths():\n"
        "    a = helpers.agreeing(True)\n"
        '    a.get("k")  # expect: AIO201\n'
        "    b = helpers.other_class(True)\n"
        '    b.get("k")\n'
        "    c = helpers.none_branch(False)\n"
        '    c.get("k")\n'
        "    d = helpers.falls_off(True)\n"
        '    d.get("k")\n'
        "    e = helpers.unknown_branch(False, dict)\n"
        '    e.get("k")\n'
        "    f = helpers.via_variable()\n"
        '    f.get("k")  # expect: AIO201\n'
        "    g = helpers.changed_on_the_way()\n"
        '    g.get("k")\n'
    )
    check(tmp_path, {"tests/helpers.py": helpers, "tests/test_paths.py": test})


def test_classmethods_and_awaited_helpers(tmp_path: Path) -> None:
    test = (
        HEAD + "from shop.client import Client, Replica\n\n\n"
        "async def open_client():\n    return await Client.connect()\n\n\n"
        "@pytest.mark.asyncio\nasync def test_constructors():\n"
        "    connected = await Client.connect()\n"
        '    connected.get("k")  # expect: AIO201\n'
        "    opened = await Client.open()\n"
        '    opened.get("k")  # expect: AIO201\n'
        "    built = Client.build()\n"
        '    built.get("k")  # expect: AIO201\n'
        "    chained = built.with_url('x')\n"
        '    chained.get("k")  # expect: AIO201\n'
        "    helped = await open_client()\n"
        '    helped.get("k")  # expect: AIO201\n'
        "    # `cls(...)` in a classmethod makes the class it is called on: `Replica.get` is a plain method.\n"
        "    replica = await Replica.connect()\n"
        '    replica.get("k")\n'
        "    # What `await Client()` gives is up to `__await__`, which asynclint does not read.\n"
        "    awaited = await Client()\n"
        '    awaited.get("k")\n'
    )
    check(tmp_path, {"tests/test_constructors.py": test})


def test_factory_fixture_returning_an_inner_function(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client\n\n\n"
        "@pytest.fixture\ndef make_client():\n"
        "    def _make(**kwargs):\n        return Client(**kwargs)\n\n    return _make\n\n\n"
        "@pytest.fixture\ndef make_async_client():\n"
        "    async def _make():\n        return Client()\n\n    return _make\n\n\n"
        "@pytest.fixture\ndef make_from(factory_kind):\n"
        "    def _make():\n        return factory_kind()\n\n    return _make\n\n\n"
        "@pytest.fixture\ndef factory_kind():\n    return Client\n"
    )
    test = (
        HEAD + "\n"
        "@pytest.mark.asyncio\nasync def test_factories(make_client, make_async_client, make_from):\n"
        "    client = make_client(url='x')\n"
        '    client.get("k")  # expect: AIO201\n'
        "    make_async_client()  # expect: AIO201\n"
        "    awaited = await make_async_client()\n"
        '    awaited.get("k")  # expect: AIO201\n'
        "    unknown = make_from()\n"
        '    unknown.get("k")\n'
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_factories.py": test})


def test_fixture_assigning_none_first(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client\n\n\n"
        "@pytest_asyncio.fixture\nasync def client():\n"
        "    client = None\n    try:\n        client = await Client.connect()\n        yield client\n"
        "    finally:\n        if client is not None:\n            await client.close()\n\n\n"
        "@pytest_asyncio.fixture\nasync def maybe_client(request):\n"
        "    client = None\n    if request.config.getoption('verbose'):\n        client = Client()\n"
        "    yield client\n\n\n"
        "@pytest_asyncio.fixture\nasync def dropped_client():\n"
        "    client = Client()\n    if client.url:\n        client = None\n    yield client\n"
    )
    test = (
        HEAD + "\n"
        "@pytest.mark.asyncio\nasync def test_fixtures(client, maybe_client, dropped_client):\n"
        '    client.get("k")  # expect: AIO201\n'
        '    maybe_client.get("k")\n'
        '    dropped_client.get("k")\n'
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_fixtures.py": test})


def test_yielding_fixtures_and_their_annotations(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from collections.abc import AsyncIterator, Generator, Iterator\n\nfrom shop.client import Client\n\n\n"
        "@pytest_asyncio.fixture\nasync def entered() -> AsyncIterator[Client]:\n"
        "    async with make() as client:\n        yield client\n\n\n"
        "@pytest.fixture\ndef sync_iterated() -> Iterator[Client]:\n    yield make()\n\n\n"
        "@pytest.fixture\ndef generated() -> Generator[Client, None, None]:\n    yield make()\n\n\n"
        "@pytest_asyncio.fixture\nasync def two_yields(request):\n"
        "    if request.param:\n        yield Client()\n    else:\n        yield make()\n\n\n"
        "def make():\n    return object()\n"
    )
    test = (
        HEAD + "\n"
        "@pytest.mark.asyncio\nasync def test_fixtures(entered, sync_iterated, generated, two_yields):\n"
        '    entered.get("k")  # expect: AIO201\n'
        '    sync_iterated.get("k")  # expect: AIO201\n'
        '    generated.get("k")  # expect: AIO201\n'
        '    two_yields.get("k")\n'
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_yields.py": test})


def test_helpers_across_modules_and_through_each_other(tmp_path: Path) -> None:
    files = {
        "src/shop/factories.py": (
            "from .client import Client\n\n\n"
            "def default_client():\n    return Client()\n\n\n"
            "def configured_client():\n    return default_client()\n\n\n"
            "def local_import():\n    from shop.client import Client as Imported\n\n    return Imported()\n\n\n"
            "def ping():\n    return pong()\n\n\n"
            "def pong():\n    return ping()\n"
        ),
        "src/shop/__init__.py": "from .factories import configured_client\n",
        "tests/test_modules.py": (
            HEAD + "import shop\nfrom shop import factories\n\n\n"
            "@pytest.mark.asyncio\nasync def test_modules():\n"
            "    client = shop.configured_client()\n"
            '    client.get("k")  # expect: AIO201\n'
            "    imported = factories.local_import()\n"
            '    imported.get("k")  # expect: AIO201\n'
            "    looping = factories.ping()\n"
            '    looping.get("k")\n'
        ),
    }
    check(tmp_path, files)


def test_helper_of_an_installed_package(tmp_path: Path) -> None:
    site = "venv/lib/python3.11/site-packages"
    files = {
        "venv/pyvenv.cfg": "home = /usr/bin\nversion = 3.11.0\n",
        f"{site}/quickdb/__init__.py": (
            "class Connection:\n    async def execute(self, query):\n        return []\n\n\n"
            "def connect_lazily(dsn) -> Connection:\n    return Connection()\n\n\n"
            "def decorated_later(dsn):\n    return Connection()\n\n\n"
            "decorated_later = staticmethod(decorated_later)\n"
        ),
        f"{site}/quickdb-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: quickdb\nVersion: 1.0\n",
        "tests/test_installed.py": (
            HEAD + "import quickdb\n\n\n"
            "@pytest.mark.asyncio\nasync def test_installed():\n"
            "    connection = quickdb.connect_lazily('db://')\n"
            '    connection.execute("select 1")  # expect: AIO201\n'
            "    rebound = quickdb.decorated_later('db://')\n"
            '    rebound.execute("select 1")\n'
        ),
    }
    check(tmp_path, files)


def test_unknown_decorators_and_patches_keep_it_silent(tmp_path: Path) -> None:
    helpers = (
        "import functools\n\nfrom shop.client import Client\n\n\n"
        "def logged(function):\n    @functools.wraps(function)\n"
        "    def wrapper(*args):\n        return function(*args)\n\n    return wrapper\n\n\n"
        "@logged\ndef decorated() -> Client:\n    return Client()\n\n\n"
        "def patched_helper() -> Client:\n    return Client()\n\n\n"
        "def patched_class():\n    return Client()\n\n\n"
        "def patches_itself(monkeypatch):\n    client = Client()\n"
        '    monkeypatch.setattr(client, "get", lambda key: key)\n    return client\n'
    )
    test = (
        HEAD + "from unittest import mock\n\nfrom tests import helpers\n\n\n"
        "def wrap(client):\n    return client\n\n\n"
        "@pytest.mark.asyncio\nasync def test_silent(monkeypatch):\n"
        "    decorated = helpers.decorated()\n"
        '    decorated.get("k")\n'
        '    monkeypatch.setattr(helpers, "patched_helper", lambda: None)\n'
        "    patched = helpers.patched_helper()\n"
        '    patched.get("k")\n'
        '    with mock.patch("tests.helpers.Client"):\n'
        "        made = helpers.patched_class()\n"
        '        made.get("k")\n'
        "    own = helpers.patches_itself(monkeypatch)\n"
        '    own.get("k")\n'
        "    passed = wrap(helpers.patched_class())\n"
        '    passed.get("k")\n'
    )
    check(tmp_path, {"tests/helpers.py": helpers, "tests/test_silent.py": test})


def test_the_definition_a_test_gets_decides(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client\n\n\n"
        "@pytest.fixture\ndef client():\n    return Client()\n\n\n"
        "@pytest.fixture\ndef server():\n    return Client()\n\n\n"
        "@pytest.fixture\ndef session():\n    return Client()\n"
    )
    test = (
        HEAD + "from shop.client import Client, Other\n\n\n"
        "@pytest.fixture\ndef client():\n    return Other()\n\n\n"
        "@pytest_asyncio.fixture\nasync def session(session):\n"
        "    # A fixture requesting its own name gets the conftest's.\n"
        '    session.get("k")  # expect: AIO201\n'
        "    return session\n\n\n"
        "@pytest.mark.asyncio\nasync def test_module_override(client, session):\n"
        '    client.get("k")\n'
        "    # The module's `session` hands out the conftest's, which it requests.\n"
        '    session.get("k")  # expect: AIO201\n\n\n'
        "class TestInClass:\n"
        "    @pytest.fixture\n    def server(self):\n        return Other()\n\n"
        "    @pytest.mark.asyncio\n    async def test_class_override(self, server):\n"
        '        server.get("k")\n\n\n'
        "@pytest.mark.asyncio\nasync def test_conftest_one(server):\n"
        '    server.get("k")  # expect: AIO201\n\n\n'
        '@pytest.mark.parametrize("server", [Other()])\n'
        "@pytest.mark.asyncio\nasync def test_parametrized(server):\n"
        '    server.get("k")\n'
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_overrides.py": test})


def test_a_hook_that_may_parametrize_fixtures_keeps_it_silent(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client, Other\n\n\n"
        "def pytest_generate_tests(metafunc):\n"
        '    if "client" in metafunc.fixturenames:\n'
        '        metafunc.parametrize("client", [Other()])\n\n\n'
        "@pytest.fixture\ndef client():\n    return Client()\n"
    )
    test = HEAD + '\n@pytest.mark.asyncio\nasync def test_hook(client):\n    client.get("k")\n'
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_hook.py": test})


def test_an_async_fixture_nothing_runs_hands_out_a_coroutine(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client\n\n\n"
        "@pytest.fixture\nasync def plain_client():\n    return Client()\n\n\n"
        "@pytest_asyncio.fixture\nasync def client():\n    return Client()\n"
    )
    test = (
        HEAD + "\n@pytest.mark.asyncio\nasync def test_fixtures(plain_client, client):\n"
        '    plain_client.get("k")\n'
        '    client.get("k")  # expect: AIO201\n'
    )
    write_project(tmp_path, {**PROJECT, "tests/conftest.py": conftest, "tests/test_fixtures.py": test})
    result = run([tmp_path], cwd=tmp_path, select=["AIO201", "AIO301"])
    found = sorted((d.path, d.line, d.code) for d in result.diagnostics)
    # The plain one is AIO301's finding (the test gets a coroutine object), not a missing await on its method.
    assert found == [("tests/conftest.py", 8, "AIO301"), ("tests/test_fixtures.py", 8, "AIO201")]


def test_reported_by_the_command_with_its_fix(tmp_path: Path) -> None:
    files = {
        "tests/conftest.py": (
            HEAD + "from shop.client import Client\n\n\n"
            "@pytest.fixture\ndef make_client():\n"
            "    def _make():\n        return Client()\n\n    return _make\n"
        ),
        "tests/test_cli.py": (
            HEAD + "\n@pytest.mark.asyncio\nasync def test_factory(make_client):\n"
            "    client = make_client()\n"
            '    client.get("k")\n'
        ),
    }
    write_project(tmp_path, {**PROJECT, **files})
    report = run_asynclint(tmp_path, "--select", "AIO201", "tests")
    assert report.returncode == 1, report.stderr
    assert "tests/test_cli.py:8:5: AIO201 [*] `client.get()` is never awaited" in report.stdout
    fixed = run_asynclint(tmp_path, "--select", "AIO201", "--fix", "tests")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert '    await client.get("k")\n' in (tmp_path / "tests/test_cli.py").read_text()


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("def f() -> Client:\n    return g()\n", Value(INSTANCE, "Client")),
        ("def f() -> Optional[Client]:\n    return Client()\n", Value(INSTANCE, "Client")),
        ("def f() -> Client | Server:\n    return Client()\n", None),
        ("def f():\n    return Client()\n", Value(CALL, "Client")),
        ("async def f():\n    return await Client.connect()\n", Value(AWAIT, "Client.connect")),
        ("def f():\n    with Client() as c:\n        return c\n", Value(ENTER, "Client")),
        ("def f():\n    from app import Client as C\n    return C()\n", Value(CALL, "app.Client", imported=True)),
        # A parameter's value is the caller's; for a fixture, another fixture's (`FixtureTypes`).
        ("def f(make):\n    return make()\n", Value(CALL, "make", parameter=True)),
        ("def f(server):\n    return server.client\n", Value(ATTRIBUTE, "server.client", parameter=True)),
        ("async def f(connect):\n    return await connect()\n", Value(AWAIT, "connect", parameter=True)),
        ("def f(make=None):\n    return make()\n", None),  # not requested from pytest
        ("def f(make):\n    make = wrap(make)\n    return make()\n", None),
        ("def f(server):\n    server.client = Client()\n    return server.client\n", None),
        # Patches: of a setting, the value stays; of anything else it may be replaced.
        (
            "def f(monkeypatch):\n    monkeypatch.setattr(app, 'TIMEOUT', 0)\n    return Client()\n",
            Value(CALL, "Client"),
        ),
        ("def f():\n    with patch('app.client.RETRIES', 0):\n        return Client()\n", Value(CALL, "Client")),
        ("def f():\n    with patch.dict(os.environ, {}):\n        return Client()\n", Value(CALL, "Client")),
        ("def f():\n    with patch.object(Client, 'connect'):\n        return Client()\n", None),
        ("def f():\n    with patch('app.Client'):\n        return make()\n", None),
        ("def f():\n    p = patch\n    with p('app.TIMEOUT'):\n        return Client()\n", None),
        ("def f():\n    c = Client()\n    c = Other()\n    return c\n", None),
        (
            "def f():\n    def inner():\n        return Client()\n    return inner\n",
            Value(CALL, "Client", factory="sync", line=2),
        ),
        ("def f() -> Callable[..., Client]:\n    return g\n", Value(INSTANCE, "Client", factory="sync", line=1)),
        ("def f():\n    while True:\n        return Client()\n", None),
        ("def f():\n    try:\n        return Client()\n    except OSError:\n        raise\n", Value(CALL, "Client")),
        ("def f(flag):\n    if (c := flag):\n        return Client()\n    return Client()\n", None),
        # Mocks made here: what is set on them, however deep; patching around them changes nothing of a mock.
        ("def f():\n    return AsyncMock()\n", Value(CALL, "AsyncMock")),
        (
            "def f():\n    return AsyncMock(spec=Client)\n",
            Value(CALL, "AsyncMock", spec=True, arguments=(), keyword_names=("spec",), keyword_values=(None,)),
        ),
        ("def f(config):\n    return AsyncMock(**config)\n", Value(CALL, "AsyncMock", spec=True)),
        (
            "def f():\n    m = MagicMock(return_value=AsyncMock())\n    m.return_value.get.return_value.ok = 1\n"
            "    return m\n",
            Value(
                CALL,
                "MagicMock",
                arguments=(),
                keyword_names=("return_value",),
                keyword_values=(Value(CALL, "AsyncMock"),),
                mocked=True,
                attribute_names=("return_value.get.return_value.ok",),
                attribute_values=(None,),
            ),
        ),
        (
            "def f(monkeypatch):\n    m = AsyncMock()\n    monkeypatch.setattr('app.client.Client', m)\n    return m\n",
            Value(CALL, "AsyncMock"),
        ),
        ("def f():\n    with patch('app.Client'):\n        m = AsyncMock(return_value=Client())\n    return m\n", None),
        ("def f():\n    m = AsyncMock()\n    m.calls[0] = 1\n    return m\n", None),
        ("def f():\n    c = Client()\n    c.pool.size = 1\n    return c\n", None),
    ],
)
def test_what_the_shape_records(source: str, value: Value | None) -> None:
    shape = read_shape(source, "m.py")
    assert shape is not None
    function = shape.names["f"].function
    assert function is not None
    assert function.value == value


def test_methods_record_the_class_they_are_called_through() -> None:
    shape = read_shape(CLIENT, "client.py")
    assert shape is not None
    client = shape.names["Client"].klass
    assert client is not None
    values = {name: member.value for name, member in client.members.items() if member is not None}
    assert values["connect"] == values["open"] == values["with_url"] == Value(SELF)
    assert values["build"] == Value(INSTANCE, "Client")
    assert values["get"] == Value(ATTRIBUTE, "key", parameter=True)  # its parameter: the caller's


# -- tuples ----------------------------------------------------------------------------------------------------


def test_tuples_a_fixture_hands_out_are_unpacked_element_by_element(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from collections.abc import AsyncIterator\nfrom typing import Any, Tuple\n\n"
        "from shop.client import Client, Other\n\n\n"
        "@pytest_asyncio.fixture\nasync def pair():\n"
        "    async with Client() as client:\n        yield client, Other()\n\n\n"
        "@pytest.fixture\ndef returned():\n    return Client(), make()\n\n\n"
        "@pytest.fixture\ndef annotated() -> tuple[Client, Any]:\n    return make()\n\n\n"
        "@pytest_asyncio.fixture\nasync def wrapped() -> AsyncIterator[Tuple[Other, Client]]:\n    yield make()\n\n\n"
        "@pytest_asyncio.fixture\nasync def nested():\n"
        "    client = await Client.connect()\n    yield client, (Other(), Client())\n\n\n"
        "def make():\n    return object()\n"
    )
    test = (
        HEAD + "\n"
        "@pytest.mark.asyncio\nasync def test_pairs(pair, returned, annotated, wrapped, nested):\n"
        "    client, other = pair\n"
        '    client.get("k")  # expect: AIO201\n'
        '    other.get("k")\n'
        "    made, unknown = returned\n"
        '    made.get("k")  # expect: AIO201\n'
        '    unknown.get("k")\n'
        "    first, anything = annotated\n"
        '    first.get("k")  # expect: AIO201\n'
        '    anything.get("k")\n'
        "    [plain, second] = wrapped\n"
        '    second.get("k")  # expect: AIO201\n'
        "    outer, (inner_other, inner) = nested\n"
        '    outer.get("k")  # expect: AIO201\n'
        '    inner.get("k")  # expect: AIO201\n'
        '    inner_other.get("k")\n'
        "    indexed = pair[0]\n"
        '    indexed.get("k")  # expect: AIO201\n'
        "    from_the_end = wrapped[-1]\n"
        '    from_the_end.get("k")  # expect: AIO201\n'
        "    out_of_range = wrapped[2]\n"
        '    out_of_range.get("k")\n'
        "    await client.close()\n"
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_pairs.py": test})


def test_tuples_a_helper_returns(tmp_path: Path) -> None:
    helpers = (
        "from shop.client import Client, Other\n\n\n"
        "def make_pair():\n    return Client(), Other()\n\n\n"
        "async def open_pair():\n    client = await Client.connect()\n    return client, make_pair()\n\n\n"
        "def annotated_pair() -> 'tuple[Client, Client]':\n    return build_somehow()\n\n\n"
        "def build_somehow():\n    return object()\n"
    )
    test = (
        HEAD + "from shop.client import Client\nfrom tests.helpers import annotated_pair, make_pair, open_pair\n\n\n"
        "@pytest.mark.asyncio\nasync def test_helpers():\n"
        "    client, other = make_pair()\n"
        '    client.get("k")  # expect: AIO201\n'
        '    other.get("k")\n'
        "    connected, (made, made_other) = await open_pair()\n"
        '    connected.get("k")  # expect: AIO201\n'
        '    made.get("k")  # expect: AIO201\n'
        "    left, right = annotated_pair()\n"
        '    right.get("k")  # expect: AIO201\n'
        "    written, helped = Client(), make_pair()\n"
        '    written.get("k")  # expect: AIO201\n'
        "    never_awaited, _ = open_pair()  # expect: AIO202\n"
        '    never_awaited.get("k")\n'
    )
    check(tmp_path, {"tests/helpers.py": helpers, "tests/test_helpers.py": test})


def test_tuples_stay_silent_when_anything_is_uncertain(tmp_path: Path) -> None:
    conftest = (
        HEAD + "from shop.client import Client, Other\n\n\n"
        "@pytest_asyncio.fixture\nasync def disagreeing(request):\n"
        "    if request.param:\n        yield Client(), Client()\n    else:\n        yield Client(), Other()\n\n\n"
        "@pytest.fixture\ndef lengths(request):\n"
        "    if request.param:\n        return Client(), Client()\n    return Client(), Client(), Client()\n\n\n"
        "@pytest.fixture\ndef with_none():\n    return None, Client()\n\n\n"
        "@pytest.fixture\ndef maybe(request):\n"
        "    if request.param:\n        return None\n    return Client(), Client()\n\n\n"
        "@pytest.fixture\ndef starred(items):\n    return (*items, Client())\n\n\n"
        "@pytest.fixture\ndef any_length() -> tuple[Client, ...]:\n    return (Client(),)\n"
    )
    test = (
        HEAD + "from shop.client import Client\n\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_silent(disagreeing, lengths, with_none, maybe, starred, any_length):\n"
        "    agreed, either = disagreeing\n"
        '    agreed.get("k")  # expect: AIO201\n'
        '    either.get("k")\n'
        "    two, of_three = lengths\n"
        '    two.get("k")\n'
        "    nothing, something = with_none\n"
        '    something.get("k")  # expect: AIO201\n'
        "    perhaps, too = maybe\n"
        '    perhaps.get("k")\n'
        "    front, *rest = with_none\n"
        '    front.get("k")\n'
        "    one, two_of_two, three = with_none\n"
        '    three.get("k")\n'
        "    unknown_length, last = starred\n"
        '    last.get("k")\n'
        "    (only,) = any_length\n"
        '    only.get("k")\n'
        "    rebound, kept = with_none\n"
        "    rebound = Client()\n"
        '    rebound.get("k")\n'
        "    twice, again = with_none\n"
        "    again, twice = with_none\n"
        '    again.get("k")\n'
        "    same = other_name = with_none\n"
        "    target, other_name.attribute = with_none\n"
        '    target.get("k")\n'
        "    for looped, pair_item in [with_none]:\n"
        '        pair_item.get("k")\n'
    )
    check(tmp_path, {"tests/conftest.py": conftest, "tests/test_silent.py": test})


def test_tuples_of_a_patched_class_stay_silent(tmp_path: Path) -> None:
    helpers = "from shop.client import Client, Other\n\n\ndef make_pair():\n    return Client(), Other()\n"
    test = (
        HEAD + "from unittest import mock\n\nfrom tests.helpers import make_pair\n\n\n"
        "@pytest.mark.asyncio\nasync def test_patched():\n"
        '    with mock.patch("tests.helpers.Client"):\n'
        "        client, other = make_pair()\n"
        '        client.get("k")\n'
    )
    check(tmp_path, {"tests/helpers.py": helpers, "tests/test_patched.py": test})


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (
            "def f():\n    return Client(), make()\n",
            Value(ITEMS, elements=(Value(CALL, "Client"), Value(CALL, "make"))),
        ),
        (
            "def f() -> tuple[Client, Any]:\n    return g()\n",
            Value(ITEMS, elements=(Value(INSTANCE, "Client"), None)),
        ),
        ("def f() -> Tuple[Client, ...]:\n    return g()\n", None),
        (
            "def f() -> tuple[Any, Optional[Client]]:\n    return g()\n",
            Value(ITEMS, elements=(None, Value(INSTANCE, "Client"))),
        ),
        ("def f() -> tuple[Any, Union[Client, Server]]:\n    return g()\n", None),
        (
            "def f(flag):\n    if flag:\n        return Client(), one()\n    return Client(), two()\n",
            Value(ITEMS, elements=(Value(CALL, "Client"), None)),
        ),
        ("def f(flag):\n    if flag:\n        return Client(), one()\n    return Client(), one(), two()\n", None),
        ("def f(flag):\n    if flag:\n        return None\n    return Client(), one()\n", None),
        ("def f(flag):\n    if flag:\n        return Client()\n    return Client(), one()\n", None),
        ("def f():\n    return None, None\n", None),
        ("def f(items):\n    return (*items, Client())\n", None),
        (
            "def f():\n    pair = Client(), (Other(), None)\n    return pair\n",
            Value(ITEMS, elements=(Value(CALL, "Client"), Value(ITEMS, elements=(Value(CALL, "Other"), None)))),
        ),
        (
            "def f() -> Callable[..., tuple[Client, Other]]:\n    return g\n",
            Value(ITEMS, factory="sync", line=1, elements=(Value(INSTANCE, "Client"), Value(INSTANCE, "Other"))),
        ),
    ],
)
def test_what_the_shape_records_of_tuples(source: str, value: Value | None) -> None:
    shape = read_shape(source, "m.py")
    assert shape is not None
    function = shape.names["f"].function
    assert function is not None
    assert function.value == value


def test_a_yielded_tuple_survives_the_library_index_encoding() -> None:
    """`Value.elements` holds values: the library index reads that type inside itself."""
    source = (
        "import pytest\n\n\n@pytest.fixture\nasync def pair() -> AsyncIterator[tuple[Client, Other]]:\n    yield g()\n"
    )
    shape = read_shape(source, "m.py")
    assert shape is not None
    assert _Decoder(schema()).module(encode(shape)) == shape


def test_attributes_a_fixture_sets_replace_the_declared_ones(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n",
            "app.py": (
                "class Ledger:\n    async def record(self):\n        pass\n\n"
                "class SyncLedger(Ledger):\n    def record(self):\n        pass\n\n"
                "class Book:\n    ledger: Ledger\n    spare: Ledger\n    other: Ledger\n"
            ),
            "test_app.py": (
                "from unittest import mock\nimport pytest\nfrom app import Book, Ledger, SyncLedger\n\n"
                "@pytest.fixture\ndef book() -> Book:\n    book = Book()\n    book.ledger = SyncLedger()\n"
                "    book.spare = mock.MagicMock()\n    if flag():\n        book.other = Ledger()\n    return book\n\n"
                "@pytest.fixture\ndef plain():\n    book = Book()\n    book.ledger = Ledger()\n    return book\n\n"
                "def test_book(book, plain):\n    book.ledger.record()\n    book.spare.record()\n"
                "    book.other.record()\n    plain.ledger.record()\n"
            ),
        },
    )
    result = run([tmp_path], cwd=tmp_path, select=["AIO203"])
    # Replaced by a sync subclass, a mock, or set on one path only: not judged. Set to a `Ledger`: judged.
    assert [(Path(found.path).name, found.line) for found in result.diagnostics] == [("test_app.py", 24)]


def member_values(source: str, class_name: str) -> dict[str, Value | None]:
    """What each method of a class in `source` hands out, as its shape records it."""
    shape = read_shape(source, "m.py")
    assert shape is not None
    cls = shape.names[class_name].klass
    assert cls is not None
    return {name: member.value for name, member in cls.members.items() if member is not None}


def test_a_union_alias_leaves_the_value_to_the_statements() -> None:
    source = (
        "from typing import Any, Awaitable, Union\n\n"
        "ResponseT = Union[Awaitable, Any]\n"
        "Maybe = int | None\n\n\n"
        "class Commands:\n"
        "    def client_id(self) -> ResponseT:\n        return self.execute_command('CLIENT ID')\n\n"
        "    def count(self) -> Maybe:\n        return self.execute_command('COUNT')\n\n"
        "    def named(self) -> Client:\n        return self.execute_command('NAME')\n"
    )
    values = member_values(source, "Commands")
    assert values["client_id"] == values["count"] == Value(CALL, "execute_command", on_self=True)
    assert values["named"] == Value(INSTANCE, "Client")  # a class: the annotation decides


def test_the_last_unconditional_binding_of_a_name_is_what_importers_see() -> None:
    source = (
        "class Base:\n    pass\n\n\n"
        "Alias = Base\n\n\n"
        "class Alias(Base):\n    async def run(self):\n        pass\n\n\n"
        "try:\n    from fast import Other\nexcept ImportError:\n    Other = None\n"
    )
    shape = read_shape(source, "m.py")
    assert shape is not None
    assert shape.names["Alias"].klass is not None and shape.names["Alias"].klass.name == "Alias"
    assert shape.names["Other"].klass is None and shape.names["Other"].imported is None  # either may hold


def test_a_method_typed_to_return_its_receiver_hands_out_the_receiver() -> None:
    source = (
        "from typing import TypeVar\n\n_T = TypeVar('_T', bound='Client')\n\n\n"
        "class Client:\n"
        "    async def initialize(self: _T) -> _T:\n        await self.connect()\n        return self\n\n"
        "    async def __aenter__(self: _T) -> _T:\n        return await self.initialize()\n\n"
        "    @classmethod\n    def create(cls: type[_T]) -> _T:\n        return make(cls)\n\n"
        "    def other(self: _T, peer: _T) -> Other:\n        return Other()\n"
    )
    values = member_values(source, "Client")
    assert values["initialize"] == values["__aenter__"] == values["create"] == Value(SELF)
    assert values["other"] == Value(INSTANCE, "Other")
    shape = read_shape(source, "m.py")
    client = shape.names["Client"].klass if shape is not None else None
    assert client is not None and client.enter_returns_self  # `async with Client() as client` binds the client


# -- attributes a method other than a setup method stores ------------------------------------------------------

GATEWAY = """\
from typing import Awaitable, Coroutine, Any
import asyncio


class Gateway:
    ready: Awaitable[Ledger]
    task: "asyncio.Task[Channel]"
    pending: Coroutine[Any, Any, Channel]
    maybe: Awaitable[Ledger | None]

    def __init__(self, ready):
        self.ready = ready
        self.backup = None

    async def start(self, spare):
        self.channel = await Channel.open()
        self.ledger = await self.ready
        self.wallet = Wallet(self.ledger)
        self.backup = Channel()
        self.spare = spare
        self.route = Channel() if spare else None
        self.lock: asyncio.Lock = asyncio.Lock()
        self.locked = self.lock.acquire()

    def patched(self):
        with patch("app.Channel"):
            self.patched_channel = Channel()
"""


def test_what_a_class_records_of_attributes_set_outside_setup_methods() -> None:
    shape = read_shape(GATEWAY, "gateway.py")
    assert shape is not None
    gateway = shape.names["Gateway"].klass
    assert gateway is not None
    assert dict(gateway.attribute_values) == {
        "channel": Value(AWAIT, "Channel.open"),
        "ledger": Value(AWAITED, "ready", on_self=True),
        # The argument is an attribute this very method sets: not what the class declares, so not known here.
        "wallet": Value(CALL, "Wallet", arguments=(None,)),
        # Also set to None, which has no methods: where a method of it is called, it holds the channel.
        "backup": Value(CALL, "Channel"),
    }
    # `spare` is assigned from a parameter, `route` to one of two values, `lock` with an
    # annotation (a declaration only setup methods make), `locked` from an attribute the method itself sets,
    # `patched_channel` under a patch: none is known.
    # `maybe: Awaitable[Ledger | None]`: what awaiting it gives is a Ledger wherever a method of it is called.
    assert dict(gateway.awaited_types) == {
        "ready": "Ledger",
        "task": "Channel",
        "pending": "Channel",
        "maybe": "Ledger",
    }
    assert _Decoder(schema()).module(encode(shape)) == shape


def test_an_attribute_a_start_method_stores_is_followed(tmp_path: Path) -> None:
    classes = (
        "\n\nclass Ledger:\n    async def record(self): ...\n\n\nclass Channel:\n    async def send(self): ...\n\n"
        "    @classmethod\n    async def open(cls) -> 'Channel':\n        return cls()\n\n\nclass Wallet:\n"
        "    def __init__(self, ledger: Ledger):\n        self.ledger = ledger\n"
    )
    check(
        tmp_path,
        {
            "src/shop/gateway.py": GATEWAY.replace("Ledger | None", "Ledger") + classes,
            "tests/test_gateway.py": HEAD + "from shop.gateway import Gateway\n\n\n"
            "@pytest.mark.asyncio\n"
            "async def test_started(gateway: Gateway):\n"
            "    gateway.channel.send()  # expect: AIO201\n"
            "    gateway.ledger.record()  # expect: AIO201\n"
            "    gateway.wallet.ledger.record()  # expect: AIO201\n"
            "    gateway.backup.send()  # expect: AIO201\n"
            "    gateway.spare.send()\n"
            "    gateway.route.send()\n"
            "    gateway.patched_channel.send()\n",
        },
    )


def test_a_nested_callback_gets_the_classes_its_consumer_declares(tmp_path: Path) -> None:
    consumer = (
        "from typing import Any, Callable, Optional\n\nfrom shop.client import Client\n\n\n"
        "class Subscription:\n"
        "    async def listen(\n"
        "        self, on_client: Callable[[Client, int], Any], *, error: Optional[Callable[[Client], Any]] = None\n"
        "    ):\n"
        "        pass\n\n\n"
        "def anything(callback):\n    pass\n"
    )
    test = (
        HEAD + "from tests.consumer import Subscription, anything\n\n\n"
        "@pytest.mark.asyncio\nasync def test_callbacks():\n"
        "    subscription = Subscription()\n\n"
        "    async def on_client(client, count):\n"
        '        client.get("a")  # expect: AIO201\n'
        "        count.bit_length()\n\n"
        "    def on_error(client):\n"
        '        client.get("b")  # expect: AIO203\n\n'
        "    await subscription.listen(on_client, error=on_error)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_callbacks_used_otherwise(other):\n"
        "    subscription = Subscription()\n\n"
        "    async def called_too(client, count):\n"
        "        # Also called directly, with whatever `other` is.\n"
        '        client.get("c")\n\n'
        "    async def handed_elsewhere(client, count):\n"
        '        client.get("d")\n\n'
        "    await subscription.listen(called_too)\n"
        "    await called_too(other, 1)\n"
        "    await subscription.listen(handed_elsewhere)\n"
        "    anything(handed_elsewhere)\n"
    )
    check(tmp_path, {"tests/consumer.py": consumer, "tests/test_callbacks.py": test})


def test_an_attribute_made_by_a_method_of_a_typed_parameter(tmp_path: Path) -> None:
    app = (
        "import json\n\nfrom shop.client import Client\n\n\n"
        "class Config:\n    def make_client(self) -> Client:\n        return Client()\n\n\n"
        "class App:\n"
        "    def __init__(self, config: Config, json):\n"
        "        self.client = config.make_client()\n"
        "        # The parameter, not the module: what `loads` gives is not known.\n"
        "        self.decoded = json.loads('{}')\n"
    )
    test = (
        HEAD + "from tests.app import App, Config\n\n\n"
        "@pytest.mark.asyncio\nasync def test_app(decoder):\n"
        "    app = App(Config(), decoder)\n"
        '    app.client.get("a")  # expect: AIO201\n'
        '    app.decoded.get("a")\n'
    )
    check(tmp_path, {"tests/app.py": app, "tests/test_app.py": test})


def test_what_a_generic_class_and_its_aliases_record() -> None:
    """A `Generic[...]` base names the type parameters; a module-level subscript of a class is an alias with
    its type arguments, which survives the library index encoding; unions stay aliases of nothing."""
    source = (
        "from typing import Generic, Optional, TypeVar\n\n"
        "_T = TypeVar('_T')\n\n\n"
        "class Response:\n    pass\n\n\n"
        "class Context(Generic[_T]):\n    async def __aenter__(self) -> _T:\n        ...\n\n\n"
        "ResponseContext = Context[Response]\n"
        "MaybeResponse = Optional[Response]\n"
        "Untyped = Context[int, str]\n"
    )
    shape = read_shape(source, "m.py")
    assert shape is not None
    context = shape.names["Context"].klass
    assert context is not None and context.type_parameters == ("_T",)
    assert shape.names["ResponseContext"].generic == Value(
        INSTANCE, "Context", type_arguments=(Value(INSTANCE, "Response"),)
    )
    assert shape.names["MaybeResponse"].generic is None
    assert _Decoder(schema()).module(encode(shape)) == shape
