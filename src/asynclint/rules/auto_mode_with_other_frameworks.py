"""AIO603: auto-mode-with-other-frameworks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from asynclint.diagnostics import FixAvailability
from asynclint.files import discover
from asynclint.rule import ConfigContext, ConfigFinding, ConfigRule, Example

#: Signs in a test module or conftest that pytest-trio runs some tests or fixtures.
_TRIO = re.compile(r"mark\.trio\b|\bpytest_trio\b|\btrio_fixture\b")
#: An `anyio_backend` fixture: together with "trio" in the same module, anyio runs tests on trio too.
_ANYIO_BACKEND = re.compile(r"def\s+anyio_backend\b")


class AutoModeWithOtherFrameworks(ConfigRule):
    """
    ## What it does
    Finds pytest-asyncio's auto mode in a project that also runs tests on trio: pytest-trio's marks, fixtures
    or imports, an `anyio_backend` fixture that includes trio, `anyio_mode = auto` or `trio_mode = true`. anyio
    tests on anyio's default (asyncio) backend are not reported: they run on asyncio either way. The finding
    points at the setting that decides the mode: `--asyncio-mode=auto` in `addopts` beats an
    `asyncio_mode = strict` key.

    ## Why is this bad?
    Auto mode claims every coroutine test and fixture for asyncio. anyio tests parametrized for trio then run
    on asyncio anyway, trio fixtures fail with "Task got bad yield", and anyio warns when both auto modes are
    on. Strict mode lets each plugin run its own tests.

    ## Example
    ```ini
    [pytest]
    asyncio_mode = auto
    ```
    with `@pytest.mark.anyio` tests in the suite.

    Use instead: `asyncio_mode = strict`, with `@pytest.mark.asyncio` on the asyncio tests (AIO101 adds them)
    and `@pytest_asyncio.fixture` on their fixtures (AIO301).

    ## Fix safety
    No automatic fix: strict mode needs every asyncio test and fixture marked first.
    """

    code = "AIO603"
    name = "auto-mode-with-other-frameworks"
    finds = "auto mode in a suite that also has anyio or trio tests or fixtures: they are taken over by asyncio"
    fix_availability = FixAvailability.NONE

    valid = (
        Example(
            "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
            files={"test_example.py": "async def test_a():\n    pass\n"},
            filename="pytest.ini",
        ),
    )
    invalid = (
        Example(
            "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
            files={
                "test_example.py": "import pytest\n\n\n@pytest.mark.anyio\nasync def test_a():\n    pass\n",
                "conftest.py": "import pytest\n\n\n@pytest.fixture(params=['asyncio', 'trio'])\n"
                "def anyio_backend(request):\n    return request.param\n",
            },
            filename="pytest.ini",
        ),
    )

    @classmethod
    def check_config(cls, ctx: ConfigContext) -> Iterator[ConfigFinding]:
        settings = ctx.settings
        if settings.asyncio_mode != "auto" or settings.asyncio_plugin_disabled:
            return
        key = settings.mode_key
        if key is None or key not in ctx.config.values:
            return  # auto mode set elsewhere (asynclint's options, a conftest): not this file's line to flag
        line = ctx.line_of(key)
        why = None
        if settings.anyio_auto:
            why = "`anyio_mode = auto` is also on"
        elif settings.trio_mode:
            why = "`trio_mode = true` is also on"
        else:
            why = cls._other_framework(ctx)
        if why is None:
            return
        mode = f"auto mode ({settings.mode_reason})" if key == "addopts" else "auto mode"
        if key == "addopts" and "asyncio_mode" in ctx.config.values:
            beaten = f"`asyncio_mode = {ctx.config.get_str('asyncio_mode')}`"
            mode = f"auto mode ({settings.mode_reason}, which beats {beaten} on line {ctx.line_of('asyncio_mode')})"
        message = (
            f"pytest-asyncio's {mode} runs every coroutine test and fixture on asyncio, but {why}: those tests "
            "are taken over (anyio's trio runs happen on asyncio, trio fixtures fail); use strict mode"
        )
        yield ConfigFinding(line, ctx.column_of(line, key), message)

    @classmethod
    def _other_framework(cls, ctx: ConfigContext) -> str | None:
        for path in discover([Path(ctx.config.rootdir)]):
            if not (path.name == "conftest.py" or ctx.settings.is_test_module(path)):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if b"trio" not in data:  # both signs name trio; most files are ruled out without decoding
                continue
            text = data.decode("utf-8", errors="replace")
            shown = path.relative_to(ctx.config.rootdir) if ctx.config.rootdir in str(path) else path
            match = _TRIO.search(text)
            if match is not None:
                return f"{shown} uses `{match.group(0)}`"
            if _ANYIO_BACKEND.search(text) and "trio" in text:
                return f"{shown} runs anyio tests on trio (its `anyio_backend` fixture)"
        return None
