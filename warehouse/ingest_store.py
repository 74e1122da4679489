"""Ingest writes: pages with raw bytes, articles, agreements merged across sources, source state."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flows.models import Agreement, ArticleRecord, Fetched, PageRecord
from warehouse.db import Connection, execute_many, fetch_all
from warehouse.merge import StoredAgreement, find_same_signing

# Pages in these states are not fetched again; transient failures are retried next run.
SETTLED = "status = 'fetched' OR (status = 'skipped' AND reason IN ('not_article', 'duplicate'))"


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
    """Store one source's pages and articles and merge their agreements; idempotent."""
    before_pages = _count(con, "pages")
    execute_many(
        con,
        "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [_page_row(p, now) for p in pages],
    )
    new_articles = new_agreements = new_sources = 0
    for record in articles:
        if not _insert_article(con, record, now):
            continue
        new_articles += 1
        for agreement in record.extraction.agreements:
            created, linked = _link_agreement(con, agreement, record.article.article_id, now)
            new_agreements += created
            new_sources += linked
    return BatchResult(
        _count(con, "pages") - before_pages, new_articles, new_agreements, new_sources
    )


def _page_row(page: PageRecord, now: datetime) -> list[object]:
    fetched = page.fetched
    return [
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
        gzip.compress(fetched.body, mtime=0) if fetched and fetched.body else None,
    ]


def _insert_article(con: Connection, record: ArticleRecord, now: datetime) -> bool:
    article = record.article
    text_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    known = fetch_all(
        con,
        "SELECT 1 FROM articles WHERE article_id = ? OR text_hash = ?",
        [article.article_id, text_hash],
    )
    if known:  # same content under another URL is the same article
        return False
    con.execute(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article.article_id,
            record.page_id,
            article.url,
            article.canonical_url,
            article.source_name,
            article.title,
            article.published_on,
            article.lang,
            article.text,
            text_hash,
            record.extraction.is_signing,
            record.extraction.extractor_version,
            now,
        ],
    )
    return True


def _link_agreement(
    con: Connection, agreement: Agreement, article_id: str, now: datetime
) -> tuple[int, int]:
    rows = fetch_all(
        con,
        "SELECT agreement_id, parties, signed_on, reported_on FROM agreements WHERE parties = ?",
        [list(agreement.parties)],
    )
    stored = [StoredAgreement(r[0], tuple(r[1]), r[2], r[3]) for r in rows]
    agreement_id = find_same_signing(agreement, stored)
    created = 0
    if agreement_id is None:
        agreement_id = agreement.agreement_id
        con.execute(
            "INSERT INTO agreements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            _agreement_row(agreement_id, agreement, now),
        )
        created = 1
    linked = fetch_all(
        con,
        "INSERT INTO agreement_sources VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1",
        [agreement_id, article_id, agreement.evidence, agreement.confidence, now],
    )
    return created, len(linked)


def _agreement_row(agreement_id: str, agreement: Agreement, now: datetime) -> list[object]:
    amounts = [
        {"currency": a.currency, "value": a.value, "text": a.text} for a in agreement.amounts
    ]
    return [
        agreement_id,
        list(agreement.parties),
        list(agreement.parties_as_written),
        agreement.agreement_type,
        agreement.title,
        agreement.signed_on,
        agreement.reported_on,
        agreement.location,
        list(agreement.fields),
        json.dumps(amounts, ensure_ascii=False),
        agreement.evidence,
        agreement.confidence,
        now,
    ]


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


def _count(con: Connection, table: str) -> int:
    rows = fetch_all(con, f"SELECT count(*) FROM {table}")  # noqa: S608 - table is a constant here
    return int(rows[0][0])
