"""Re-extraction, offline: stored raw pages -> parse_article -> RuleExtractor -> warehouse rows."""

from __future__ import annotations

import logging
import multiprocessing
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flows.aliases import AliasTable
from flows.article import parse_article
from flows.config import load_sources_file
from flows.errors import ExtractError, ParseError
from flows.extract import EXTRACTOR_VERSION, RuleExtractor
from flows.models import ArticleRecord
from warehouse.db import connect, transaction
from warehouse.reextract_store import (
    PageOutcome,
    RebuildCounts,
    StoredPage,
    rebuild_pages,
    record_reextract_run,
    retract_unsupported,
    select_pages,
)

LOGGER = logging.getLogger(__name__)
CHUNK_PAGES = 200  # pages per read and per write transaction
HTML_TYPES = ("text/html", "application/xhtml", "text/plain")
Result = tuple[PageOutcome, ArticleRecord | None]


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """The per-source settings parse_article takes."""

    encoding: str | None = None
    language: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Setup:
    """What a re-extraction needs besides pages: extra aliases and per-source parse options."""

    aliases: Mapping[str, list[str]]
    options: Mapping[str, ParseOptions]

    def extractor(self) -> RuleExtractor:
        """Return the current extractor with the bundled aliases plus this setup's."""
        return RuleExtractor(AliasTable.bundled().extended(dict(self.aliases)))


def load_setup(sources_path: Path | None) -> Setup:
    """Read aliases and per-source options from ``sources_path``; none without a file."""
    if sources_path is None:
        return Setup({}, {})
    config = load_sources_file(sources_path)
    options = {s.name: ParseOptions(s.encoding, s.language, s.owner) for s in config.sources}
    return Setup(config.aliases, options)


def process_page(page: StoredPage, setup: Setup, extractor: RuleExtractor) -> Result:
    """Parse and extract one stored page; a page that is no article is a skipped outcome."""
    fetched = page.fetched()
    content_type = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(HTML_TYPES):
        return PageOutcome(page.page_id, "skipped", "not_html"), None
    options = setup.options.get(page.source_name, ParseOptions())
    try:
        article = parse_article(
            fetched,
            encoding=options.encoding,
            language=options.language,
            source_name=page.source_name,
            owner=options.owner,
        )
        extraction = extractor.extract(article)
    except ParseError as exc:
        return PageOutcome(page.page_id, "skipped", exc.reason), None
    except ExtractError:
        LOGGER.warning("extract failed page_id=%s url=%s", page.page_id, page.url)
        return PageOutcome(page.page_id, "skipped", "extract_error"), None
    return PageOutcome(page.page_id, "fetched"), ArticleRecord(page.page_id, article, extraction)


_WORKER: tuple[Setup, RuleExtractor] | None = None


def _init_worker(setup: Setup) -> None:
    global _WORKER  # one extractor per worker process, built once
    _WORKER = (setup, setup.extractor())


def _work(page: StoredPage) -> Result:
    assert _WORKER is not None, "worker not initialised"
    return process_page(page, *_WORKER)


@contextmanager
def page_processor(
    setup: Setup, workers: int
) -> Iterator[Callable[[list[StoredPage]], list[Result]]]:
    """Yield a function that processes a chunk of pages, in ``workers`` processes when > 1.

    The pool forks before any database connection is opened.
    """
    if workers <= 1:
        extractor = setup.extractor()
        yield lambda pages: [process_page(p, setup, extractor) for p in pages]
        return
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (setup,)) as pool:
        yield lambda pages: pool.map(_work, pages, chunksize=max(1, len(pages) // (workers * 4)))


def reextract(
    db_path: Path,
    *,
    now: datetime,
    since: date | None = None,
    sources_path: Path | None = None,
    workers: int = 1,
    wait_s: float = 0.0,
) -> dict[str, Any]:
    """Rebuild articles and agreements from the stored pages fetched on or after ``since``.

    Returns:
        Counts: pages, articles, new_articles, removed_articles, new_agreements, links,
        retracted, deleted, plus the extractor_version.

    Raises:
        DatabaseBusyError: another process holds the database longer than ``wait_s``.
        ConfigError: the sources file is invalid.
    """
    setup = load_setup(sources_path)
    counts = RebuildCounts()
    with page_processor(setup, workers) as run, connect(db_path, wait_s=wait_s) as con:
        after: tuple[datetime, str] | None = None
        while pages := select_pages(con, since, after, CHUNK_PAGES):
            after = (pages[-1].fetched_at, pages[-1].page_id)
            results = run(pages)
            with transaction(con):
                outcomes = [outcome for outcome, _ in results]
                records = [record for _, record in results if record is not None]
                rebuild_pages(con, outcomes, records, now, counts)
            LOGGER.info("reextract chunk pages=%d total=%d", len(pages), counts.pages)
        with transaction(con):
            retracted, deleted = retract_unsupported(con, now)
            summary = _summary(counts, retracted, deleted)
            record_reextract_run(con, uuid.uuid4().hex, now, datetime.now(UTC), summary)
    return summary


def _summary(counts: RebuildCounts, retracted: int, deleted: int) -> dict[str, Any]:
    return {
        "pages": counts.pages,
        "articles": counts.articles,
        "new_articles": counts.new_articles,
        "removed_articles": counts.removed_articles,
        "new_agreements": counts.new_agreements,
        "links": counts.links,
        "retracted": retracted,
        "deleted": deleted,
        "extractor_version": EXTRACTOR_VERSION,
    }
