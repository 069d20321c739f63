"""Decorated coroutine functions: a call without `await` is reported when the decorators' own source (read, never
imported) says the function still returns something to await, and never when a decorator cannot be read, returns
something else, or decides at runtime."""

from __future__ import annotations

import asyncio
import inspect
import random
import sys
import tempfile
import textwrap
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.analysis.awaiting import Use, consequence
from asynclint.analysis.resolver import Callee
from asynclint.diagnostics import Diagnostic
from asynclint.model.coroutines import CoroutineFunction, CoroutineIndex, ShapeCache
from tests.helpers import run, write_project

CONFIG = {
    "pytest.ini": "[pytest]\npythonpath = src\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
SELECT = ["AIO201", "AIO202", "AIO203"]


def lint(root: Path, **options: object) -> list[Diagnostic]:
    return run([root], cwd=root, select=SELECT, no_cache=True, **options).diagnostics


def project(root: Path, decorators: str, decorated: str, test: str) -> Path:
    """`src/app/deco.py` holding decorators, `src/app/api.py` the decorated functions, a test calling them."""
    return write_project(
        root,
        {
            **CONFIG,
            "src/app/__init__.py": "",
            "src/app/deco.py": textwrap.dedent(decorators),
            "src/app/api.py": "from app.deco import *  # noqa: F403\n\n" + textwrap.dedent(decorated),
            "tests/test_api.py": "import pytest\n\nfrom app.api import *  # noqa: F403\n\n\n" + textwrap.dedent(test),
        },
    )


def dropped_in_test(call: str) -> str:
    return f"@pytest.mark.asyncio\nasync def test_call():\n    {call}\n"


IDENTITY = """\
REGISTRY = []


def register(f):
    REGISTRY.append(f)
    f.registered = True
    return f
"""
WRAPS = """\
import asyncio
import functools


def retry(times=3):
    def decorate(f):
        @functools.wraps(f)
        async def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return await f(*args, **kwargs)
                except ConnectionError:
                    await asyncio.sleep(0.1)
            return await f(*args, **kwargs)

        return wrapper

    return decorate


def traced(f):
    @functools.wraps(f)
    async def wrapper(*args, **kwargs):
        print("calling", f.__name__)
        result = await f(*args, **kwargs)
        return result

    return wrapper
"""
TYPED = """\
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def instrument(f: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
    return _instrumented(f)


def timed(f: "Callable[P, Awaitable[T]]") -> "Callable[P, Awaitable[T]]":
    return _timed(f)


def keep(f: F) -> F:
    return _kept(f)


def limited(calls: int) -> Callable[[F], F]:
    return _limiter(calls)
"""
LOOP_DEPENDENT = """\
import asyncio
import functools

import sniffio


def maybe_async(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(f(*args, **kwargs))
        return f(*args, **kwargs)

    return wrapper


def sniffed(f):
    def wrapper(*args, **kwargs):
        try:
            sniffio.current_async_library()
        except sniffio.AsyncLibraryNotFoundError:
            return asyncio.run(f(*args, **kwargs))
        return f(*args, **kwargs)

    return wrapper


def polled(f):
    def wrapper(*args, **kwargs):
        if asyncio._get_running_loop() is None:
            return asyncio.run(f(*args, **kwargs))
        return f(*args, **kwargs)

    return wrapper
"""


@pytest.mark.parametrize(
    ("decorators", "decorated", "message"),
    [
        (IDENTITY, "@register\nasync def work():\n    pass\n", "`@register` (app/deco.py:4) returns it unchanged"),
        (
            WRAPS,
            "@retry(times=5)\nasync def work():\n    pass\n",
            "`@retry(...)` (app/deco.py:8) returns an `async def` wrapper that awaits it",
        ),
        (WRAPS, "@traced\nasync def work():\n    pass\n", "`@traced` (app/deco.py:23)"),
        (WRAPS + IDENTITY, "@register\n@traced\n@retry()\nasync def work():\n    pass\n", "`@register`"),
        (TYPED, "@instrument\nasync def work():\n    pass\n", "annotated to return a coroutine function"),
        (TYPED, "@keep\nasync def work():\n    pass\n", "annotated to return the function it is given"),
        (TYPED, "@limited(3)\nasync def work():\n    pass\n", "`@limited(...)` (app/deco.py:21)"),
        (LOOP_DEPENDENT, "@maybe_async\nasync def work():\n    pass\n", "when called with an event loop running"),
        (LOOP_DEPENDENT, "@sniffed\nasync def work():\n    pass\n", "`@sniffed`"),
        (LOOP_DEPENDENT, "@polled\nasync def work():\n    pass\n", "`@polled`"),
    ],
)
def test_decorators_that_keep_a_coroutine_function(
    tmp_path: Path, decorators: str, decorated: str, message: str
) -> None:
    root = project(tmp_path, decorators, decorated, dropped_in_test("work()"))
    (found,) = lint(root)
    assert (found.code, found.line) == ("AIO201", 8)
    assert "`work()` is never awaited: the coroutine never runs (`work` is `async def` in app/api.py:" in found.message
    assert message in found.message


@pytest.mark.parametrize(
    ("decorators", "decorated"),
    [
        # Identity only on one path, or after changing what the function does.
        ("def maybe(f):\n    if DEBUG:\n        return f\n", "@maybe\nasync def work():\n    pass\n"),
        ("def swap(f):\n    f.__code__ = other.__code__\n    return f\n", "@swap\nasync def work():\n    pass\n"),
        ("def rebind(f):\n    f = wrap(f)\n    return f\n", "@rebind\nasync def work():\n    pass\n"),
        ("def other(f):\n    return registry\n", "@other\nasync def work():\n    pass\n"),
        # A wrapper that does not call the function, or is a generator.
        (
            "def lazy(f):\n    async def wrapper(*a):\n        return f\n    return wrapper\n",
            "@lazy\nasync def work():\n    pass\n",
        ),
        (
            "def stream(f):\n    async def wrapper(*a):\n        yield await f(*a)\n    return wrapper\n",
            "@stream\nasync def work():\n    pass\n",
        ),
        (
            "def chosen(f):\n    async def wrapper(*a):\n        return await f(*a)\n    if DEBUG:\n        return f\n"
            "    return wrapper\n",
            "@chosen\nasync def work():\n    pass\n",
        ),
        (
            "import contextlib\n\n\ndef managed(f):\n    @contextlib.contextmanager\n    async def wrapper(*a):\n"
            "        return await f(*a)\n    return wrapper\n",
            "@managed\nasync def work():\n    pass\n",
        ),
        # A factory used without its call, and a plain decorator used as a factory.
        (WRAPS, "@retry\nasync def work():\n    pass\n"),
        (WRAPS, "@traced()\nasync def work():\n    pass\n"),
        # Annotations that do not say it.
        (
            "from typing import TypeVar\nT = TypeVar('T')\n\n\ndef d(f: T) -> T:\n    return wrap(f)\n",
            "@d\nasync def work():\n    pass\n",
        ),
        (
            "from typing import Any, Callable\n\n\ndef d(f: Callable[..., Any]) -> Callable[..., Any]:\n"
            "    return wrap(f)\n",
            "@d\nasync def work():\n    pass\n",
        ),
        # A decorator under a decorator of its own (`wrapt`, `decorator`), a class, a lambda, an instance.
        ("import wrapt\n\n\n@wrapt.decorator\ndef d(f):\n    return f\n", "@d\nasync def work():\n    pass\n"),
        ("class d:\n    def __init__(self, f):\n        self.f = f\n", "@d\nasync def work():\n    pass\n"),
        ("d = lambda f: f\n", "@d\nasync def work():\n    pass\n"),
        (
            "class R:\n    def task(self, f):\n        return f\n\n\napp = R()\n",
            "@app.task\nasync def work():\n    pass\n",
        ),
        # A loop check that is not the standard library's.
        (
            "from app.loops import get_running_loop\n\n\ndef d(f):\n    def wrapper(*a):\n        try:\n"
            "            get_running_loop()\n        except RuntimeError:\n            return run(f(*a))\n"
            "        return f(*a)\n    return wrapper\n",
            "@d\nasync def work():\n    pass\n",
        ),
        # Defined twice: which one applies is decided at runtime.
        (
            "def d(f):\n    return f\n\n\nif FAST:\n    from fast import d\n",
            "@d\nasync def work():\n    pass\n",
        ),
        # A decorator that is not defined anywhere asynclint can read.
        ("from nowhere import d\n", "@d\nasync def work():\n    pass\n"),
        # Known decorators that keep it a plain function, or run it at once.
        ("import types\n", "@types.coroutine\ndef work():\n    return 1\n"),
        ("from tornado import gen\n", "@gen.coroutine\ndef work():\n    return 1\n"),
        ("from tornado import gen\n", "@gen.coroutine\nasync def work():\n    return 1\n"),
        (IDENTITY, "@register\ndef work():\n    pass\n"),
        (WRAPS, "@traced\nasync def work():\n    yield 1\n"),
    ],
)
def test_decorators_that_cannot_be_read_or_change_it_keep_it_unknown(
    tmp_path: Path, decorators: str, decorated: str
) -> None:
    root = project(tmp_path, decorators, decorated, dropped_in_test("work()"))
    assert lint(root) == []


def test_a_loop_dependent_function_is_a_coroutine_in_async_code_only(tmp_path: Path) -> None:
    test = (
        "@pytest.mark.asyncio\nasync def test_async():\n    save()\n\n\n"
        "def test_sync():\n    save()\n    assert save() is None\n"
    )
    root = project(tmp_path, LOOP_DEPENDENT, "@maybe_async\nasync def save():\n    pass\n", test)
    assert [(d.code, d.line) for d in lint(root)] == [("AIO201", 8)]


def test_wrapped_coroutines_in_sync_tests_and_as_values(tmp_path: Path) -> None:
    test = "def test_sync():\n    work()\n\n\n@pytest.mark.asyncio\nasync def test_value():\n    assert work()\n"
    root = project(tmp_path, WRAPS, "@traced\nasync def work():\n    return True\n", test)
    assert [(d.code, d.line) for d in lint(root)] == [("AIO203", 7), ("AIO202", 12)]


def test_awaitable_annotations_say_what_holds_for_any_awaitable(tmp_path: Path) -> None:
    root = project(tmp_path, TYPED, "@timed\nasync def work():\n    pass\n", dropped_in_test("work()"))
    (found,) = lint(root)
    assert "a coroutine would never run, and a task or future would run unobserved" in found.message
    assert "`@timed` (app/deco.py:13) is annotated to return a function that returns an awaitable" in found.message


def test_generator_based_coroutines(tmp_path: Path) -> None:
    decorated = """\
    import asyncio
    import types

    from tornado import gen


    @gen.coroutine
    def legacy_save():
        yield gen.sleep(0.01)


    @types.coroutine
    def legacy_wait():
        yield


    @asyncio.coroutine
    def legacy_fetch():
        yield from asyncio.sleep(0)
    """
    test = (
        "@pytest.mark.asyncio\nasync def test_legacy():\n    legacy_save()\n    legacy_wait()\n    legacy_fetch()\n"
        "    for _ in legacy_wait():\n        pass\n\n\n"
        "def test_sync():\n    legacy_save()\n    legacy_wait()\n"
    )
    root = project(tmp_path, "", decorated, test)
    found = {d.line: d.message for d in lint(root)}
    assert sorted(found) == [8, 9, 10]
    assert found[8].startswith(
        "`legacy_save()` is never awaited: it ran up to its first `yield`, and the rest runs only while the event "
        "loop keeps running (not after the test ends); the test does not wait for it and never sees its errors"
    )
    assert "`@gen.coroutine` runs it up to its first `yield` and returns a Future" in found[8]
    assert found[9].startswith("`legacy_wait()` is never awaited: the generator-based coroutine never runs")
    assert "`@types.coroutine` makes it a generator-based coroutine" in found[9]
    assert found[10].startswith(
        "`legacy_fetch()` is never awaited: on Python 3.10 and earlier the generator-based coroutine never runs; "
        "on 3.11 and later `asyncio.coroutine` does not exist, so importing the module that uses it fails"
    )


def test_a_decorator_of_an_installed_package(tmp_path: Path) -> None:
    package = {
        "pyvenv.cfg": "home = /usr/bin\n",
        "lib/python3.11/site-packages/resilience/__init__.py": "from ._retry import retry as retry\n",
        "lib/python3.11/site-packages/resilience/_retry.py": textwrap.dedent(WRAPS),
        "lib/python3.11/site-packages/resilience-1.0.dist-info/METADATA": "Name: resilience\nVersion: 1.0\n",
    }
    decorated = "import resilience\n\n\n@resilience.retry(times=2)\nasync def work():\n    pass\n"
    root = project(tmp_path / "project", "", decorated, dropped_in_test("work()"))
    assert lint(root) == []  # no environment to read the package from: unknown
    write_project(root / ".venv", package)
    (found,) = lint(root)
    assert "`@resilience.retry(...)` (resilience/_retry.py:8) returns an `async def` wrapper" in found.message


def test_what_decorators_do_is_kept_in_the_shape_cache(tmp_path: Path) -> None:
    site = write_project(tmp_path / "site", {"resilience/__init__.py": WRAPS})
    root = write_project(
        tmp_path / "project", {"api.py": "from resilience import retry\n\n\n@retry()\nasync def work():\n    pass\n"}
    )
    cache = tmp_path / "cache"
    found = []
    for _ in range(2):  # the second index reads both shapes from the cache
        index = CoroutineIndex((str(root),), (str(site),), ShapeCache(cache))
        found.append(index.resolve("api.work"))
    assert len(list(cache.rglob("*.pickle"))) == 2
    assert found[0] == found[1]
    assert isinstance(found[1], CoroutineFunction) and found[1].native
    assert found[1].how == (
        "`work` is `async def` in api.py:5, and `@retry(...)` (resilience/__init__.py:8) returns an `async def` "
        "wrapper that awaits it"
    )


def test_decorators_in_the_class_body_and_on_methods(tmp_path: Path) -> None:
    test = """\
    class Client:
        def _logged(f):
            return f

        @_logged
        async def ping(self):
            pass

        @retry(times=2)
        async def get(self):
            pass


    class TestClient:
        @pytest.mark.asyncio
        async def test_ping(self):
            client = Client()
            client.ping()
            client.get()
    """
    root = project(tmp_path, WRAPS, "", test)
    found = lint(root)
    assert [(d.code, d.line) for d in found] == [("AIO201", 23), ("AIO201", 24)]
    assert "`@_logged` (test_api.py:7) returns it unchanged" in found[0].message


def test_delegating_decorators_are_followed(tmp_path: Path) -> None:
    decorators = WRAPS + "\n\ndef logged(f):\n    return traced(f)\n\n\ndef patient():\n    return retry(times=9)\n"
    decorated = "@logged\nasync def one():\n    pass\n\n\n@patient()\nasync def two():\n    pass\n"
    root = project(tmp_path, decorators, decorated, dropped_in_test("one()\n    two()"))
    assert [(d.code, d.line) for d in lint(root)] == [("AIO201", 8), ("AIO201", 9)]


def test_a_decorator_defined_through_itself_is_unknown(tmp_path: Path) -> None:
    decorators = "def a(f):\n    return b(f)\n\n\ndef b(f):\n    return a(f)\n"
    root = project(tmp_path, decorators, "@a\nasync def work():\n    pass\n", dropped_in_test("work()"))
    assert lint(root) == []


def test_patching_a_wrapped_function_makes_an_async_mock_only_when_python_sees_a_coroutine_function(
    tmp_path: Path,
) -> None:
    """`patch` makes an `AsyncMock` for a target `inspect.iscoroutinefunction` accepts: an `async def` wrapper,
    not a function whose annotations alone say it returns a coroutine."""
    test = (
        "from unittest.mock import patch\n\n\n"
        "@pytest.mark.asyncio\nasync def test_patched():\n"
        "    with patch('app.api.wrapped') as mock:\n        mock()\n"
        "    with patch('app.api.typed') as other:\n        other()\n"
    )
    decorated = "@traced\nasync def wrapped():\n    pass\n\n\n@instrument\nasync def typed():\n    pass\n"
    root = project(tmp_path, WRAPS + TYPED, decorated, test)
    assert [(d.code, d.line) for d in lint(root)] == [("AIO201", 12)]


# -- properties ----------------------------------------------------------------------------------------------

#: Decorator definitions asynclint cannot know, in every form it might meet: none may make a call reported.
UNKNOWN_DECORATORS = [
    "from somewhere_else import {name}\n",
    "import somewhere_else\n{name} = somewhere_else.make()\n",
    "{name} = lambda f: f\n",
    "class {name}:\n    def __init__(self, f):\n        self.f = f\n",
    "def {name}(f):\n    if CONDITION:\n        return f\n    return None\n",
    "def {name}(f):\n    def wrapper(*a, **k):\n        if k:\n            return None\n        return f(*a, **k)\n"
    "    return wrapper\n",
    "def {name}(f):\n    def wrapper(*a, **k):\n        result = f(*a, **k)\n        return result\n"
    "    return wrapper\n",
    "def {name}(f):\n    return REGISTRY.setdefault(f.__name__, f)\n",
    "def {name}(f, extra):\n    return f\n",
    "def {name}(*fs):\n    return fs[0]\n",
    "def {name}(f):\n    async def wrapper():\n        pass\n    return wrapper if f else None\n",
    "import functools\n{name} = functools.lru_cache\n",
]
#: How a decorator is written above the function.
USAGES = ["@{name}", "@{name}()", "@{name}(1, key='x')", "@{name}.attr"]


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    decorators=st.lists(
        st.tuples(st.sampled_from(UNKNOWN_DECORATORS), st.sampled_from(USAGES)), min_size=1, max_size=3
    ),
    known=st.lists(st.sampled_from(["@register", "@traced", "@retry(times=2)", "@staticmethod"]), max_size=2),
    order=st.randoms(use_true_random=False),
)
def test_unknown_decorators_never_make_a_call_reported(
    decorators: list[tuple[str, str]], known: list[str], order: random.Random
) -> None:
    definitions = [template.format(name=f"unknown_{i}") for i, (template, _) in enumerate(decorators)]
    lines = [usage.format(name=f"unknown_{i}") for i, (_, usage) in enumerate(decorators)]
    lines += [line for line in known if line != "@staticmethod"]
    order.shuffle(lines)
    decorated = "\n".join(lines) + "\nasync def work():\n    pass\n"
    with tempfile.TemporaryDirectory() as folder:
        root = project(Path(folder), IDENTITY + WRAPS + "\n\n".join(definitions), decorated, dropped_in_test("work()"))
        assert lint(root) == []


