"""The coroutine index: module shapes, name resolution through imports and classes, and the shape cache."""

from __future__ import annotations

import os
from pathlib import Path

from asynclint.api import RunResult
from asynclint.model.coroutines import (
    CoroutineFunction,
    CoroutineIndex,
    Instance,
    KnownClass,
    ShapeCache,
    absolute_name,
)
from asynclint.model.shapes import read_shape
from tests.helpers import run, write_project


def index_for(root: Path, site: Path | None = None, cache: ShapeCache | None = None) -> CoroutineIndex:
    return CoroutineIndex((str(root),), (str(site),) if site else (), cache or ShapeCache(None))


def test_function_kinds() -> None:
    shape = read_shape(
        "import functools\n\n"
        "async def plain(): pass\n"
        "async def agen():\n    yield 1\n"
        "def sync(): pass\n"
        "@functools.lru_cache\nasync def wrapped(): pass\n"
        "@staticmethod\nasync def kept(): pass\n"
        "twice = 1\ntwice = 2\n",
        "m.py",
    )
    assert shape is not None
    kinds = {name: b.function.kind for name, b in shape.names.items() if b.function is not None}
    assert kinds == {"plain": "async", "agen": "asyncgen", "sync": "sync", "wrapped": "unknown", "kept": "async"}
    assert shape.names["plain"].function is not None and shape.names["plain"].function.line == 3
    assert shape.names["twice"].opaque


def test_unparsable_source_has_no_shape() -> None:
    assert read_shape("def broken(:\n", "m.py") is None


def test_relative_imports_and_reexports(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app/__init__.py": "from .api import fetch\nfrom .sub import *\n",
            "app/api.py": "async def fetch():\n    pass\n",
            "app/sub/__init__.py": "from ..base import Client as Client\n",
            "app/base.py": "class Client:\n    async def get(self):\n        pass\n    def url(self):\n        pass\n",
        },
    )
    index = index_for(tmp_path)
    fetch = index.resolve("app.fetch")
    assert isinstance(fetch, CoroutineFunction) and fetch.where == "app/api.py:1"
    client = index.resolve("app.Client")
    assert isinstance(client, KnownClass)
    assert isinstance(index.method(client, "get"), CoroutineFunction)
    assert index.method(client, "url") is None
    assert absolute_name("app.sub", True, "..base.Client") == "app.base.Client"
    assert absolute_name("app.api", False, ".base") == "app.base"


def test_methods_through_bases(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "lib.py": (
                "import abc\nfrom elsewhere import Unknown\n\n"
                "class Base:\n    async def ping(self):\n        pass\n\n"
                "class Child(Base):\n    pass\n\n"
                "class SyncOverride(Base):\n    def ping(self):\n        pass\n\n"
                "class Mixed(Unknown, Base):\n    pass\n\n"
                "class Meta(Base, metaclass=Registry):\n    pass\n\n"
                "class Abstract(Base, metaclass=abc.ABCMeta):\n    pass\n"
            ),
        },
    )
    index = index_for(tmp_path)

    def ping(name: str) -> CoroutineFunction | None:
        cls = index.resolve(f"lib.{name}")
        assert isinstance(cls, KnownClass)
        return index.method(cls, "ping")

    assert ping("Child") is not None and ping("Abstract") is not None
    assert ping("SyncOverride") is None
    assert ping("Mixed") is None  # a base asynclint cannot read comes first
    assert ping("Meta") is None  # a custom metaclass may rewrite methods


def test_instances_and_module_getattr(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "svc.py": "class Svc:\n    async def run(self):\n        pass\n\nsvc = Svc()\n",
            "lazy.py": "def __getattr__(name):\n    return None\n",
        },
    )
    index = index_for(tmp_path)
    assert isinstance(index.resolve("svc.svc"), Instance)
    assert isinstance(index.resolve("svc.svc.run"), CoroutineFunction)
    assert index.resolve("lazy.anything") is None


