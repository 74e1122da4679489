"""One ingest at a time per database: an advisory file lock beside the DuckDB file."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from flows.errors import DatabaseBusyError

POLL_S = 0.5


class RunLockedError(DatabaseBusyError):
    """Another pactwatch run holds the run lock of this database."""


def lock_path_for(db_path: Path) -> Path:
    """Return the lock file that guards ``db_path``."""
    return db_path.with_name(db_path.name + ".run.lock")


@contextmanager
def hold_run_lock(
    db_path: Path,
    what: str,
    *,
    wait_s: float = 0.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold the run lock of ``db_path`` for the block; wait up to ``wait_s``, then raise.

    The kernel releases the lock when the process dies, so a killed run never leaves it stuck.
    """
    path = lock_path_for(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = clock() + wait_s
    with path.open("a+", encoding="utf-8") as handle:
        while not _try_lock(handle):
            if clock() >= deadline:
                raise RunLockedError(_locked_message(db_path, path))
            sleep(POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {what} {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _locked_message(db_path: Path, path: Path) -> str:
    holder = path.read_text(encoding="utf-8").strip().split(" ")
    who = (
        f"process {holder[0]} ({holder[1]}, since {holder[2]})"
        if len(holder) == 3
        else "another pactwatch process"
    )
    return (
        f"{db_path} is being written by {who}. DuckDB allows one writer: wait for it to finish,"
        " or pass --wait SECONDS to queue behind it."
    )