#: Pieces of a decorator's body: statements before its `return`, and what it returns.
BEFORE = ["", "REGISTRY.append(f)\n", "f.tag = 1\n", "if not callable(f):\n    raise TypeError(f)\n"]
RETURNS = [
    "return f",
    "return None",
    "return wrapper",
    "return awaiting",
    "return sync_wrapper",
    "return loop_wrapper",
    "return generator_wrapper",
]
WRAPPERS = """\
async def awaiting(*a, **k):
    return await f(*a, **k)

async def wrapper(*a, **k):
    {wrapper_body}

def sync_wrapper(*a, **k):
    return f(*a, **k)

def loop_wrapper(*a, **k):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(f(*a, **k))
    return f(*a, **k)

async def generator_wrapper(*a, **k):
    yield await f(*a, **k)
"""
WRAPPER_BODIES = ["return await f(*a, **k)", "return f", "await asyncio.sleep(0)", "return await asyncio.sleep(0)"]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    before=st.sampled_from(BEFORE),
    returns=st.sampled_from(RETURNS),
    wrapper_body=st.sampled_from(WRAPPER_BODIES),
    defined=st.sets(st.sampled_from(["awaiting", "wrapper", "sync_wrapper", "loop_wrapper", "generator_wrapper"])),
)
def test_a_reported_call_returns_an_unstarted_awaitable_at_runtime(
    before: str, returns: str, wrapper_body: str, defined: set[str]
) -> None:
    """Soundness, checked by running the code: whenever asynclint reports the dropped call, calling the decorated
    function in a running event loop returns a coroutine and runs none of its body."""
    wrappers = [part for part in WRAPPERS.format(wrapper_body=wrapper_body).split("\n\n") if part.strip()]
    kept = [part for part in wrappers if part.split("(")[0].split()[-1] in defined]
    body = before + "\n".join(kept) + ("\n" if kept else "") + returns + "\n"
    decorators = "import asyncio\n\nREGISTRY = []\n\n\ndef deco(f):\n" + textwrap.indent(body, "    ")
    decorated = "ran = []\n\n\n@deco\nasync def work():\n    ran.append(1)\n"
    with tempfile.TemporaryDirectory() as folder:
        root = project(Path(folder), decorators, decorated, dropped_in_test("work()"))
        reported = [d.code for d in lint(root)] == ["AIO201"]
    namespace: dict[str, object] = {}
    try:
        exec(compile(decorators + "\n" + decorated, "<generated>", "exec"), namespace)
    except Exception:
        assert not reported  # the module does not even define `work`
        return
    work = namespace["work"]
    if not callable(work):
        assert not reported
        return

    async def call() -> tuple[bool, bool]:
        try:
            result = work()
        except Exception:
            return False, False
        coroutine = inspect.iscoroutine(result)
        if coroutine:
            result.close()
        return coroutine, bool(namespace["ran"])

    is_coroutine, body_ran = asyncio.run(call())
    if reported:
        assert is_coroutine and not body_ran


