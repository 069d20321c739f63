"""What pytest and pytest-asyncio do at runtime, version by version, in the words findings use.

Each function takes the project's versions and returns the outcome for those versions, or, when the versions
are unknown, the outcome on each side of the release that changed it.
"""

from __future__ import annotations

from asynclint.model.versions import ProjectVersions

NOT_SUPPORTED = '"async def functions are not natively supported"'


def _version(versions: ProjectVersions, package: str) -> str:
    known = versions.get(package)
    if known is not None and known.exact is not None:
        return f"{package} {known.exact}"
    return package


def unmarked_async_test(versions: ProjectVersions) -> str:
    """An async test pytest-asyncio does not run (strict mode, no mark)."""
    newer = versions.at_least("pytest", "8.4")
    if newer is True:
        return f"{_version(versions, 'pytest')} fails it with {NOT_SUPPORTED} and its body never runs"
    if newer is False:
        return f"{_version(versions, 'pytest')} skips it with {NOT_SUPPORTED}, so its body never runs"
    return f"its body never runs: pytest 8.4 and later fail it, earlier versions skip it, with {NOT_SUPPORTED}"


def async_generator_test(versions: ProjectVersions, marked: bool) -> str:
    """An async test that contains `yield`."""
    if not marked:
        return "it never runs"
    modern = versions.at_least("pytest-asyncio", "0.23")
    if modern is True:
        return (
            f"{_version(versions, 'pytest-asyncio')} reports it as xfail "
            '"[NOTRUN] Tests based on asynchronous generators are not supported"'
        )
    if modern is False:
        return f"{_version(versions, 'pytest-asyncio')} reports it as passed without running it"
    return (
        'pytest-asyncio 0.23 and later report it as xfail "[NOTRUN] Tests based on asynchronous generators are '
        'not supported"; 0.21 reports it as passed without running it'
    )


def mark_on_sync_test(versions: ProjectVersions) -> str:
    """An `asyncio` mark on a sync test: pytest-asyncio warns about it from 0.18."""
    if versions.at_least("pytest-asyncio", "0.18") is False:
        return (
            f"the test runs as a plain sync test and the mark does nothing ({_version(versions, 'pytest-asyncio')} "
            "does not warn about it; 0.18 and later do)"
        )
    return (
        "the test runs as a plain sync test and pytest-asyncio warns \"is marked with '@pytest.mark.asyncio' "
        'but it is not an async function"'
    )


def mark_on_fixture(versions: ProjectVersions) -> str:
    """A mark decorator on a fixture function."""
    if versions.at_least("pytest", "9.1") is True:
        return f'{_version(versions, "pytest")} fails collection with "Marks cannot be applied to fixtures"'
    if versions.at_least("pytest", "9.0") is True:
        return f"{_version(versions, 'pytest')} turns its deprecation warning into a collection error"
    if versions.at_least("pytest", "8.0") is True and versions.at_least("pytest", "9.0") is False:
        return f'it has no effect, and {_version(versions, "pytest")} warns "Marks applied to fixtures have no effect"'
    if versions.at_least("pytest", "8.0") is False:
        return "it has no effect"
    return 'it has no effect: pytest 8 warns "Marks applied to fixtures have no effect", pytest 9 fails collection'


def configure_warning(versions: ProjectVersions, *, error_filter: bool) -> str:
    """Whether pytest shows a deprecation warning pytest-asyncio raises in its `pytest_configure` hook.

    Up to 8.3, pytest ran that hook under `catch_warnings()` with `simplefilter("default")`, so the warning was
    printed at every run; 8.4 dropped that, leaving it to Python's default filters, which hide deprecation
    warnings outside `__main__` (`filterwarnings` does not apply there either); 9.2 applies the
    `filterwarnings` setting there, so it is printed again, and `error` stops the run at startup.
    """
    before_8_4 = versions.at_least("pytest", "8.4") is False
    from_9_2 = versions.at_least("pytest", "9.2") is True
    pytest = _version(versions, "pytest")
    if before_8_4 or from_9_2:
        shown = f"{pytest} shows the warning at every run"
        if from_9_2 and error_filter:
            shown += f", and with `filterwarnings = error` {pytest} stops at startup"
        return shown
    if versions.at_least("pytest", "8.4") is True and versions.at_least("pytest", "9.2") is False:
        hidden = (
            f"{pytest} does not show the warning: from 8.4 to 9.1 pytest leaves warnings raised while it "
            "configures itself to Python's default filters, which hide deprecation warnings"
        )
        return hidden + (" (`filterwarnings = error` does not apply there)" if error_filter else "")
    unknown = "pytest 8.3 and earlier and 9.2 and later show the warning at every run, 8.4 to 9.1 hide it"
    return unknown + ("; with `filterwarnings = error`, 9.2 and later stop at startup" if error_filter else "")


