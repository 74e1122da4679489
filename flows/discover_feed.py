"""RSS and Atom feed bytes -> entries, with feedparser (it handles every RSS/Atom dialect)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from flows.errors import ParseError
from flows.models import FeedEntry


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Return the feed's entries in feed order; raise ParseError when it is not a feed."""
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and not feed.get("version"):  # bozo is set for any feed sans content-type
        raise ParseError("not_a_feed", str(feed.get("bozo_exception", "")))
    entries: list[FeedEntry] = []
    for item in feed.entries:
        link = item.get("link") or _alternate_link(item)
        if not link:
            continue
        entries.append(
            FeedEntry(
                url=urljoin(base_url, link),
                title=item.get("title"),
                published_on=_entry_date(item),
                guid=item.get("id"),
            )
        )
    return entries


def _alternate_link(item: Any) -> str | None:
    for link in item.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _entry_date(item: Any) -> date | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()