def test_asyncio_coroutine_is_gone_from_this_python() -> None:
    """The message about `@asyncio.coroutine` says it fails to import from Python 3.11."""
    if sys.version_info >= (3, 11):
        assert not hasattr(asyncio, "coroutine")
    assert isinstance(types.coroutine, types.FunctionType)


@pytest.mark.parametrize(
    "decorators",
    [
        "def sync(f):\n    def wrapper(*a):\n        return f(*a)\n    return wrapper\n",
        # Arguments reshaped first (`params=`), as API clients' decorators do.
        "import functools\n\n\ndef d(f):\n    @functools.wraps(f)\n    def wrapper(*a, **kw):\n"
        "        params = kw.pop('params', {})\n        return f(*a, params=params, **kw)\n    return wrapper\n",
        # A loop check whose outcome changes nothing: the coroutine is returned either way.
        "import asyncio\n\n\ndef d(f):\n    def wrapper(*a):\n        try:\n"
        "            asyncio.get_running_loop()\n        except RuntimeError:\n            pass\n"
        "        return f(*a)\n    return wrapper\n",
    ],
)
def test_a_sync_wrapper_returning_the_call_hands_back_the_coroutine(tmp_path: Path, decorators: str) -> None:
    name = decorators.split("def ", 1)[1].split("(", 1)[0]
    root = project(tmp_path, decorators, f"@{name}\nasync def work():\n    pass\n", dropped_in_test("work()"))
    found = lint(root)
    assert [d.code for d in found] == ["AIO201"]
    assert "returns a wrapper that returns its call" in found[0].message


