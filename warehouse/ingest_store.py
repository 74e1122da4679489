"""Ingest writes: pages with raw bytes, articles, agreements merged across sources, source state."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flows.models import ArticleRecord, Fetched, PageRecord
from warehouse.agreement_store import Report, link_reports
from warehouse.db import Connection, append_rows, fetch_all
from warehouse.records import agreement_json

# Pages in these states are not fetched again; transient failures are retried next run.
SETTLED = "status = 'fetched' OR (status = 'skipped' AND reason IN ('not_article', 'duplicate'))"
PAGE_COLUMNS = (
    ("page_id", "TEXT"),
    ("url", "TEXT"),
    ("canonical_url", "TEXT"),
    ("source_name", "TEXT"),
    ("fetched_at", "TIMESTAMPTZ"),
    ("http_status", "INTEGER"),
    ("status", "TEXT"),
    ("reason", "TEXT"),
    ("headers", "JSON"),
    ("content_hash", "TEXT"),
    ("body_gz", "BLOB"),
)
ARTICLE_COLUMNS = (
    ("article_id", "TEXT"),
    ("page_id", "TEXT"),
    ("url", "TEXT"),
    ("canonical_url", "TEXT"),
    ("source_name", "TEXT"),
    ("title", "TEXT"),
    ("published_on", "DATE"),
    ("lang", "TEXT"),
    ("text", "TEXT"),
    ("text_hash", "TEXT"),
    ("is_signing", "BOOLEAN"),
    ("extractor_version", "TEXT"),
    ("extracted_at", "TIMESTAMPTZ"),
    ("background", "JSON"),
)
KNOWN_PAGES = "SELECT page_id FROM pages WHERE page_id IN (SELECT unnest(?::TEXT[]))"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one source batch added."""

    new_pages: int = 0
    new_articles: int = 0
    new_agreements: int = 0
    new_sources: int = 0


def select_settled_urls(con: Connection, urls: Sequence[str]) -> set[str]:
    """Return those of ``urls`` already stored as fetched or permanently skipped."""
    if not urls:
        return set()
    rows = fetch_all(
        con,
        f"SELECT url FROM pages WHERE url IN (SELECT unnest(?)) AND ({SETTLED})"  # noqa: S608 - SETTLED is a constant
        " UNION SELECT canonical_url FROM articles WHERE canonical_url IN (SELECT unnest(?))",
        [list(urls), list(urls)],
    )
    return {row[0] for row in rows}


def select_known_guids(con: Connection, source_name: str, guids: Sequence[str]) -> set[str]:
    """Return those of ``guids`` whose entry this source already fetched and stored for good."""
    if not guids:
        return set()
    rows = fetch_all(
        con,
        "SELECT guid FROM feed_entries"
        " WHERE source_name = ? AND guid IN (SELECT unnest(?::TEXT[]))",
        [source_name, list(guids)],
    )
    return {row[0] for row in rows}


def store_feed_guids(
    con: Connection, source_name: str, entries: Sequence[tuple[str, str]], now: datetime
) -> int:
    """Remember (GUID, URL) pairs whose URL has a settled page; return how many are new.

    Call it after :func:`store_batch` in the same transaction. A GUID whose page failed (a 503,
    a timeout) is not stored, so the entry is tried again next run; a GUID stored once keeps its
    first URL.
    """
    pairs = {guid: url for guid, url in reversed(entries)}  # the first URL of a repeated GUID
    if not pairs:
        return 0
    before: int = fetch_all(con, "SELECT count(*) FROM feed_entries")[0][0]
    con.execute(
        "INSERT INTO feed_entries SELECT ?, e.guid, e.url, ?"  # noqa: S608 - SETTLED is a constant
        " FROM (SELECT unnest(?::TEXT[]) AS guid, unnest(?::TEXT[]) AS url) AS e"
        f" WHERE e.url IN (SELECT url FROM pages WHERE {SETTLED})"
        " ON CONFLICT (source_name, guid) DO NOTHING",
        [source_name, now, list(pairs), list(pairs.values())],
    )
    after: int = fetch_all(con, "SELECT count(*) FROM feed_entries")[0][0]
    return after - before


