"""Walk one source's index with a fetcher: listing pages, sitemap index children, the cursor."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flows.config import HtmlListingSource, SitemapSource, SourceConfig
from flows.decode import decode_body
from flows.discover import excluded_urls, raw_entries, select_entries
from flows.discover_listing import next_page_url, parse_listing
from flows.discover_sitemap import parse_sitemap, sitemap_children
from flows.fetch import Fetcher
from flows.models import FeedEntry, Fetched

LOGGER = logging.getLogger(__name__)
MAX_CHILD_SITEMAPS = 10  # a sitemap index of a big site lists hundreds; the newest few suffice


@dataclass(frozen=True, slots=True)
class IndexWalk:
    """What one source's index gave: its first response, the entries, the new cursor."""

    index: Fetched
    entries: list[FeedEntry]
    cursor: str | None = None  # newest sitemap lastmod seen (ISO date), for the next run
    excluded: tuple[str, ...] = ()  # URLs the include/exclude patterns rejected

    @property
    def not_modified(self) -> bool:
        """Return whether the index answered 304 (nothing new)."""
        return self.index.status == 304


def walk_index(
    source: SourceConfig,
    fetcher: Fetcher,
    validators: tuple[str | None, str | None] = (None, None),
    cursor: str | None = None,
) -> IndexWalk:
    """Fetch and read ``source``'s index; raise FetchError or ParseError when it cannot."""
    url = str(source.url)
    first = fetcher.fetch(url, etag=validators[0], last_modified=validators[1])
    if first.status == 304:
        return IndexWalk(first, [], cursor)
    if isinstance(source, HtmlListingSource):
        entries = _walk_listing(source, fetcher, first)
    elif isinstance(source, SitemapSource):
        entries = _walk_sitemap(fetcher, first, _cursor_date(cursor))
        newest = max((e.published_on for e in entries if e.published_on), default=None)
        cursor = max(filter(None, [cursor, newest.isoformat() if newest else None]), default=None)
    else:
        entries = raw_entries(source, first)
    chosen = select_entries(entries, source.include, source.exclude, source.max_items)
    excluded = excluded_urls(entries, source.include, source.exclude)
    return IndexWalk(first, chosen, cursor, tuple(excluded))


def _walk_listing(source: HtmlListingSource, fetcher: Fetcher, first: Fetched) -> list[FeedEntry]:
    entries: list[FeedEntry] = []
    page, seen = first, {first.url}
    for number in range(1, source.max_pages + 1):
        html = decode_body(page, source.encoding)
        entries += parse_listing(html, page.url, source.item_selector)
        if not source.next_page_selector or number == source.max_pages:
            break
        following = next_page_url(html, page.url, source.next_page_selector)
        if following is None or following in seen:
            break
        seen.add(following)
        page = fetcher.fetch(following)
    return entries


def _walk_sitemap(fetcher: Fetcher, first: Fetched, since: date | None) -> list[FeedEntry]:
    children = sitemap_children(first.body)
    if not children:
        return _newer(parse_sitemap(first.body), since)
    entries: list[FeedEntry] = []
    fresh = [
        c for c in children if since is None or c.published_on is None or c.published_on >= since
    ]
    for child in fresh[:MAX_CHILD_SITEMAPS]:
        if child.url == first.url:
            continue
        fetched = fetcher.fetch(child.url)
        if not sitemap_children(fetched.body):  # nested indexes are not followed: bounded
            entries += parse_sitemap(fetched.body)
    return _newer(sorted(entries, key=lambda e: e.published_on or date.min, reverse=True), since)


def _newer(entries: list[FeedEntry], since: date | None) -> list[FeedEntry]:
    """Keep entries past the cursor; an entry without a date is kept (its URL dedupes it)."""
    return [
        e for e in entries if since is None or e.published_on is None or e.published_on >= since
    ]


def _cursor_date(cursor: str | None) -> date | None:
    try:
        return date.fromisoformat(cursor) if cursor else None
    except ValueError:
        return None
