"""Prefect wiring of the ingest: sources.yaml -> pages -> articles -> agreements -> DuckDB."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.aliases import AliasTable
from flows.collect import extract_articles, fetch_pages, parse_pages
from flows.config import SourceConfig, load_sources_file
from flows.discover import parse_index
from flows.errors import ConfigError, FetchError, PactwatchError, ParseError
from flows.extract import RuleExtractor
from flows.fetch import HttpFetcher
from flows.models import FeedEntry, PageRecord
from flows.politeness import PoliteFetcher
from flows.settings import Settings
from warehouse.db import connect, transaction
from warehouse.digest_store import upsert_sources
from warehouse.ingest_store import (
    BatchResult,
    record_run,
    record_source_run,
    select_settled_urls,
    select_validators,
    store_batch,
    upsert_validators,
)

DB_WAIT_S = 30.0  # a digest writing the same file finishes within seconds


@task(cache_policy=NO_CACHE, task_run_name="discover-{source.name}")
def discover_entries(
    source: SourceConfig, fetcher: PoliteFetcher, db_path: Path
) -> list[FeedEntry]:
    """Fetch one source's feed or listing (conditionally) and list its not-yet-stored entries."""
    url = str(source.url)
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        etag, modified = select_validators(con, url)
    fetched = fetcher.fetch(url, etag=etag, last_modified=modified)
    if fetched.status == 304:
        return []
    entries = parse_index(source, fetched)
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        settled = select_settled_urls(con, [e.url for e in entries])
        upsert_validators(con, fetched)
    return [e for e in entries if e.url not in settled]


@task(cache_policy=NO_CACHE, task_run_name="fetch-{source.name}")
def fetch_source_pages(
    source: SourceConfig, entries: list[FeedEntry], fetcher: PoliteFetcher
) -> list[PageRecord]:
    """Fetch the pages of one source's new entries, politely."""
    fetcher.min_delay_s = source.min_delay_s
    return fetch_pages(source, entries, fetcher)


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, task_run_name="load-{source_name}")
def load_batch(
    db_path: Path, source_name: str, pages: list[PageRecord], records: list[Any]
) -> BatchResult:
    """Store one source's pages, articles and agreements in one transaction."""
    with connect(db_path, wait_s=DB_WAIT_S) as con, transaction(con):
        return store_batch(con, pages, records, datetime.now(UTC))


@task(cache_policy=NO_CACHE, task_run_name="record-{source_name}")
def record_source(
    db_path: Path, source_name: str, error: str | None, counts: dict[str, int]
) -> None:
    """Record one source's outcome for `pactwatch status`."""
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        record_source_run(con, source_name, error, counts, datetime.now(UTC))


@flow(name="ingest-partnerships", log_prints=False)
def ingest(
    sources_path: str = "sources.yaml",
    db_path: str = "warehouse/pactwatch.duckdb",
    host_overrides: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Fetch every enabled source, extract agreements and load them; return per-source counts."""
    logger = get_run_logger()
    started_at = datetime.now(UTC)
    settings = Settings()
    config = load_sources_file(Path(sources_path))
    database = Path(db_path)
    http = HttpFetcher(
        settings.user_agent, max_bytes=settings.max_page_bytes, host_overrides=host_overrides
    )
    fetcher = PoliteFetcher(http, settings.user_agent)
    extractor = RuleExtractor(AliasTable.bundled().extended(config.aliases))
    with connect(database, wait_s=DB_WAIT_S) as con:
        rows = [(s.name, s.kind, str(s.url), s.site_name) for s in config.sources]
        upsert_sources(con, rows, started_at)
    summary: list[dict[str, Any]] = []
    for source in config.enabled:
        counts, error = _ingest_source(source, fetcher, extractor, database)
        record_source(database, source.name, error, counts)
        level = logger.warning if error else logger.info
        level("source=%s %s", source.name, " ".join(f"{k}={v}" for k, v in counts.items()))
        summary.append({"source": source.name, "error": error, **counts})
    totals = {
        key: sum(s[key] for s in summary) for key in ("entries", "new_pages", "new_agreements")
    }
    totals["failed_sources"] = sum(1 for s in summary if s["error"])
    with connect(database, wait_s=DB_WAIT_S) as con:
        status = "partial" if totals["failed_sources"] else "ok"
        record_run(con, uuid.uuid4().hex, "ingest", started_at, status, totals)
    return {"sources": summary, **totals}


def _ingest_source(
    source: SourceConfig, fetcher: PoliteFetcher, extractor: RuleExtractor, db_path: Path
) -> tuple[dict[str, int], str | None]:
    counts = dict.fromkeys(
        ("entries", "new_pages", "skipped", "failed", "new_articles", "new_agreements"), 0
    )
    try:
        entries = discover_entries(source, fetcher, db_path)
    except (FetchError, ParseError, ConfigError) as exc:  # one dead source never stops the others
        return counts, str(exc)
    counts["entries"] = len(entries)
    pages = fetch_source_pages(source, entries, fetcher)
    records, articles = parse_pages(source, pages)
    extracted = extract_articles(articles, extractor)
    try:
        result = load_batch(db_path, source.name, records, extracted)
    except PactwatchError as exc:
        return counts, str(exc)
    counts["skipped"] = sum(1 for r in records if r.status == "skipped")
    counts["failed"] = sum(1 for r in records if r.status == "failed")
    counts.update(new_pages=result.new_pages, new_articles=result.new_articles)
    counts["new_agreements"] = result.new_agreements
    return counts, None
