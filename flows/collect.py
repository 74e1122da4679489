"""A source's entries -> page records -> articles -> extractions; bad pages are recorded skips."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from flows.article import parse_article
from flows.config import SourceConfig
from flows.errors import FetchError, ParseError, RobotsDenied, TooLarge
from flows.extract import Extractor
from flows.fetch import Fetcher
from flows.models import Article, ArticleRecord, FeedEntry, PageRecord

LOGGER = logging.getLogger(__name__)
HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


def fetch_pages(
    source: SourceConfig, entries: Iterable[FeedEntry], fetcher: Fetcher
) -> list[PageRecord]:
    """Fetch each entry's page; a failure becomes a record with a reason, never an exception."""
    pages: list[PageRecord] = []
    for entry in entries:
        try:
            fetched = fetcher.fetch(entry.url)
        except RobotsDenied:
            pages.append(PageRecord(entry.url, source.name, "skipped", "robots"))
        except TooLarge:
            pages.append(PageRecord(entry.url, source.name, "skipped", "too_large"))
        except FetchError as exc:
            reason = f"http_{exc.status}" if exc.status else "network"
            pages.append(PageRecord(entry.url, source.name, "failed", reason))
        else:
            pages.append(PageRecord(entry.url, source.name, "fetched", None, fetched))
        LOGGER.debug("page source=%s url=%s status=%s", source.name, entry.url, pages[-1].status)
    return pages


def parse_pages(
    source: SourceConfig, pages: Sequence[PageRecord]
) -> tuple[list[PageRecord], list[tuple[PageRecord, Article]]]:
    """Parse fetched pages; return every page record (skips annotated) and the articles found."""
    records: list[PageRecord] = []
    articles: list[tuple[PageRecord, Article]] = []
    for page in pages:
        if page.fetched is None:
            records.append(page)
            continue
        content_type = page.fetched.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(HTML_TYPES):  # none given: try HTML
            records.append(_skipped(page, "not_html"))
            continue
        try:
            article = parse_article(
                page.fetched,
                encoding=source.encoding,
                language=source.language,
                source_name=source.name,
                owner=source.owner,
            )
        except ParseError as exc:
            records.append(_skipped(page, exc.reason))
            continue
        kept = PageRecord(
            page.url, page.source_name, "fetched", None, page.fetched, article.canonical_url
        )
        records.append(kept)
        articles.append((kept, article))
    return records, articles


def extract_articles(
    articles: Sequence[tuple[PageRecord, Article]], extractor: Extractor
) -> list[ArticleRecord]:
    """Run the extractor over each article."""
    return [
        ArticleRecord(page.page_id, article, extractor.extract(article))
        for page, article in articles
    ]


def _skipped(page: PageRecord, reason: str) -> PageRecord:
    return PageRecord(page.url, page.source_name, "skipped", reason, page.fetched)