def test_standard_library_table() -> None:
    index = index_for(Path("/nonexistent"))
    assert isinstance(index.resolve("asyncio.sleep"), CoroutineFunction)
    assert index.resolve("asyncio.gather") is None  # returns a future that runs anyway
    queue = index.resolve("asyncio.Queue")
    assert isinstance(queue, KnownClass)
    assert index.method(queue, "get") is not None and index.method(queue, "get_nowait") is None


def test_installed_packages_are_cached(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_project(site, {"driver/__init__.py": "async def connect():\n    pass\n"})
    cache_dir = tmp_path / "cache"
    first = index_for(tmp_path / "project", site, ShapeCache(cache_dir))
    assert isinstance(first.resolve("driver.connect"), CoroutineFunction)
    entries = list(cache_dir.rglob("*.pickle"))
    assert len(entries) == 1

    # A new run trusts the cache while size and mtime hold: a same-size edit with the old mtime is not seen.
    source = site / "driver" / "__init__.py"
    stat = source.stat()
    original = source.read_bytes()
    edited = b"def connect():\n    pass\n"
    edited += b"#" * (len(original) - len(edited) - 1) + b"\n"
    assert len(edited) == len(original)
    source.write_bytes(edited)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = index_for(tmp_path / "project", site, ShapeCache(cache_dir))
    assert isinstance(second.resolve("driver.connect"), CoroutineFunction)

    # A changed mtime makes it read the source again.
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    third = index_for(tmp_path / "project", site, ShapeCache(cache_dir))
    assert not isinstance(third.resolve("driver.connect"), CoroutineFunction)  # a plain `def` now


def test_a_corrupt_cache_entry_is_ignored(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_project(site, {"driver.py": "async def connect():\n    pass\n"})
    cache_dir = tmp_path / "cache"
    index_for(tmp_path, site, ShapeCache(cache_dir)).resolve("driver.connect")
    for entry in cache_dir.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert isinstance(index_for(tmp_path, site, ShapeCache(cache_dir)).resolve("driver.connect"), CoroutineFunction)


ENV_PACKAGE = {
    "pyvenv.cfg": "home = /usr/bin\n",
    "lib/python3.11/site-packages/driver/__init__.py": "async def connect():\n    pass\n",
    "lib/python3.11/site-packages/driver-1.0.dist-info/METADATA": "Name: driver\nVersion: 1.0\n",
}
USES_DRIVER = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "tests/test_db.py": (
        "import driver\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_db():\n    driver.connect()\n"
    ),
}


def codes(result: RunResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_packages_of_the_project_environment(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", USES_DRIVER)
    assert codes(run([project], cwd=project, no_cache=True)) == []  # no environment: `driver` is unknown
    write_project(project / ".venv", ENV_PACKAGE)
    assert codes(run([project], cwd=project, no_cache=True)) == ["AIO201"]


def test_an_environment_named_with_python(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", USES_DRIVER)
    env = write_project(tmp_path / "envs" / "shop", ENV_PACKAGE)
    write_project(env, {"bin/python": ""})
    assert codes(run([project], cwd=project, no_cache=True, python=str(env))) == ["AIO201"]
    assert codes(run([project], cwd=project, no_cache=True, python=str(env / "bin" / "python"))) == ["AIO201"]
    write_project(project, {"pyproject.toml": '[tool.asynclint]\npython = "../envs/shop"\n'})
    assert codes(run([project], cwd=project, no_cache=True)) == ["AIO201"]


def test_a_call_known_only_as_awaited_elsewhere_is_not_called_a_coroutine(tmp_path: Path) -> None:
    """The same method awaited elsewhere says the call returns an awaitable, not that it is `async def`: a
    library may return a future that runs on its own (an executor call), so the message covers both."""
    test = (
        "import asyncio\nimport unittest\n\nfrom fakedb import Collection\n\n\n"
        "class TestCollection(unittest.IsolatedAsyncioTestCase):\n"
        "    def setUp(self):\n        self.collection = Collection()\n\n"
        "    async def test_awaited(self):\n        await self.collection.insert_one({'a': 1})\n\n"
        "    async def test_not_awaited(self):\n        self.collection.insert_one({'b': 1})\n"
        "        await asyncio.sleep(0.2)\n"
    )
    root = write_project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\npythonpath = tests\nasyncio_default_fixture_loop_scope = function\n",
            "tests/fakedb.py": "from library import Collection\n",
            "tests/test_future_api.py": test,
        },
    )
    (found,) = [d for d in run([root], cwd=root).diagnostics if d.code == "AIO201"]
    assert found.line == 15
    assert "the coroutine never runs" not in found.message
    assert "a task or future would run unobserved" in found.message
    assert "the same call is awaited on line 12 of this file" in found.message


def test_declared_attribute_classes(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "lib.py": (
                "import dataclasses\nfrom typing import Optional\n\n"
                "class Ledger:\n    async def record(self):\n        pass\n\n"
                "@dataclasses.dataclass\nclass Node:\n    ledger: Ledger\n    spare: Optional[Ledger] = None\n"
                "    name: str = 'n'\n    many: list[Ledger] = dataclasses.field(default_factory=list)\n\n"
                "class Service:\n    def __init__(self, ledger: 'Ledger', other: Ledger, count: int):\n"
                "        self.ledger = ledger\n        self.typed: Ledger = make()\n        self.count = count\n"
                "        self.other = other\n\n    def swap(self):\n        self.other = None\n\n"
                "class Child(Service):\n    pass\n"
            ),
        },
    )
    index = index_for(tmp_path)

    def attribute(owner: str, name: str) -> str | None:
        cls = index.resolve(f"lib.{owner}")
        assert isinstance(cls, KnownClass)
        found = index.attribute_class(cls, name)
        return found.dotted if found is not None else None

    assert attribute("Node", "ledger") == "lib.Ledger"  # a dataclass field
    # May be None, which has no methods: where a method of it is called, it is a Ledger.
    assert attribute("Node", "spare") == "lib.Ledger"
    assert attribute("Node", "name") is None and attribute("Node", "many") is None
    assert attribute("Service", "ledger") == "lib.Ledger"  # `self.ledger = ledger` with `ledger: 'Ledger'`
    assert attribute("Service", "typed") == "lib.Ledger"  # `self.typed: Ledger = ...`
    assert attribute("Child", "ledger") == "lib.Ledger"  # set up by a base class
    assert attribute("Service", "count") is None
    assert attribute("Service", "other") == "lib.Ledger"  # set to None elsewhere, which has no methods


def test_a_chain_the_test_assigns_is_not_resolved_by_class(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n",
            "lib.py": (
                "class Ledger:\n    async def record(self):\n        pass\n\n"
                "class Node:\n    def __init__(self, ledger: Ledger):\n        self.ledger = ledger\n"
            ),
            "test_lib.py": (
                "from unittest.mock import MagicMock\nfrom lib import Ledger, Node\n\n"
                "async def test_replaced():\n    node = Node(Ledger())\n    node.ledger = MagicMock()\n"
                "    node.ledger.record()\n\n"
                "async def test_kept():\n    node = Node(Ledger())\n    node.ledger.record()\n"
            ),
        },
    )
    result = run([tmp_path], cwd=tmp_path, select=["AIO201"])
    assert [(Path(found.path).name, found.line) for found in result.diagnostics] == [("test_lib.py", 11)]


