"""Progress bars (one per source, advancing per page) and the end-of-run table for `ingest`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from flows.progress import ProgressEvent, listening

SUMMARY_COLUMNS = (
    ("source", "source"),
    ("entries", "entries"),
    ("new pages", "new_pages"),
    ("not modified", "not_modified"),
    ("skipped", "skipped"),
    ("failed", "failed"),
    ("new agreements", "new_agreements"),
    ("time", "seconds"),
)


class _Bars:
    """Turns progress events into rich bars; called from the fetching threads."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            task = self._tasks.get(event.source_name)
            if event.kind == "discovered":
                self._tasks[event.source_name] = self._progress.add_task(
                    event.source_name, total=event.total or 1, completed=0 if event.total else 1
                )
            elif event.kind == "page" and task is not None:
                self._progress.advance(task)
            elif event.kind == "failed":
                self._progress.add_task(f"{event.source_name} (failed)", total=1, completed=1)


@contextmanager
def ingest_progress(enabled: bool) -> Iterator[None]:
    """Show per-source progress bars on stderr for the block (nothing when not ``enabled``)."""
    if not enabled:
        yield
        return
    progress = Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("pages"),
        console=Console(stderr=True),
    )
    with progress, listening(_Bars(progress)):
        yield


def summary_table(result: dict[str, Any]) -> Table:
    """Return the end-of-run table: one row per source, then the errors below it."""
    table = Table(title=f"ingest: {result['new_agreements']} new agreements")
    for header, _ in SUMMARY_COLUMNS:
        table.add_column(header, justify="left" if header == "source" else "right")
    for row in result["sources"]:
        cells = [_cell(row.get(key)) for _, key in SUMMARY_COLUMNS]
        cells[-1] = f"{row.get('seconds', 0):.1f}s"
        table.add_row(*cells, style="red" if row.get("error") else None)
    return table


def _cell(value: object) -> str:
    return "" if value is None else str(value)
