"""Running a recursive walk over a very deep tree without a `RecursionError`.

LibCST renders code recursively, several frames per nesting level: a valid module with a chain of a few hundred
`elif`s (each one nested in the previous one's `orelse`) exceeds Python's default recursion limit of 1,000
frames. Such a walk is run again in a thread of its own with a large stack and a high recursion limit, the
way deep recursion is usually made safe in Python: the stack is reserved, not used, until it is needed.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Frames and stack for the deep walk: about 40,000 levels of LibCST's rendering.
RECURSION_LIMIT = 200_000
STACK_BYTES = 512 * 2**20


def call_with_deep_stack(function: Callable[[], T]) -> T:
    """`function()`, in a thread with a large stack and recursion limit; its exception, if it raises one.

    The recursion limit is the interpreter's, so it is raised for the time of the call only, while the calling
    thread waits (asynclint lints one file at a time per process).
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    previous_limit = sys.getrecursionlimit()
    previous_size = threading.stack_size(STACK_BYTES)
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        worker = threading.Thread(target=run, name="asynclint-deep-walk")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous_size)
        sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]


def describe_error(error: BaseException, limit: int = 300) -> str:
    """`Type: message` for an internal error, whatever the message: a `KeyError` of a LibCST node would print
    the node's whole code (and a deep one fails to print at all)."""
    try:
        text = str(error)
    except Exception:
        text = ""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
