"""AIO602: default-fixture-loop-scope-unset."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from packaging.version import InvalidVersion, Version

from asynclint import runtime, unsaved
from asynclint.diagnostics import Applicability, FixAvailability
from asynclint.files import discover, files_named
from asynclint.model.decorators import dotted
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example, LineEdit

KEY = "asyncio_default_fixture_loop_scope"
#: A fixture cached beyond the function without saying so literally: `scope="session"`, `scope=name`...
_WIDER_SCOPE = re.compile(r"\bscope\s*=\s*(?![\"']function[\"'])")
_PIN = re.compile(r"(?im)^\s*pytest[-_]asyncio\s*==\s*([0-9][0-9a-z.]*)")
_SYNC_MODULE_FIXTURE = "import pytest\n\n\n@pytest.fixture(scope='module')\ndef app():\n    return {}\n"
_MARKED = {"test_example.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"}


class DefaultFixtureLoopScopeUnset(ConfigRule):
    """
    ## What it does
    Finds pytest configs of projects using pytest-asyncio 0.24 or later that do not set
    `asyncio_default_fixture_loop_scope`. When the version is not pinned where asynclint looks first, a
    requirements file anywhere below the rootdir pinning an older release (a monorepo's packages) keeps it
    silent. A config with no test module below its folder (a library's `pyproject.toml` in a monorepo whose
    tests live elsewhere) is not reported: pytest reads it only when pointed into that folder, where no test
    runs.

    ## Why is this bad?
    While it is unset, pytest-asyncio (0.24 to 1.5) gives each async fixture the loop of its caching scope, a
    default it has deprecated: it raises a PytestDeprecationWarning ("The configuration option
    "asyncio_default_fixture_loop_scope" is unset") announcing that the default will change to `function`.
    It raises it while pytest configures itself, so whether it is seen depends on pytest: 8.3 and earlier
    print it at every run, 8.4 to 9.1 leave it to Python's default filters, which hide it, and 9.2 prints it
    again (with `filterwarnings = error`, 9.2 stops at startup). Setting the option makes each async
    fixture's loop explicit and keeps it when the default changes.

    ## Example
    ```ini
    [pytest]
    asyncio_mode = strict
    ```

    Use instead:
    ```ini
    [pytest]
    asyncio_default_fixture_loop_scope = function
    asyncio_mode = strict
    ```

    ## Fix safety
    Safe to add `asyncio_default_fixture_loop_scope = function` when no fixture pytest-asyncio runs is cached
    beyond a function (no `scope=` other than "function" in any Python file under the rootdir, except on
    marks and on plain `@pytest.fixture`s of sync functions, which pytest sets up without a loop): it changes
    nothing then. Otherwise safe to add `fixture-scope` (what happens today) when pytest-asyncio 1.5 or later
    is pinned (a lock, an `==` pin or a range starting at 1.5: the version a virtual environment happens to
    hold is not enough, as 1.4 rejects the value at startup). Otherwise no fix: `function` would turn wider
    async fixtures into `ScopeMismatch` errors.
    """

    code = "AIO602"
    name = "default-fixture-loop-scope-unset"
    finds = (
        "pytest-asyncio >= 0.24 and `asyncio_default_fixture_loop_scope` unset: a deprecated default (the "
        "fixture's caching scope), warned about at every run on pytest <= 8.3 and >= 9.2"
    )
    fix_summary = "safe when provably harmless"
    fix_availability = FixAvailability.SOMETIMES

    valid = (
        Example("[pytest]\nasyncio_default_fixture_loop_scope = function\n", files=_MARKED, filename="pytest.ini"),
        Example(
            "[pytest]\n",
            files={
                **_MARKED,
                "requirements-dev.txt": "pytest\npytest-asyncio\n",
                "packages/a/test-requirements.txt": "pytest-asyncio==0.23.5\n",
            },
            filename="pytest.ini",
        ),
        Example(
            "[pytest]\n",
            files={**_MARKED, "requirements-dev.txt": "pytest==8.0.2\npytest-asyncio==0.23.8\n"},
            filename="pytest.ini",
        ),
    )
    invalid = (
        Example(
            "[pytest]\naddopts = -ra\n",
            files=_MARKED,
            filename="pytest.ini",
            expected_fix="[pytest]\nasyncio_default_fixture_loop_scope = function\naddopts = -ra\n",
        ),
        # A module-scoped sync fixture under plain `@pytest.fixture` runs without a loop: `function` is harmless.
        Example(
            "[pytest]\n",
            files={**_MARKED, "conftest.py": _SYNC_MODULE_FIXTURE},
            filename="pytest.ini",
            expected_fix="[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        ),
        # A module-scoped async fixture would get a function loop: no fix on a release without `fixture-scope`.
        Example(
            "[pytest]\n",
            files={**_MARKED, "conftest.py": _SYNC_MODULE_FIXTURE.replace("def app", "async def app")},
            filename="pytest.ini",
        ),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        config = ctx.config
        if KEY in config.values or KEY in " ".join(config.get_args("addopts")) or not ctx.uses_pytest_asyncio:
            return
        if "[table]" not in config.lines:
            return  # the file holds no pytest section (a bare pyproject.toml marking the rootdir): nowhere to point
        versions = ctx.versions
        if versions.at_least("pytest-asyncio", "0.24") is False:
            return
        if versions.at_least("pytest-asyncio", "0.24") is None and cls._older_pin_below(ctx):
            return  # sub-projects pin a release without the option: the warning is not theirs
        if "asyncio_mode" in config.values and config.get_str("asyncio_mode") not in ("auto", "strict"):
            return  # pytest stops at startup anyway (AIO601)
        line = config.lines.get("[table]") or 1
        strict_warnings = any(w.strip().split(":")[0] == "error" for w in config.get_lines("filterwarnings"))
        package = versions.get("pytest-asyncio")
        if package is not None and package.exact is not None:
            asyncio = f"pytest-asyncio {package.exact}"
        elif versions.at_least("pytest-asyncio", "0.24") is True:
            asyncio = "pytest-asyncio"
        else:
            asyncio = "pytest-asyncio (0.24 or later assumed, as the version is not pinned)"
        message = (
            f"`{KEY}` is not set: {asyncio} then runs each async fixture in the loop of its caching scope and "
            "warns that this default will change to `function`; "
            f"{runtime.configure_warning(versions, error_filter=strict_warnings)}; set it explicitly"
        )
        value = cls._harmless_value(ctx)
        fix = None
        if value is not None and 0 < line <= len(ctx.lines):
            quoted = f'"{value}"' if ctx.path.suffix == ".toml" else value
            fix = LineEdit(line, f"{ctx.lines[line - 1]}\n{KEY} = {quoted}")
        yield ConfigFinding(line, 1, message, fix, f"Set `{KEY} = {value}`" if fix else "", Applicability.SAFE)

    @classmethod
    def _older_pin_below(cls, ctx: ConfigContext) -> bool:
        """A requirements file anywhere under the rootdir pins pytest-asyncio before 0.24 (a monorepo's parts)."""

        def requirements(name: str) -> bool:
            lowered = name.lower()
            return lowered.endswith((".txt", ".in")) and ("requirement" in lowered or "constraint" in lowered)

        for path in files_named(Path(ctx.config.rootdir), requirements):
            try:
                text = unsaved.read_text(path, errors="replace")
            except OSError:
                continue
            for match in _PIN.finditer(text):
                try:
                    if Version(match.group(1)) < Version("0.24"):
                        return True
                except InvalidVersion:
                    continue
        return False

    @classmethod
    def _harmless_value(cls, ctx: ConfigContext) -> str | None:
        rootdir = Path(ctx.config.rootdir)
        for path in discover([rootdir]):
            try:
                text = unsaved.read_text(path, errors="replace")
            except OSError:
                return None
            if _WIDER_SCOPE.search(text) and _wider_scoped_loop_fixture(text):
                break
        else:
            return "function"
        # What the project guarantees, not what its environment holds: the range may allow releases without it.
        return "fixture-scope" if ctx.versions.guaranteed_at_least("pytest-asyncio", "1.5") is True else None


def _wider_scoped_loop_fixture(text: str) -> bool:
    """Whether a module may define a fixture cached beyond a function that pytest-asyncio sets up with a loop.

    Every `scope=` other than "function" counts, except on a mark (`pytest.mark.asyncio(loop_scope=...)` sets
    where tests run) and on a plain `@pytest.fixture` of a sync `def` (pytest runs that one, without a loop);
    a module that does not parse counts."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return True
    harmless: set[ast.Call] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and dotted(decorator.func) in {"pytest.fixture", "fixture"}:
                    harmless.add(decorator)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or node in harmless or ".mark." in f".{dotted(node.func) or ''}.":
            continue
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "scope" and not (isinstance(value, ast.Constant) and value.value == "function"):
                return True
    return False
