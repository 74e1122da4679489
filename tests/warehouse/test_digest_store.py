from datetime import UTC, date, datetime
from pathlib import Path

from warehouse.db import connect, fetch_all, transaction
from warehouse.digest_store import (
    insert_digest,
    mark_failed_attempt,
    mark_recipients,
    select_outbox,
    select_undigested,
    upsert_sources,
)
from warehouse.ingest_store import store_batch

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _seed(con, report) -> None:
    upsert_sources(con, [("site-a", "rss", "http://a.test/feed", "Site A News")], NOW)
    page, record = report(
        "http://a.test/1",
        "Alpha and Beta signed.",
        ("Alpha", "Beta"),
        date(2026, 11, 18),
        date(2026, 11, 18),
    )
    with transaction(con):
        store_batch(con, [page], [record], NOW)


def _digest(con, digest_id: str, ids: list[str], state: str = "queued") -> None:
    with transaction(con):
        insert_digest(
            con,
            digest_id=digest_id,
            profile="default",
            created_at=NOW,
            period_start=None,
            subject="s",
            recipients=["a@example.org", "b@example.org"],
            message=b"Subject: s\r\n\r\nbody",
            agreement_ids=ids,
            state=state,
            paths={},
        )


def test_undigested_items_carry_their_sources(tmp_path: Path, report) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        _seed(con, report)
        (item,) = select_undigested(con, "default")
        assert item.parties == ("Alpha", "Beta")
        assert item.amounts[0].value == 50_000_000
        assert [(s.source_name, s.url) for s in item.sources] == [
            ("Site A News", "http://a.test/1")
        ]


def test_a_digested_agreement_is_not_selected_again_for_that_profile(
    tmp_path: Path, report
) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        _seed(con, report)
        (item,) = select_undigested(con, "default")
        _digest(con, "d1", [item.agreement_id])
        assert select_undigested(con, "default") == []
        assert len(select_undigested(con, "weekly")) == 1


def test_outbox_keeps_temporary_failures_queued_and_marks_refusals(tmp_path: Path, report) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        _seed(con, report)
        _digest(con, "d1", [])
        mark_failed_attempt(con, "d1", "connection refused", permanent=False)
        assert [m.attempts for m in select_outbox(con)] == [1]
        mark_recipients(
            con,
            "d1",
            attempted=["a@example.org", "b@example.org"],
            refused={"b@example.org": "550 no such user"},
            deferred={},
            now=NOW,
        )
        assert select_outbox(con) == []
        assert fetch_all(con, "SELECT state FROM digests") == [("partial",)]
        rows = fetch_all(con, "SELECT recipient, state FROM digest_deliveries ORDER BY recipient")
        assert rows == [("a@example.org", "sent"), ("b@example.org", "refused")]
