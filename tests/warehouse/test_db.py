import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows.errors import DatabaseBusyError, WarehouseError
from warehouse.db import apply_migrations, connect, fetch_all, transaction

EXPECTED_TABLES = {
    "agreement_sources",
    "agreements",
    "articles",
    "digest_deliveries",
    "digest_items",
    "digests",
    "feed_entries",
    "http_cache",
    "pages",
    "runs",
    "schema_migrations",
    "source_state",
    "sources",
}


def _tables(con) -> set[str]:
    return {r[0] for r in fetch_all(con, "SELECT table_name FROM information_schema.tables")}


def test_connect_creates_every_table(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        assert _tables(con) == EXPECTED_TABLES


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    with connect(db_path) as con:
        names = [r[0] for r in fetch_all(con, "SELECT name FROM schema_migrations")]
        assert names == [
            "001_initial.sql",
            "002_reextract_retract.sql",
            "003_feed_guids.sql",
            "004_signed_on_precision.sql",
        ]
    with connect(db_path) as con:
        assert apply_migrations(con) == []
        assert fetch_all(con, "SELECT count(*) FROM schema_migrations") == [(4,)]


def test_migrated_schema_matches_golden(tmp_path: Path, golden) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        rows = fetch_all(
            con,
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position",
        )
    golden("schema.txt", "".join(f"{t}.{c} {d}\n" for t, c, d in rows))


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    def insert_then_fail(con) -> None:
        with transaction(con):
            con.execute("INSERT INTO runs VALUES ('r1', 'ingest', now(), NULL, 'ok', NULL)")
            raise RuntimeError("boom")

    with connect(tmp_path / "w.duckdb") as con:
        with pytest.raises(RuntimeError, match="boom"):
            insert_then_fail(con)
        assert fetch_all(con, "SELECT count(*) FROM runs") == [(0,)]


def test_not_a_database_is_a_warehouse_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(WarehouseError, match="cannot open"), connect(bogus):
        pass


def test_second_writer_gets_busy_error_naming_the_holder(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    with connect(db_path):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, duckdb
                con = duckdb.connect({str(db_path)!r})
                print("locked", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusyError) as caught, connect(db_path):
            pass
        message = str(caught.value)
        assert f"process {holder.pid}" in message
        assert "one writer" in message
    finally:
        holder.communicate("")
    with connect(db_path) as con:  # the lock is gone with the process, nothing is corrupt
        assert "pages" in _tables(con)
