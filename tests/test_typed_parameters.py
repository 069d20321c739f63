"""A coroutine passed where a function's parameter asks for a class a coroutine object never is: which annotations
say so (`values.parameter_class`), which parameter an argument lands on (`shapes.TypedParameter`), and which
classes exclude a coroutine (`CoroutineIndex.excludes_coroutines`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asynclint.model.coroutines import CoroutineIndex, ShapeCache
from asynclint.model.shapes import TypedParameter, read_shape
from asynclint.model.values import parameter_class
from tests.helpers import run, write_project


@pytest.mark.parametrize(
    ("annotation", "written"),
    [
        ("Order", "Order"),
        ("models.Order", "models.Order"),
        ("'Order'", "Order"),
        ("Optional[Order]", "Order"),
        ("typing.Optional[Order]", "Order"),
        ("Order | None", "Order"),
        ("None | Order", "Order"),
        ("Union[Order, None]", "Order"),
        ("'Order | None'", "Order"),
        ("list[int]", "list"),
        ("Pool[Connection]", "Pool"),
        # A coroutine object may be what these ask for, or they name several classes.
        ("Any", None),
        ("object", None),
        ("Awaitable[Order]", None),
        ("Coroutine[Any, Any, Order]", None),
        ("Callable[[], Order]", None),
        ("Hashable", None),
        ("Order | Receipt", None),
        ("Union[Order, Receipt, None]", None),
        ("Optional[Awaitable[Order]]", None),
        ("'not valid ('", None),
        ("None", None),
    ],
)
def test_which_annotations_ask_for_one_class(annotation: str, written: str | None) -> None:
    assert parameter_class(ast.parse(annotation, mode="eval").body) == written


def test_positions_of_typed_parameters() -> None:
    shape = read_shape(
        "class Printer:\n"
        "    def print_order(self, order: Order, copies, note: str = '', *, lines: list[str]): ...\n"
        "    @staticmethod\n"
        "    def header(order: Order): ...\n"
        "    @property\n"
        "    def order(self) -> Order: ...\n"
        "def archive(first, order: Order, /, *rest: Order, when: 'datetime'): ...\n"
        "@unknown\n"
        "def changed(order: Order): ...\n",
        "printer.py",
    )
    assert shape is not None
    printer = shape.names["Printer"].klass
    assert printer is not None
    method = printer.members["print_order"]
    assert method is not None and method.parameters == (
        TypedParameter("order", 0, "Order"),
        TypedParameter("note", 2, "str"),
        TypedParameter("lines", None, "list"),
    )
    static = printer.members["header"]
    assert static is not None and static.parameters == (TypedParameter("order", 0, "Order"),)
    prop = printer.members["order"]
    assert prop is not None and prop.parameters == ()
    archive = shape.names["archive"].function
    # Positional-only: no keyword reaches it; `*rest` is not one parameter.
    assert archive is not None and archive.parameters == (
        TypedParameter("", 1, "Order"),
        TypedParameter("when", None, "datetime"),
    )
    changed = shape.names["changed"].function
    assert changed is not None and changed.parameters == ()  # a decorator may change the signature


def test_classes_that_exclude_a_coroutine(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "models.py": (
                "import enum\nimport pathlib\nfrom typing import Protocol, List, Awaitable, TypeVar\n"
                "from collections.abc import Sequence, Hashable\n"
                "from somewhere_else import Remote\nfrom .base import *\n\n"
                "T = TypeVar('T')\n\n"
                "class Base:\n    pass\n\n"
                "class Order(Base):\n    pass\n\n"
                "class Color(enum.Enum):\n    RED = 1\n\n"
                "class Closable(Protocol):\n    def close(self) -> None: ...\n\n"
                "class Lazy:\n    def __await__(self):\n        yield\n\n"
                "class LazyChild(Lazy):\n    pass\n\n"
                "class FromRemote(Remote):\n    pass\n\n"
                "class Waiting(Awaitable[int]):\n    pass\n"
            ),
            "plain.py": "class Order:\n    pass\n",
        },
    )
    index = CoroutineIndex((str(tmp_path),), (), ShapeCache(None))
    models = index.module("models")
    plain = index.module("plain")
    assert models is not None and plain is not None
    excluded = {
        name: index.excludes_coroutines(plain, name) for name in ("Order", "int", "list", "dict", "Missing", "object")
    }
    assert excluded == {"Order": True, "int": True, "list": True, "dict": True, "Missing": False, "object": False}
    # `models` has a star import: a builtin's name may be bound to anything there.
    assert not index.excludes_coroutines(models, "int")
    for name in ("Order", "Color", "pathlib.Path", "List", "Sequence"):
        assert index.excludes_coroutines(models, name), name
    for name in ("Closable", "Lazy", "LazyChild", "FromRemote", "Waiting", "T", "Hashable", "Remote", "Awaitable"):
        assert not index.excludes_coroutines(models, name), name


def test_a_coroutine_passed_across_modules(tmp_path: Path) -> None:
    """The callee's module is where its annotation is read: the test module need not import the class."""
    write_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n",
            "app/__init__.py": "",
            "app/models.py": "class Block:\n    pass\n",
            "app/store.py": (
                "from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from app.models import Block\n\n"
                "class Store:\n    def add(self, block: Block, *, tag: str = '') -> None: ...\n\n"
                "    def add_any(self, *blocks) -> None: ...\n\n"
                "async def load() -> Block: ...\n"
            ),
            "tests/test_store.py": (
                "from app.store import Store, load\n\n"
                "async def test_add():\n"
                "    store = Store()\n"
                "    block = load()\n"
                "    store.add(block)\n"
                "    store.add(await load(), tag=load())\n"
                "    store.add_any(load())\n"
                "    store.add(*[load()])\n"
            ),
        },
    )
    result = run([tmp_path / "tests"], cwd=tmp_path, select=["AIO2"])
    lines = sorted((finding.line, finding.code) for finding in result.diagnostics)
    assert lines == [(5, "AIO202"), (7, "AIO202")]
    message = next(finding.message for finding in result.diagnostics if finding.line == 5)
    assert "`Store.add`, whose parameter `block` is typed `Block`" in message
