import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()


@contextmanager
def locked_settings() -> Iterator[dict[str, Any]]:
    # Holds a lock while the settings are read; the settings themselves are a plain dict.
    with _LOCK:
        yield {"currency": "EUR"}


@contextmanager
def opened_ledger(path) -> Iterator[Any]:
    with open(path) as ledger:
        yield ledger
