"""Ctrl-C and SIGTERM stop a run between two files, never inside one.

Raising KeyboardInterrupt wherever the signal lands is not safe: C code that clears errors (a dict lookup
calling a Python `__eq__`, for one) can swallow it halfway through linting a file, leaving that file's state
broken while the run goes on. While linting and writing, the signal only asks for a stop; the run checks for
it after each file and before each write, and stops there with KeyboardInterrupt. A second signal stops at
once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_requested = False


def _request(signum: int, frame: FrameType | None) -> None:
    global _requested
    if _requested:
        raise KeyboardInterrupt
    _requested = True


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM only request a stop (see `check`). Outside the main thread,
    where signal handlers cannot be set, nothing changes."""
    global _requested
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    _requested = False
    for signum in _SIGNALS:
        if previous[signum] is not signal.SIG_IGN:  # an ignored signal (nohup, a background job) stays ignored
            signal.signal(signum, _request)
    try:
        yield
        check()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        _requested = False


def check() -> None:
    """Stop here (KeyboardInterrupt) if a stop was requested: called where stopping leaves nothing half done."""
    if _requested:
        raise KeyboardInterrupt
