"""Re-extraction writes: stored raw pages out; rebuilt articles, links and retractions in.

Rules (README "Data model"): an article is rebuilt in place when its id (canonical URL + text)
is unchanged, else replaced; each reported agreement joins, by the merge rule, preferably the
agreement its article supported before, so ids stay stable and digests never resend. Once every
chunk is rebuilt, an agreement no article supports any more is deleted if no digest carried it,
and otherwise kept with ``status = 'retracted'`` and ``retracted_at`` (digest_items keep pointing
at it). A later report of it makes it active again.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from flows.models import ArticleRecord, Fetched
from warehouse.agreement_store import LinkResult, Report, link_reports
from warehouse.db import Connection, fetch_all, insert_columns
from warehouse.ingest_store import ARTICLE_COLUMNS, article_row, fresh_articles

PAGE_FILTER = (
    "body_gz IS NOT NULL AND status IN ('fetched', 'skipped')"
    " AND (?::TIMESTAMPTZ IS NULL OR fetched_at >= ?::TIMESTAMPTZ)"
)
PAGE_COLUMNS = "page_id, url, source_name, fetched_at, http_status, headers, body_gz"
REBUILD_ARTICLE = (
    "ON CONFLICT (article_id) DO UPDATE SET page_id = excluded.page_id, title = excluded.title,"
    " published_on = excluded.published_on, lang = excluded.lang,"
    " is_signing = excluded.is_signing, extractor_version = excluded.extractor_version,"
    " extracted_at = excluded.extracted_at, background = excluded.background"
)


@dataclass(frozen=True, slots=True)
class StoredPage:
    """One stored page version with its raw bytes, ready to parse again."""

    page_id: str
    url: str
    source_name: str
    fetched_at: datetime
    http_status: int | None
    headers: dict[str, str]
    body: bytes

    def fetched(self) -> Fetched:
        """Return the page as the fetcher first returned it."""
        return Fetched(self.url, self.http_status or 200, self.body, self.headers, self.fetched_at)


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What parsing a stored page gave this time: fetched (an article) or skipped, and why."""

    page_id: str
    status: str
    reason: str | None = None


@dataclass(slots=True)
class RebuildCounts:
    """Counts of one re-extraction run, added up chunk by chunk."""

    pages: int = 0
    articles: int = 0
    new_articles: int = 0
    removed_articles: int = 0
    new_agreements: int = 0
    links: int = 0
    refreshed: set[str] = field(default_factory=set)

    def add(self, pages: int, articles: int, new: int, removed: int, linked: LinkResult) -> None:
        """Add one chunk's counts."""
        self.pages += pages
        self.articles += articles
        self.new_articles += new
        self.removed_articles += removed
        self.new_agreements += linked.new_agreements
        self.links += len(linked.links)


def _since_at(since: date | None) -> datetime | None:
    return datetime.combine(since, time(), UTC) if since else None


def count_pages(con: Connection, since: date | None) -> int:
    """Return how many stored page versions a re-extraction from ``since`` reads."""
    at = _since_at(since)
    rows = fetch_all(con, f"SELECT count(*) FROM pages WHERE {PAGE_FILTER}", [at, at])  # noqa: S608 - constant
    return int(rows[0][0])


def select_pages(
    con: Connection, since: date | None, after: tuple[datetime, str] | None, limit: int
) -> list[StoredPage]:
    """Return up to ``limit`` stored pages after the ``after`` key, oldest fetch first."""
    at = _since_at(since)
    when, page_id = after if after else (datetime.min.replace(tzinfo=UTC), "")
    rows = fetch_all(
        con,
        f"SELECT {PAGE_COLUMNS} FROM pages WHERE {PAGE_FILTER}"  # noqa: S608 - constants
        " AND (fetched_at > ? OR (fetched_at = ? AND page_id > ?))"
        " ORDER BY fetched_at, page_id LIMIT ?",
        [at, at, when, when, page_id, limit],
    )
    return [
        StoredPage(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else {}, _body(r[6]))
        for r in rows
    ]


def _body(blob: Any) -> bytes:
    return gzip.decompress(bytes(blob))