def test_a_hook_that_parametrizes_names_it_cannot_tell_leaves_fixture_values_unknown(tmp_path: Path) -> None:
    lib = "class Ledger:\n    async def record(self):\n        pass\n"
    test = (
        "import pytest\nfrom lib import Ledger\n\n@pytest.fixture\ndef ledger():\n    return Ledger()\n\n"
        "async def test_ledger(ledger):\n    ledger.record()\n"
    )
    hooks = {
        "literal": ('metafunc.parametrize("backend", [1, 2])', [("test_lib.py", 9)]),
        "literal tuple": ('metafunc.parametrize(("backend", "size"), [(1, 2)])', [("test_lib.py", 9)]),
        "the fixture itself": ('metafunc.parametrize("ledger", [1, 2])', []),
        "computed": ("metafunc.parametrize(NAMES, [1, 2])", []),
        "handed on": ("parametrize_all(metafunc)", []),
    }
    for case, (call, expected) in hooks.items():
        project = tmp_path / case.replace(" ", "_")
        write_project(
            project,
            {
                "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n",
                "lib.py": lib,
                "conftest.py": f"def pytest_generate_tests(metafunc):\n    {call}\n",
                "test_lib.py": test,
            },
        )
        result = run([project], cwd=project, select=["AIO201"])
        assert [(Path(found.path).name, found.line) for found in result.diagnostics] == expected, case


