import gzip
import json
from datetime import UTC, date, datetime
from pathlib import Path

from flows.models import Fetched, PageRecord
from warehouse.db import connect, fetch_all, transaction
from warehouse.ingest_store import (
    select_settled_urls,
    select_validators,
    store_batch,
    upsert_validators,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
TABLES = ("pages", "articles", "agreements", "agreement_sources")


def _counts(con) -> dict[str, int]:
    return {t: fetch_all(con, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}  # noqa: S608


def _store(con, pages, records):
    with transaction(con):
        return store_batch(con, pages, records, NOW)


def test_storing_the_same_batch_twice_adds_nothing(tmp_path: Path, report) -> None:
    page, record = report(
        "http://a.test/1",
        "Alpha and Beta signed.",
        ("Alpha", "Beta"),
        date(2026, 11, 18),
        date(2026, 11, 18),
    )
    with connect(tmp_path / "w.duckdb") as con:
        first = _store(con, [page], [record])
        before = _counts(con)
        second = _store(con, [page], [record])
        assert (first.new_pages, first.new_articles, first.new_agreements) == (1, 1, 1)
        assert (second.new_pages, second.new_articles, second.new_agreements) == (0, 0, 0)
        assert _counts(con) == before


def test_raw_page_bytes_are_kept(tmp_path: Path, report) -> None:
    page, record = report(
        "http://a.test/1", "Alpha and Beta signed.", ("Alpha", "Beta"), None, date(2026, 11, 18)
    )
    with connect(tmp_path / "w.duckdb") as con:
        _store(con, [page], [record])
        (body,) = fetch_all(con, "SELECT body_gz FROM pages")[0]
        assert gzip.decompress(body) == b"Alpha and Beta signed."


def test_five_reports_of_one_signing_are_one_agreement_with_five_sources(
    tmp_path: Path, report
) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for day in range(5):
            page, record = report(
                f"http://site{day}.test/story",
                f"Report {day}: Beta and Alpha signed an agreement.",
                ("Beta", "Alpha") if day % 2 else ("Alpha", "Beta"),
                date(2026, 11, 18) if day != 3 else date(2026, 11, 19),  # one site is a day off
                date(2026, 11, 18 + day),
                source=f"site-{day}",
            )
            _store(con, [page], [record])
        assert fetch_all(con, "SELECT count(*) FROM agreements") == [(1,)]
        assert fetch_all(con, "SELECT count(*) FROM agreement_sources") == [(5,)]


def test_two_signings_months_apart_stay_two(tmp_path: Path, report) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for url, day in (
            ("http://a.test/1", date(2026, 3, 2)),
            ("http://a.test/2", date(2026, 11, 18)),
        ):
            page, record = report(
                url, f"Alpha and Beta signed on {day}.", ("Alpha", "Beta"), day, day
            )
            _store(con, [page], [record])
        assert fetch_all(con, "SELECT count(*) FROM agreements") == [(2,)]


def test_same_text_under_a_new_url_is_one_article(tmp_path: Path, report) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for url in ("http://a.test/1", "http://mirror.test/copy"):
            page, record = report(
                url, "Alpha and Beta signed.", ("Alpha", "Beta"), None, date(2026, 11, 18)
            )
            _store(con, [page], [record])
        assert fetch_all(con, "SELECT count(*) FROM articles") == [(1,)]
        assert fetch_all(con, "SELECT count(*) FROM pages") == [(2,)]


def test_settled_urls_exclude_transient_failures(tmp_path: Path) -> None:
    pages = [
        PageRecord("http://a.test/ok", "s", "skipped", "not_article", None),
        PageRecord("http://a.test/down", "s", "failed", "network", None),
    ]
    with connect(tmp_path / "w.duckdb") as con:
        _store(con, pages, [])
        settled = select_settled_urls(
            con, ["http://a.test/ok", "http://a.test/down", "http://a.test/new"]
        )
        assert settled == {"http://a.test/ok"}


def test_validators_round_trip(tmp_path: Path) -> None:
    fetched = Fetched(
        "http://a.test/feed", 200, b"<rss/>", {"etag": '"v1"', "last-modified": "Tue"}, NOW
    )
    with connect(tmp_path / "w.duckdb") as con:
        assert select_validators(con, "http://a.test/feed") == (None, None)
        upsert_validators(con, fetched)
        assert select_validators(con, "http://a.test/feed") == ('"v1"', "Tue")


def test_cursor_round_trip_and_survives_run_records(tmp_path: Path) -> None:
    from warehouse.ingest_store import record_source_run, select_cursor, upsert_cursor

    with connect(tmp_path / "w.duckdb") as con:
        assert select_cursor(con, "s") is None
        upsert_cursor(con, "s", "2026-11-20")
        record_source_run(con, "s", None, {"entries": 3}, NOW)
        upsert_cursor(con, "s", "2026-11-21")
        assert select_cursor(con, "s") == "2026-11-21"
        assert fetch_all(con, "SELECT last_status FROM source_state") == [("ok",)]


def test_background_agreements_are_kept_on_the_article_not_merged(tmp_path: Path, report) -> None:
    from dataclasses import replace

    page, record = report(
        "http://a.test/1", "Alpha and Beta signed.", ("Alpha", "Beta"), None, date(2026, 11, 18)
    )
    earlier = replace(record.extraction.agreements[0], parties=("Alpha", "Gamma"))
    record = replace(
        record, extraction=replace(record.extraction, background_agreements=(earlier,))
    )
    with connect(tmp_path / "w.duckdb") as con:
        _store(con, [page], [record])
        assert fetch_all(con, "SELECT count(*) FROM agreements") == [(1,)]
        (background,) = fetch_all(con, "SELECT background FROM articles")[0]
        assert [b["parties"] for b in json.loads(background)] == [["Alpha", "Gamma"]]


def _fetched_page(url: str, source: str = "s") -> PageRecord:
    fetched = Fetched(url, 200, f"<html>{url}</html>".encode(), {}, NOW)
    return PageRecord(url, source, "fetched", None, fetched)


def test_guids_of_settled_pages_are_known_per_source(tmp_path: Path) -> None:
    from warehouse.ingest_store import select_known_guids, store_feed_guids

    pages = [
        _fetched_page("http://a.test/1"),
        PageRecord("http://a.test/2", "s", "skipped", "not_article", None),
        PageRecord("http://a.test/3", "s", "failed", "http 503 after 3 tries", None),
    ]
    entries = [("g1", "http://a.test/1"), ("g2", "http://a.test/2"), ("g3", "http://a.test/3")]
    with connect(tmp_path / "w.duckdb") as con, transaction(con):
        store_batch(con, pages, [], NOW)
        assert store_feed_guids(con, "s", entries, NOW) == 2  # the failed page's GUID waits
        assert select_known_guids(con, "s", ["g1", "g2", "g3", "g4"]) == {"g1", "g2"}
        assert select_known_guids(con, "other", ["g1", "g2"]) == set()  # GUIDs are per feed
        assert select_known_guids(con, "s", []) == set()


def test_storing_guids_again_keeps_the_first_url(tmp_path: Path) -> None:
    from warehouse.ingest_store import store_feed_guids

    with connect(tmp_path / "w.duckdb") as con, transaction(con):
        store_batch(
            con, [_fetched_page("http://a.test/1"), _fetched_page("http://a.test/2")], [], NOW
        )
        assert store_feed_guids(con, "s", [("g", "http://a.test/1")], NOW) == 1
        moved = [("g", "http://a.test/2"), ("g", "http://a.test/1")]
        assert store_feed_guids(con, "s", moved, NOW) == 0
        assert store_feed_guids(con, "s", [], NOW) == 0
        rows = fetch_all(con, "SELECT source_name, guid, url, first_seen_at FROM feed_entries")
        assert rows == [("s", "g", "http://a.test/1", NOW)]


def test_a_guid_fetched_in_an_earlier_batch_is_stored_when_seen_with_its_page_url(
    tmp_path: Path,
) -> None:
    from warehouse.ingest_store import select_known_guids, store_feed_guids

    with connect(tmp_path / "w.duckdb") as con:
        with transaction(con):
            store_batch(con, [_fetched_page("http://a.test/1")], [], NOW)
        with transaction(con):  # later run: the page is settled from before
            assert store_feed_guids(con, "s", [("g", "http://a.test/1")], NOW) == 1
        assert select_known_guids(con, "s", ["g"]) == {"g"}


def test_month_precision_is_stored_and_read_back(tmp_path: Path, report) -> None:
    import dataclasses

    from flows.extract_io import agreement_to_prediction
    from flows.models import ArticleRecord, Extraction
    from warehouse.queries import select_agreements

    page, record = report("http://a.test/m", "Alpha and Beta signed in March.", ("Alpha", "Beta"),
                          date(2026, 3, 1), date(2026, 4, 2))  # fmt: skip
    month = dataclasses.replace(record.extraction.agreements[0], signed_on_precision="month")
    record = ArticleRecord(record.page_id, record.article, Extraction(True, (month,), (), "t"))
    with connect(tmp_path / "w.duckdb") as con:
        _store(con, [page], [record])
        assert fetch_all(con, "SELECT signed_on_precision FROM agreements") == [("month",)]
        (line,) = select_agreements(con, agreement_to_prediction)
    assert line["signed_on"] == "2026-03"