def rebuild_pages(
    con: Connection,
    outcomes: Sequence[PageOutcome],
    records: Sequence[ArticleRecord],
    now: datetime,
    counts: RebuildCounts,
) -> None:
    """Replace the articles and agreement links of these pages with ``records``; one chunk.

    Run it inside a transaction. ``counts.refreshed`` carries, across chunks, the agreements
    whose fields this run already rewrote.
    """
    page_ids = [o.page_id for o in outcomes]
    old = {r[0] for r in fetch_all(con, _ARTICLES_OF_PAGES, [page_ids])}
    previous = _links_of(con, sorted(old))
    fresh = fresh_articles(con, records, ignore=frozenset(old))
    kept = {r.article.article_id for r in fresh}
    insert_columns(
        con, "articles", ARTICLE_COLUMNS, [article_row(r, now) for r in fresh], REBUILD_ARTICLE
    )
    linked = link_reports(con, _reports(fresh, previous), now, counts.refreshed)
    dropped = [
        (agreement_id, article_id)
        for article_id, ids in previous.items()
        for agreement_id in ids
        if (agreement_id, article_id) not in linked.links
    ]
    _delete_links(con, dropped)
    _delete_articles(con, sorted(old - kept))
    _update_pages(con, outcomes)
    counts.add(len(outcomes), len(fresh), len(kept - old), len(old - kept), linked)


def _reports(records: Sequence[ArticleRecord], previous: dict[str, frozenset[str]]) -> list[Report]:
    """Each agreement of each record, remembering what its article supported before."""
    reports: list[Report] = []
    for record in records:
        article_id, version = record.article.article_id, record.extraction.extractor_version
        before = previous.get(article_id, frozenset())
        reports += [Report(article_id, a, version, before) for a in record.extraction.agreements]
    return reports


_ARTICLES_OF_PAGES = "SELECT article_id FROM articles WHERE page_id IN (SELECT unnest(?::TEXT[]))"


def _links_of(con: Connection, article_ids: list[str]) -> dict[str, frozenset[str]]:
    rows = fetch_all(
        con,
        "SELECT article_id, list(agreement_id) FROM agreement_sources"
        " WHERE article_id IN (SELECT unnest(?::TEXT[])) GROUP BY article_id",
        [article_ids],
    )
    return {article_id: frozenset(ids) for article_id, ids in rows}


def _delete_links(con: Connection, pairs: list[tuple[str, str]]) -> None:
    if pairs:
        con.execute(
            "DELETE FROM agreement_sources AS s USING"
            " (SELECT unnest(?::TEXT[]) AS agreement_id, unnest(?::TEXT[]) AS article_id) AS d"
            " WHERE s.agreement_id = d.agreement_id AND s.article_id = d.article_id",
            [[p[0] for p in pairs], [p[1] for p in pairs]],
        )


def _delete_articles(con: Connection, article_ids: list[str]) -> None:
    if article_ids:
        for table in ("agreement_sources", "articles"):
            con.execute(
                f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::TEXT[]))",  # noqa: S608 - constant
                [article_ids],
            )


def _update_pages(con: Connection, outcomes: Sequence[PageOutcome]) -> None:
    if outcomes:
        con.execute(
            "UPDATE pages AS p SET status = n.status, reason = n.reason FROM (SELECT"
            " unnest(?::TEXT[]) AS page_id, unnest(?::TEXT[]) AS status,"
            " unnest(?::TEXT[]) AS reason) AS n WHERE p.page_id = n.page_id"
            " AND (p.status IS DISTINCT FROM n.status OR p.reason IS DISTINCT FROM n.reason)",
            [
                [o.page_id for o in outcomes],
                [o.status for o in outcomes],
                [o.reason for o in outcomes],
            ],
        )


def retract_unsupported(con: Connection, now: datetime) -> tuple[int, int]:
    """Retract digested agreements no article supports; delete undigested ones.

    Returns:
        (retracted, deleted) counts.
    """
    orphans = fetch_all(
        con,
        "SELECT a.agreement_id, EXISTS (SELECT 1 FROM digest_items d"
        "   WHERE d.agreement_id = a.agreement_id), a.status = 'retracted' FROM agreements a"
        " WHERE NOT EXISTS (SELECT 1 FROM agreement_sources s"
        "   WHERE s.agreement_id = a.agreement_id)",
    )
    retract = [r[0] for r in orphans if r[1] and not r[2]]
    delete = [r[0] for r in orphans if not r[1]]
    if retract:
        con.execute(
            "UPDATE agreements SET status = 'retracted', retracted_at = ?"
            " WHERE agreement_id IN (SELECT unnest(?::TEXT[]))",
            [now, retract],
        )
    if delete:
        con.execute(
            "DELETE FROM agreements WHERE agreement_id IN (SELECT unnest(?::TEXT[]))", [delete]
        )
    return len(retract), len(delete)


def record_reextract_run(
    con: Connection,
    run_id: str,
    started_at: datetime,
    finished_at: datetime,
    counts: dict[str, Any],
) -> None:
    """Record the run (its counts carry the extractor version) in ``runs``."""
    con.execute(
        "INSERT INTO runs VALUES (?, 'reextract', ?, ?, 'ok', ?)",
        [run_id, started_at, finished_at, json.dumps(counts)],
    )