def test_a_class_decorator_that_returns_the_class_keeps_its_methods(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "registry.py": (
                "REGISTRY = []\n\n"
                "def register(cls):\n    REGISTRY.append(cls)\n    return cls\n\n"
                "def proxy(*names):\n"
                "    def decorate(cls):\n        for name in names:\n            setattr(cls, name, None)\n"
                "        return cls\n    return decorate\n\n"
                "def replace(cls):\n    return object()\n\n"
                "def wrap(cls):\n    class Wrapped(cls):\n        pass\n    return Wrapped\n"
            ),
            "lib.py": (
                "from registry import register, proxy, replace, wrap\nfrom elsewhere import unreadable\n"
                "import registry\n\n"
                "class Base:\n    async def ping(self):\n        pass\n\n"
                "@register\nclass Direct(Base):\n    async def close(self):\n        pass\n\n"
                "@registry.proxy('add', 'ping')\nclass Factory(Base):\n    async def close(self):\n        pass\n\n"
                "@replace\nclass Replaced:\n    async def close(self):\n        pass\n\n"
                "@unreadable\nclass Unreadable:\n    async def close(self):\n        pass\n\n"
                "@wrap\nclass Wrapped:\n    async def close(self):\n        pass\n\n"
                "@register\n@replace\nclass Both:\n    async def close(self):\n        pass\n\n"
                "class Child(Direct):\n    pass\n"
            ),
        },
    )
    index = index_for(tmp_path)

    def method(name: str, method: str) -> CoroutineFunction | None:
        cls = index.resolve(f"lib.{name}")
        assert isinstance(cls, KnownClass)
        return index.method(cls, method)

    direct, factory = method("Direct", "close"), method("Factory", "close")
    assert direct is not None and direct.where == "lib.py:11"
    assert factory is not None and factory.where == "lib.py:16"
    assert method("Child", "close") is not None  # found on the decorated base
    for name in ("Replaced", "Unreadable", "Wrapped", "Both"):
        assert method(name, "close") is None, name
    # The decorator may add methods: a name not written in the body is unknown, even one a base defines.
    assert method("Direct", "ping") is None and method("Factory", "ping") is None
    assert method("Child", "ping") is None
    child = index.resolve("lib.Child")
    assert isinstance(child, KnownClass) and index.member(child, "ping") is None


def test_class_decorators_are_recorded_only_when_they_alone_make_the_class_dynamic() -> None:
    shape = read_shape(
        "@dataclass\n@register\n@proxy(1)\nclass Plain:\n    pass\n\n"
        "@register\nclass Meta(metaclass=Registry):\n    pass\n\n"
        "@dataclass\nclass Known:\n    pass\n",
        "m.py",
    )
    assert shape is not None
    classes = {name: b.klass for name, b in shape.names.items() if b.klass is not None}
    assert [(d.name, d.called) for d in classes["Plain"].decorators] == [("register", False), ("proxy", True)]
    assert classes["Plain"].dynamic and classes["Meta"].dynamic and not classes["Known"].dynamic
    assert classes["Meta"].decorators == () and classes["Known"].decorators == ()
