"""Prefect wiring of the ingest: sources.yaml -> pages -> articles -> agreements -> DuckDB."""

from __future__ import annotations

import dataclasses
import functools
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.aliases import AliasTable
from flows.collect import Harvest, harvest_source, run_by_host
from flows.config import SourceConfig, load_sources_file
from flows.errors import PactwatchError
from flows.extract import RuleExtractor
from flows.fetch import HttpFetcher
from flows.politeness import PoliteFetcher
from flows.settings import Settings
from warehouse.db import connect, transaction
from warehouse.digest_store import upsert_sources
from warehouse.ingest_store import (
    BatchResult,
    record_run,
    record_source_run,
    select_cursor,
    select_known_guids,
    select_settled_urls,
    select_validators,
    store_batch,
    store_feed_guids,
    upsert_cursor,
    upsert_validators,
)

DB_WAIT_S = 30.0  # a digest writing the same file finishes within seconds
MAX_PARALLEL_HOSTS = 16
COUNT_KEYS = ("entries", "known", "new_pages", "skipped", "failed", "not_modified", "new_articles")


class _Warehouse:
    """Serialises every DuckDB use of one run: reads from host threads, writes from the flow."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()

    def known(self, urls: list[str]) -> set[str]:
        with self.lock, connect(self.path, wait_s=DB_WAIT_S) as con:
            return select_settled_urls(con, urls)

    def known_guids(self, source_name: str, guids: list[str]) -> set[str]:
        with self.lock, connect(self.path, wait_s=DB_WAIT_S) as con:
            return select_known_guids(con, source_name, guids)

    def state(self, source: SourceConfig) -> tuple[tuple[str | None, str | None], str | None]:
        with self.lock, connect(self.path, wait_s=DB_WAIT_S) as con:
            return select_validators(con, str(source.url)), select_cursor(con, source.name)


@task(cache_policy=NO_CACHE, task_run_name="harvest-{source.name}")
def harvest(
    source: SourceConfig, fetcher: PoliteFetcher, extractor: RuleExtractor, store: _Warehouse
) -> Harvest:
    """Discover, fetch, parse and extract one source (no writes); failures come back recorded."""
    started = time.monotonic()
    validators, cursor = store.state(source)
    polite = fetcher.with_delay(source.min_delay_s)
    guids = functools.partial(store.known_guids, source.name)
    got = harvest_source(source, polite, extractor, store.known, validators, cursor, guids)
    return dataclasses.replace(got, elapsed_s=time.monotonic() - started)


@task(
    retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, task_run_name="load-{got.source_name}"
)
def load_batch(store: _Warehouse, got: Harvest) -> BatchResult:
    """Store one source's pages, articles, agreements, GUIDs and validators in one transaction."""
    now = datetime.now(UTC)
    with store.lock, connect(store.path, wait_s=DB_WAIT_S) as con, transaction(con):
        result = store_batch(con, got.pages, got.records, now)
        store_feed_guids(con, got.source_name, got.guids, now)
        if got.index is not None:
            upsert_validators(con, got.index)
        return result


@task(cache_policy=NO_CACHE, task_run_name="record-{source_name}")
def record_source(
    store: _Warehouse,
    source_name: str,
    error: str | None,
    counts: dict[str, int],
    cursor: str | None,
) -> None:
    """Record one source's outcome (and its sitemap cursor) for `pactwatch status`."""
    with store.lock, connect(store.path, wait_s=DB_WAIT_S) as con:
        record_source_run(con, source_name, error, counts, datetime.now(UTC))
        if cursor is not None:
            upsert_cursor(con, source_name, cursor)


@flow(name="ingest-partnerships", log_prints=False)
def ingest(
    sources_path: str = "sources.yaml",
    db_path: str = "warehouse/pactwatch.duckdb",
    host_overrides: dict[str, str] | None = None,
    fetch_options: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Fetch every enabled source (hosts in parallel), extract agreements, load them per source.

    ``fetch_options`` are HttpFetcher keywords (``retries``, ``backoff_s``, ``connect_timeout_s``,
    ``read_timeout_s``, ``total_timeout_s``, ...); the tests use them for sub-second timeouts.
    """
    logger = get_run_logger()
    started_at = datetime.now(UTC)
    settings = Settings()
    config = load_sources_file(Path(sources_path))
    store = _Warehouse(Path(db_path))
    options: dict[str, Any] = {"max_bytes": settings.max_page_bytes, **(fetch_options or {})}
    http = HttpFetcher(settings.user_agent, host_overrides=host_overrides, **options)
    fetcher = PoliteFetcher(http, settings.user_agent)
    extractor = RuleExtractor(AliasTable.bundled().extended(config.aliases))
    with store.lock, connect(store.path, wait_s=DB_WAIT_S) as con:
        rows = [(s.name, s.kind, str(s.url), s.site_name) for s in config.sources]
        upsert_sources(con, rows, started_at)
    summary: list[dict[str, Any]] = []
    work = lambda source: harvest(source, fetcher, extractor, store)  # noqa: E731 - closure
    for got in run_by_host(config.enabled, work, MAX_PARALLEL_HOSTS):
        counts, error = _load(store, got)
        record_source(store, got.source_name, error, counts, got.cursor)
        level = logger.warning if error else logger.info
        level("source=%s %s", got.source_name, " ".join(f"{k}={v}" for k, v in counts.items()))
        summary.append(
            {
                "source": got.source_name,
                "error": error,
                "seconds": round(got.elapsed_s, 2),
                **counts,
            }
        )
    order = [s.name for s in config.enabled]
    summary.sort(key=lambda s: order.index(s["source"]))
    totals = {k: sum(s[k] for s in summary) for k in ("entries", "new_pages", "new_agreements")}
    totals["failed_sources"] = sum(1 for s in summary if s["error"])
    with store.lock, connect(store.path, wait_s=DB_WAIT_S) as con:
        status = "partial" if totals["failed_sources"] else "ok"
        record_run(con, uuid.uuid4().hex, "ingest", started_at, status, totals)
    return {"sources": summary, **totals}


def _load(store: _Warehouse, got: Harvest) -> tuple[dict[str, int], str | None]:
    """Load one harvest; return its counts and the source's error (None when it went well)."""
    counts = dict.fromkeys((*COUNT_KEYS, "new_agreements"), 0)
    counts.update(entries=got.entries, known=got.known, not_modified=got.not_modified)
    for page in got.pages:
        if page.status in ("skipped", "failed"):
            counts[page.status] += 1
    if got.error:
        return counts, got.error
    try:
        result = load_batch(store, got)
    except PactwatchError as exc:
        return counts, str(exc)
    counts.update(new_pages=result.new_pages, new_articles=result.new_articles)
    counts["new_agreements"] = result.new_agreements
    return counts, None
