"""AIO502 leaves a blocking sleep alone only when a comment states that blocking the loop is the point.

The statements come from suites that block on purpose (CPython's own asyncio tests say "Pretend the loop is
busy for a while." above a `time.sleep` that tests a timeout); ordinary comments that merely mention waiting or
simulating something are no such statement, and the sleep is reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run, write_project

PINS = {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n"}
HEAD = "import time\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_timeout():\n"


def _reported(tmp_path: Path, body: str) -> bool:
    write_project(tmp_path, {**PINS, "test_sleep.py": HEAD + body})
    return bool(run([tmp_path], cwd=tmp_path, select=["AIO502"]).diagnostics)


@pytest.mark.parametrize(
    "body",
    [
        "    # block the loop on purpose\n    time.sleep(0.1)\n",
        "    time.sleep(0.1)  # blocks the event loop deliberately\n",
        "    # Pretend the loop is busy for a while.\n    time.sleep(0.1)\n",
        "    # Pretend we crunch some numbers.\n    time.sleep(0.1)\n",
        "    # Block the loop so that the watchdog\n    # notices the stall.\n    time.sleep(0.1)\n",
        "    # Keep the event loop busy to test slow-callback logging.\n    time.sleep(0.1)\n",
        "    time.sleep(\n        0.1\n    )  # stall the loop intentionally\n",
        "    time.sleep(0.1)  # noqa: AIO502\n",
    ],
)
def test_an_explicit_statement_silences_it(tmp_path: Path, body: str) -> None:
    assert not _reported(tmp_path, body)


@pytest.mark.parametrize(
    "body",
    [
        "    # simulate a user waiting\n    time.sleep(0.1)\n",
        "    time.sleep(0.1)  # simulate slow work\n",
        "    # give the server time to start\n    time.sleep(0.1)\n",
        "    # do not block the loop on purpose here\n    time.sleep(0.1)\n",
        "    # TODO: this blocks the loop, use asyncio.sleep\n    time.sleep(0.1)\n",
        "    time.sleep(0.1)  # busy\n",
        "    # time.sleep on purpose\n    time.sleep(0.1)\n",
        # A statement above other code speaks of that code, not of the sleep below it.
        "    # block the loop on purpose\n    x = 1\n\n    time.sleep(0.1)\n",
        "    label = '# block the loop on purpose'\n    time.sleep(0.1)\n",
    ],
)
def test_an_ordinary_comment_does_not(tmp_path: Path, body: str) -> None:
    assert _reported(tmp_path, body)