def select_validators(con: Connection, url: str) -> tuple[str | None, str | None]:
    """Return the stored (ETag, Last-Modified) of ``url``."""
    rows = fetch_all(con, "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url])
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def upsert_validators(con: Connection, fetched: Fetched) -> None:
    """Remember the validators of a 200 response for the next conditional GET."""
    etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
    if fetched.status != 200 or not (etag or modified):
        return
    con.execute(
        "INSERT INTO http_cache VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
        " etag = excluded.etag, last_modified = excluded.last_modified,"
        " updated_at = excluded.updated_at",
        [fetched.url, etag, modified, fetched.fetched_at],
    )


def store_batch(
    con: Connection, pages: Sequence[PageRecord], articles: Sequence[ArticleRecord], now: datetime
) -> BatchResult:
    """Store one source's pages and articles and merge their agreements; idempotent.

    Set-based: known keys are read once, new rows go in with the appender, one statement per
    table whatever the batch size. Run it inside a transaction (a single writer holds the file).
    """
    by_id = {p.page_id: p for p in pages}
    known = {r[0] for r in fetch_all(con, KNOWN_PAGES, [list(by_id)])} if by_id else set()
    new_pages = [_page_row(p, now) for page_id, p in by_id.items() if page_id not in known]
    append_rows(con, "pages", PAGE_COLUMNS, new_pages)
    fresh = fresh_articles(con, articles)
    append_rows(con, "articles", ARTICLE_COLUMNS, [article_row(r, now) for r in fresh])
    reports = [
        Report(r.article.article_id, agreement, r.extraction.extractor_version)
        for r in fresh
        for agreement in r.extraction.agreements
    ]
    linked = link_reports(con, reports, now)
    return BatchResult(len(new_pages), len(fresh), linked.new_agreements, linked.new_sources)


def text_hash(text: str) -> str:
    """Return the sha256 of an article's text: the same text under two URLs is one article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fresh_articles(
    con: Connection, records: Sequence[ArticleRecord], ignore: frozenset[str] = frozenset()
) -> list[ArticleRecord]:
    """Return the records whose article (by id or by text) is stored neither yet nor earlier here.

    Stored articles whose id is in ``ignore`` do not count (re-extract replaces them).
    """
    if not records:
        return []
    ids = [r.article.article_id for r in records]
    hashes = [text_hash(r.article.text) for r in records]
    rows = fetch_all(
        con,
        "SELECT article_id, text_hash FROM articles"
        " WHERE article_id IN (SELECT unnest(?::TEXT[]))"
        " OR text_hash IN (SELECT unnest(?::TEXT[]))",
        [ids, hashes],
    )
    seen = {
        value
        for article_id, hashed in rows
        if article_id not in ignore
        for value in (article_id, hashed)
    }
    fresh: list[ArticleRecord] = []
    for record, article_id, hashed in zip(records, ids, hashes, strict=True):
        if article_id in seen or hashed in seen:  # same content under another URL: one article
            continue
        seen.update((article_id, hashed))
        fresh.append(record)
    return fresh


def _page_row(page: PageRecord, now: datetime) -> tuple[object, ...]:
    fetched = page.fetched
    return (
        page.page_id,
        page.url,
        page.canonical_url,
        page.source_name,
        fetched.fetched_at if fetched else now,
        fetched.status if fetched else None,
        page.status,
        page.reason,
        json.dumps(fetched.headers) if fetched else None,
        fetched.content_hash if fetched else None,
        gzip.compress(fetched.body, compresslevel=6, mtime=0) if fetched and fetched.body else None,
    )


def article_row(record: ArticleRecord, now: datetime) -> tuple[object, ...]:
    """Return the articles row (ARTICLE_COLUMNS order) of one record."""
    article = record.article
    found = record.extraction.background_agreements
    background = (
        json.dumps([agreement_json(a) for a in found], ensure_ascii=False) if found else "[]"
    )
    return (
        article.article_id,
        record.page_id,
        article.url,
        article.canonical_url,
        article.source_name,
        article.title,
        article.published_on,
        article.lang,
        article.text,
        text_hash(article.text),
        record.extraction.is_signing,
        record.extraction.extractor_version,
        now,
        background,
    )


def record_source_run(
    con: Connection, source_name: str, error: str | None, counts: dict[str, int], now: datetime
) -> None:
    """Record the outcome of one source's run in source_state."""
    status = "failed" if error else "ok"
    con.execute(
        "INSERT INTO source_state VALUES (?, NULL, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source_name) DO UPDATE SET last_run_at = excluded.last_run_at,"
        " last_success_at = coalesce(excluded.last_success_at, source_state.last_success_at),"
        " last_status = excluded.last_status, last_error = excluded.last_error,"
        " last_counts = excluded.last_counts",
        [source_name, now, None if error else now, status, error, json.dumps(counts)],
    )


def record_run(
    con: Connection,
    run_id: str,
    flow: str,
    started_at: datetime,
    status: str,
    counts: dict[str, int],
) -> None:
    """Record one flow run with its counts."""
    con.execute(
        "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET"
        " finished_at = excluded.finished_at, status = excluded.status, counts = excluded.counts",
        [run_id, flow, started_at, datetime.now(UTC), status, json.dumps(counts)],
    )


def select_cursor(con: Connection, source_name: str) -> str | None:
    """Return the source's discovery cursor (newest entry or lastmod seen), None at first."""
    rows = fetch_all(con, "SELECT cursor FROM source_state WHERE source_name = ?", [source_name])
    return rows[0][0] if rows else None


def upsert_cursor(con: Connection, source_name: str, cursor: str | None) -> None:
    """Store the source's discovery cursor (the row is created when the source is new)."""
    con.execute(
        "INSERT INTO source_state (source_name, cursor) VALUES (?, ?)"
        " ON CONFLICT (source_name) DO UPDATE SET cursor = excluded.cursor",
        [source_name, cursor],
    )