def test_a_sync_wrapper_that_may_return_something_else_keeps_it_unknown(tmp_path: Path) -> None:
    decorators = (
        "def d(f):\n    def wrapper(*a):\n        if a:\n            return None\n        return f(*a)\n"
        "    return wrapper\n"
    )
    root = project(tmp_path, decorators, "@d\nasync def work():\n    pass\n", dropped_in_test("work()"))
    assert lint(root) == []


def test_every_use_has_a_consequence_for_every_kind_of_callee() -> None:
    """A message exists for each way a value is used, whatever the call returns (a missing one would be an
    internal error on the first such finding)."""
    for returns in ("coroutine", "awaitable", "future", "generator"):
        callee = Callee("f", "how", returns=returns)
        for use in Use:
            consequence(callee, use)  # raises KeyError when missing


def test_prefects_sync_compatible_is_a_coroutine_in_async_code_unless_the_caller_chooses(tmp_path: Path) -> None:
    """Prefect's `@sync_compatible` decides through run contexts and settings as well as a loop check, more than
    the source reader follows: it is known by name. `_sync=True` makes the call run at once."""
    package = {
        "pyvenv.cfg": "home = /usr/bin\n",
        "lib/python3.11/site-packages/prefect/__init__.py": "",
        "lib/python3.11/site-packages/prefect/utilities/__init__.py": "",
        "lib/python3.11/site-packages/prefect/utilities/asyncutils.py": textwrap.dedent(
            """\
            import asyncio
            from functools import wraps


            def sync_compatible(async_fn, force_sync=False):
                @wraps(async_fn)
                def coroutine_wrapper(*args, _sync=None, **kwargs):
                    is_async = _sync is not True
                    if _sync is None:
                        try:
                            asyncio.get_running_loop()
                        except RuntimeError:
                            is_async = False
                    if is_async:
                        return async_fn(*args, **kwargs)
                    return asyncio.run(async_fn(*args, **kwargs))

                return coroutine_wrapper
            """
        ),
        "lib/python3.11/site-packages/prefect/blocks.py": (
            "from prefect.utilities.asyncutils import sync_compatible\n\n\n"
            "class Block:\n    @sync_compatible\n    async def save(self, name):\n        return name\n"
        ),
        "lib/python3.11/site-packages/prefect-2.19.0.dist-info/METADATA": "Name: prefect\nVersion: 2.19.0\n",
    }
    test = (
        "from prefect.blocks import Block\n\n\n"
        "@pytest.mark.asyncio\nasync def test_async():\n    block = Block()\n    block.save('a')\n"
        "    block.save('b', _sync=True)\n\n\ndef test_sync():\n    Block().save('c')\n"
    )
    root = project(tmp_path / "project", "", "", test)
    write_project(root / ".venv", package)
    (found,) = lint(root)
    assert (found.code, found.line) == ("AIO201", 12)
    assert "`@sync_compatible` returns its coroutine when called with an event loop running" in found.message
