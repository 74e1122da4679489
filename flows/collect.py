"""A source's entries -> pages -> articles -> extractions; hosts in parallel, faults recorded."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from flows.article import parse_article
from flows.config import SourceConfig
from flows.discover_walk import walk_index
from flows.errors import FetchError, PactwatchError, ParseError, RobotsDenied, TooLarge
from flows.fetch import Fetcher
from flows.models import Article, ArticleRecord, FeedEntry, Fetched, PageRecord
from flows.politeness import host_of
from flows.progress import ProgressEvent, announce

if TYPE_CHECKING:
    from flows.extract import Extractor

LOGGER = logging.getLogger(__name__)
HTML_TYPES = ("text/html", "application/xhtml", "text/plain")
NOT_HTML_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"RIFF")
T = TypeVar("T")
KnownUrls = Callable[[list[str]], set[str]]
KnownGuids = Callable[[list[str]], set[str]]  # this source's GUIDs already stored with a page


@dataclass(slots=True)
class Harvest:
    """Everything one source gave this run, ready for one warehouse transaction."""

    source_name: str
    error: str | None = None
    index: Fetched | None = None
    cursor: str | None = None
    entries: int = 0
    known: int = 0  # entries already stored (by URL or GUID), not fetched again
    not_modified: int = 0  # 1 when the index answered 304
    pages: list[PageRecord] = field(default_factory=list)
    records: list[ArticleRecord] = field(default_factory=list)
    guids: list[tuple[str, str]] = field(default_factory=list)  # (GUID, URL) of entries tried
    elapsed_s: float = 0.0  # wall time of the harvest, for the run's summary


def harvest_source(
    source: SourceConfig,
    fetcher: Fetcher,
    extractor: Extractor,
    known: KnownUrls,
    validators: tuple[str | None, str | None] = (None, None),
    cursor: str | None = None,
    known_guids: KnownGuids | None = None,
) -> Harvest:
    """Walk one source's index, fetch and parse its new pages; a failure is recorded, not raised.

    An entry is not fetched when its normalised URL or its GUID (when the GUID is a URL) is a
    settled page, or when ``known_guids`` says this source already stored its GUID, whatever its
    URL is now. A feed whose GUIDs change on every fetch is thus deduplicated by URL alone.
    """
    try:
        walk = walk_index(source, fetcher, validators, cursor)
    except PactwatchError as exc:
        announce(ProgressEvent("failed", source.name, status=str(exc)))
        return Harvest(source.name, error=str(exc))
    if walk.not_modified:  # counted in the run's summary; no page row for an unchanged index
        return Harvest(source.name, index=walk.index, cursor=walk.cursor, not_modified=1)
    fresh = unknown_entries(walk.entries, known, known_guids)
    announce(ProgressEvent("discovered", source.name, total=len(fresh)))
    LOGGER.debug("source=%s entries=%d new=%d", source.name, len(walk.entries), len(fresh))
    pages, articles = parse_pages(source, fetch_pages(source, fresh, fetcher))
    pages += [PageRecord(u, source.name, "skipped", "excluded") for u in walk.excluded]
    return Harvest(
        source.name,
        index=walk.index,
        cursor=walk.cursor,
        entries=len(walk.entries),
        known=len(walk.entries) - len(fresh),
        pages=pages,
        records=extract_articles(articles, extractor),
        guids=[(e.guid, e.url) for e in fresh if e.guid],
    )


def unknown_entries(
    entries: Sequence[FeedEntry], known: KnownUrls, known_guids: KnownGuids | None = None
) -> list[FeedEntry]:
    """Return the entries known neither by URL (or URL-like GUID) nor by stored GUID, in order."""
    guids = [e.guid for e in entries if e.guid]
    settled = known([e.url for e in entries] + guids) if entries else set()
    stored = known_guids(guids) if known_guids and guids else set()
    return [
        e
        for e in entries
        if e.url not in settled and e.guid not in settled and e.guid not in stored
    ]


def run_by_host(
    sources: Sequence[SourceConfig], work: Callable[[SourceConfig], T], max_workers: int = 16
) -> Iterator[T]:
    """Run ``work`` on every source: one host's sources in turn, different hosts in parallel.

    Results arrive in the calling thread as each host finishes, so the caller alone writes the
    warehouse. Each thread runs in a copy of the caller's context (Prefect's run context).
    """
    groups: dict[str, list[SourceConfig]] = {}
    for source in sources:
        groups.setdefault(host_of(str(source.url)), []).append(source)
    if not groups:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(groups)))) as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, _run_group, group, work)
            for group in groups.values()
        ]
        for future in as_completed(futures):
            yield from future.result()


def _run_group(group: list[SourceConfig], work: Callable[[SourceConfig], T]) -> list[T]:
    return [work(source) for source in group]


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
        except FetchError as exc:  # reason: "http 503 after 3 tries", "timeout", ...
            pages.append(PageRecord(entry.url, source.name, "failed", exc.reason))
        else:
            pages.append(PageRecord(entry.url, source.name, "fetched", None, fetched))
        page = pages[-1]
        LOGGER.debug(
            "page source=%s url=%s status=%s reason=%s",
            source.name,
            entry.url,
            page.status,
            page.reason,
        )
        announce(ProgressEvent("page", source.name, status=page.status))
    return pages


def parse_pages(
    source: SourceConfig, pages: Sequence[PageRecord]
) -> tuple[list[PageRecord], list[tuple[PageRecord, Article]]]:
    """Parse fetched pages; return every page record (skips annotated) and the articles found."""
    records: list[PageRecord] = []
    articles: list[tuple[PageRecord, Article]] = []
    seen_bodies: set[str] = set()
    for page in pages:
        reason = _precheck(page, seen_bodies)
        if page.fetched is None or reason:
            records.append(_skipped(page, reason) if reason else page)
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


def _precheck(page: PageRecord, seen_bodies: set[str]) -> str | None:
    """Return why a fetched page is skipped before parsing (not_html, not_article, duplicate)."""
    if page.fetched is None:
        return None
    body = page.fetched.body
    content_type = page.fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(HTML_TYPES):  # none given: try HTML
        return "not_html"
    if body.lstrip()[:8].startswith(NOT_HTML_MAGIC):  # a PDF or image labelled text/html
        return "not_html"
    if not body.strip():
        return "not_article"
    if page.fetched.content_hash in seen_bodies:  # the same bytes under two URLs of this run
        return "duplicate"
    seen_bodies.add(page.fetched.content_hash)
    return None


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
