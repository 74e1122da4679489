"""parse_index(source, fetched): a source's feed, listing or sitemap -> its article entries."""

from __future__ import annotations

import re
from dataclasses import replace

from flows.config import HtmlListingSource, SitemapSource, SourceConfig
from flows.decode import decode_body
from flows.discover_feed import parse_feed
from flows.discover_listing import parse_listing
from flows.discover_sitemap import parse_sitemap
from flows.models import FeedEntry, Fetched
from flows.urls import normalise_url


def parse_index(source: SourceConfig, fetched: Fetched) -> list[FeedEntry]:
    """Return the entries of one fetched index, filtered and capped by the source's settings."""
    entries = raw_entries(source, fetched)
    return select_entries(entries, source.include, source.exclude, source.max_items)


def raw_entries(source: SourceConfig, fetched: Fetched) -> list[FeedEntry]:
    """Return every entry one fetched index lists, before include/exclude and the cap."""
    if isinstance(source, HtmlListingSource):
        html = decode_body(fetched, source.encoding)
        entries = parse_listing(html, fetched.url, source.item_selector)
    elif isinstance(source, SitemapSource):
        entries = parse_sitemap(fetched.body)
    else:
        entries = parse_feed(fetched.body, fetched.url)
    return entries


def excluded_urls(
    entries: list[FeedEntry], include: tuple[str, ...], exclude: tuple[str, ...]
) -> list[str]:
    """Return the normalised URLs that include/exclude patterns reject, each once."""
    rejected = {normalise_url(e.url) for e in entries}
    return sorted(u for u in rejected if not _wanted(u, include, exclude))


def select_entries(
    entries: list[FeedEntry], include: tuple[str, ...], exclude: tuple[str, ...], max_items: int
) -> list[FeedEntry]:
    """Drop excluded and duplicate URLs, keep include matches, cap the count; URLs normalised.

    The normal form (no fragment, no tracking parameters) is what is fetched and stored, so the
    same article linked with ``?utm_source=...`` is not fetched twice.
    """
    seen: set[str] = set()
    chosen: list[FeedEntry] = []
    for entry in entries:
        url = normalise_url(entry.url)
        if url in seen or not _wanted(url, include, exclude):
            continue
        seen.add(url)
        chosen.append(replace(entry, url=url))
    return chosen[:max_items]


def _wanted(url: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    if any(re.search(p, url) for p in exclude):
        return False
    return not include or any(re.search(p, url) for p in include)
