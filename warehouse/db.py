"""The only module that imports duckdb: connect (migrations, lock errors) and SQL helpers."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from flows.errors import DatabaseBusyError, WarehouseError

LOGGER = logging.getLogger(__name__)
LOCK_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")
# Offline machines: autoinstall spends ~2 s failing (STYLE.md section 8, trap 22).
CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class Connection:
    """A DuckDB connection that lets go of the native object when closed.

    Prefect keeps flow and task frames (and so their ``con`` locals) alive until exit; a bare
    DuckDBPyConnection there makes DuckDB's bindings print dozens of "leaked instance" lines.
    """

    def __init__(self, raw: duckdb.DuckDBPyConnection) -> None:
        self._raw: duckdb.DuckDBPyConnection | None = raw

    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        """Return the open DuckDB connection; WarehouseError once closed."""
        if self._raw is None:
            raise WarehouseError("the connection is closed")
        return self._raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyConnection:
        """Run one statement (or a script without parameters)."""
        return self.raw.execute(sql, list(params)) if params else self.raw.execute(sql)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run ``sql`` once per row."""
        self.raw.executemany(sql, [list(r) for r in rows])

    def begin(self) -> None:
        """Start a transaction."""
        self.raw.begin()

    def commit(self) -> None:
        """Commit the transaction."""
        self.raw.commit()

    def rollback(self) -> None:
        """Roll the transaction back."""
        self.raw.rollback()

    def close(self) -> None:
        """Close and drop the native connection."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None


@contextmanager
def connect(db_path: Path, *, read_only: bool = False, wait_s: float = 0.0) -> Iterator[Connection]:
    """Open ``db_path`` (migrated to the newest schema) and close it on exit.

    Raises:
        DatabaseBusyError: another process holds the file's lock for longer than ``wait_s``.
        WarehouseError: the file is not a DuckDB database or a migration fails.
    """
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(db_path, read_only, wait_s)
    try:
        if not read_only:
            apply_migrations(con)
        yield con
    finally:
        con.close()


def _open(db_path: Path, read_only: bool, wait_s: float) -> Connection:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return Connection(duckdb.connect(str(db_path), read_only=read_only, config=CONFIG))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"{db_path}: cannot open: {exc}") from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(_busy_message(db_path, str(exc))) from exc
            time.sleep(0.25)
        except duckdb.Error as exc:
            raise WarehouseError(f"{db_path}: cannot open: {exc}") from exc


def _busy_message(db_path: Path, detail: str) -> str:
    match = LOCK_HOLDER.search(detail)
    holder = f"process {match[2]} ({match[1]})" if match else "another process"
    return (
        f"{db_path} is in use by {holder}; DuckDB allows one writer at a time. "
        "Wait for that run to finish (or pass --wait SECONDS), then try again."
    )


def apply_migrations(con: Connection) -> list[str]:
    """Apply every migration not yet recorded in schema_migrations, in order; return their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations"
        " (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied: list[str] = []
    for name, sql in _migrations():
        if name in done:
            continue
        try:
            with transaction(con):
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now(UTC)]
                )
        except duckdb.Error as exc:
            raise WarehouseError(f"migration {name} failed: {exc}") from exc
        LOGGER.info("migration applied name=%s", name)
        applied.append(name)
    return applied


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("warehouse") / "migrations"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """Run the block in one transaction: all or nothing."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def fetch_all(con: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run a query with ``?`` parameters and return every row."""
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"query failed: {exc}") from exc


def execute_many(con: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run ``sql`` once per row; nothing for no rows (executemany([]) raises)."""
    if rows:
        con.executemany(sql, rows)


def insert_columns(
    con: Connection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    conflict: str = "ON CONFLICT DO NOTHING",
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` in one set-based statement (one list parameter per column); return RETURNING.

    ``columns`` are (name, DuckDB type) pairs, module constants of the caller; ``conflict`` is the
    caller's constant ON CONFLICT clause, optionally with a RETURNING list. Much faster than
    executemany (STYLE.md section 8, trap 23) and still idempotent.
    """
    if not rows:
        return []
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(f"unnest(?::{kind}[])" for _, kind in columns)
    sql = f"INSERT INTO {table} ({names}) SELECT {values} {conflict}"
    params = [list(column) for column in zip(*rows, strict=True)]
    try:
        result = con.execute(sql, params)
        return result.fetchall() if "RETURNING" in conflict else []
    except duckdb.Error as exc:
        raise WarehouseError(f"insert into {table} failed: {exc}") from exc


def copy_jsonl_to_parquet(con: Connection, source: Path, target: Path) -> None:
    """Convert a JSON-lines file to Parquet with DuckDB (nested values kept as structs/lists)."""
    quoted_source = str(source).replace("'", "''")
    quoted_target = str(target).replace("'", "''")
    try:
        con.execute(
            f"COPY (SELECT * FROM read_json('{quoted_source}', format = 'newline_delimited'))"  # noqa: S608 - quoted paths
            f" TO '{quoted_target}' (FORMAT parquet)"
        )
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot write {target}: {exc}") from exc


def append_rows(
    con: Connection, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> int:
    """Bulk-insert rows whose keys the caller knows are new, with DuckDB's appender; return count.

    About twice as fast as :func:`insert_columns` (STYLE.md section 8, trap 23), but a key that
    exists raises WarehouseError: filter first, inside the same transaction.
    """
    if not rows:
        return 0
    try:
        with con.raw.appender(table, columns=[name for name, _ in columns]) as appender:
            appender.append_rows([list(row) for row in rows])
    except duckdb.Error as exc:
        raise WarehouseError(f"append to {table} failed: {exc}") from exc
    return len(rows)
