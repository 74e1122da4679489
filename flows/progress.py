"""Ingest progress events: the pipeline announces, a listener (the CLI's progress bars) shows.

Pure and optional: with no listener registered, ``announce`` does nothing, so served and scheduled
runs pay nothing. Listeners are called from the host threads, so they must be thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Something one source reached: ``discovered`` (with ``total`` new pages) or ``page``."""

    kind: str  # discovered | page | failed
    source_name: str
    total: int = 0
    status: str = ""


Listener = Callable[[ProgressEvent], None]
_LISTENERS: list[Listener] = []
_LOCK = threading.Lock()


def announce(event: ProgressEvent) -> None:
    """Tell every registered listener about ``event``."""
    with _LOCK:
        listeners = list(_LISTENERS)
    for listener in listeners:
        listener(event)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Register ``listener`` for the block."""
    with _LOCK:
        _LISTENERS.append(listener)
    try:
        yield
    finally:
        with _LOCK:
            _LISTENERS.remove(listener)
