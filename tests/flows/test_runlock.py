import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows.errors import DatabaseBusyError
from flows.runlock import RunLockedError, hold_run_lock, lock_path_for


def _holder(db_path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from flows.runlock import hold_run_lock
        with hold_run_lock(Path({str(db_path)!r}), "scheduled-ingest"):
            print("held", flush=True)
            sys.stdin.read()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_second_run_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    holder = _holder(db_path)
    try:
        with pytest.raises(RunLockedError) as caught, hold_run_lock(db_path, "manual-ingest"):
            pass
        assert isinstance(caught.value, DatabaseBusyError)  # same exit code as a DuckDB lock
        assert f"process {holder.pid} (scheduled-ingest" in str(caught.value)
        assert "--wait" in str(caught.value)
    finally:
        holder.communicate("")


def test_waiting_run_gives_up_after_its_deadline(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    holder = _holder(db_path)
    now = [0.0]
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        now[0] += seconds

    try:
        with (
            pytest.raises(RunLockedError),
            hold_run_lock(db_path, "manual", wait_s=2.0, clock=lambda: now[0], sleep=sleep),
        ):
            pass
        assert sum(naps) >= 2.0
    finally:
        holder.communicate("")


def test_lock_is_free_again_after_the_holder_is_killed(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    holder = _holder(db_path)
    holder.kill()
    holder.communicate()  # reaps it and closes the pipes
    with hold_run_lock(db_path, "manual"):
        assert lock_path_for(db_path).read_text(encoding="utf-8").split(" ")[1] == "manual"


def test_lock_is_reentrant_across_sequential_runs(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    for _ in range(2):
        with hold_run_lock(db_path, "manual"):
            pass
    assert lock_path_for(db_path).read_text(encoding="utf-8") == ""