PYTEST_ASYNC_FIXTURE = '"requested an async fixture ... with no plugin or hook that handled it"'


def unhandled_async_fixture(
    versions: ProjectVersions, *, generator: bool, value_used: bool, who: str, through: str | None = None
) -> str:
    """What `who` (a consumer of a plain-decorated async fixture nothing runs) sees; `through` is the fixture
    that takes the value when the consumer does not request it itself."""
    obj = "an async generator object" if generator else "a coroutine object"
    if not value_used:
        silent = f"it never runs for {who}"
    elif through is not None:
        silent = f"the fixture `{through}` gets {obj} instead of its value, so {who} gets what `{through}` makes of it"
    else:
        silent = f"{who} gets {obj} instead of its value"
    error = versions.at_least("pytest", "9.0")
    warns = versions.at_least("pytest", "8.4")
    if error is True:
        return f"{who} errors in setup on {_version(versions, 'pytest')} with {PYTEST_ASYNC_FIXTURE}"
    if warns is True:
        return f"{silent}, and {_version(versions, 'pytest')} warns that the test {PYTEST_ASYNC_FIXTURE}"
    if warns is False:
        return silent
    return f"{silent} (pytest 8.4 warns; pytest 9 errors in setup with {PYTEST_ASYNC_FIXTURE})"


def scope_mismatch(narrow_fixture: str, narrow: str, wide: str, versions: ProjectVersions | None = None) -> str:
    """pytest's ScopeMismatch setup error, in its own words: pytest 6 and earlier quote the scopes and the
    fixture's name (`the 'function' scoped fixture 'event_loop'`), pytest 7 and later do not."""
    quote = "'" if versions is not None and versions.at_least("pytest", "7.0") is False else ""
    return (
        f'pytest fails its setup with "ScopeMismatch: You tried to access the {quote}{narrow}{quote} scoped '
        f'fixture {quote}{narrow_fixture}{quote} with a {quote}{wide}{quote} scoped request object"'
    )


#: The release whose loop fixtures are the `_<scope>_scoped_runner`s (1.0 had `_<scope>_event_loop`), and
#: from which a sync function under `@pytest_asyncio.fixture` is set up with a loop too.
SCOPED_RUNNERS_SINCE = "1.1"


def runner_fixture(scope: str, versions: ProjectVersions) -> str:
    """The name of pytest-asyncio's fixture for a loop scope, as ScopeMismatch errors show it: `event_loop`
    before 1.0, `_<scope>_event_loop` on 1.0, `_<scope>_scoped_runner` from 1.1 (a current release when the
    version is not pinned)."""
    if versions.at_least("pytest-asyncio", SCOPED_RUNNERS_SINCE) is not False:
        return f"_{scope}_scoped_runner"
    if versions.at_least("pytest-asyncio", "1.0") is True:
        return f"_{scope}_event_loop"
    return "event_loop"


DIFFERENT_LOOP = '"got Future ... attached to a different loop"'


def loop_bound(kind: str, written: str) -> str:
    """What a test running in another loop than its fixture meets, for what ties the fixture to its loop
    (`model.loop_binding`): only one loop runs at a time, so the fixture's loop is idle during the test."""
    if kind == "loop":
        return (
            f"it hands out its own loop (`{written}`), which does not run during the test: awaiting a future or "
            f"a task made with it fails with {DIFFERENT_LOOP}"
        )
    if kind == "future":
        return f"it hands out a future of its loop (`{written}`): awaiting it in the test fails with {DIFFERENT_LOOP}"
    if kind == "task":
        return f"it hands out a task of its loop (`{written}`): awaiting it in the test fails with {DIFFERENT_LOOP}"
    if kind == "streams":
        return (
            f"it hands out streams opened in its loop (`{written}`): reading them in the test fails with "
            f"{DIFFERENT_LOOP}"
        )
    if kind == "server":
        return (
            f"it starts a server in its loop (`{written}`), which does not run during the test: what the test "
            "sends it gets no answer"
        )
    return (
        f"it leaves a task running in its loop (`{written}`), which does not run during the test: the task makes "
        "no progress while the test runs"
    )
