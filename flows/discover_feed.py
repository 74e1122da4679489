"""RSS and Atom feed bytes -> entries, with feedparser (it handles every RSS/Atom dialect)."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from flows.errors import ParseError
from flows.models import FeedEntry

# Feeds and sitemaps never need their own entities; a DTD that declares some is an
# entity-expansion ("billion laughs") or external-entity attack, refused before any parser runs.
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
PROLOGUE_BYTES = 65_536


def reject_entity_declarations(body: bytes) -> None:
    """Raise ParseError("unsafe_xml") when the XML declares entities in its DTD."""
    head = body[:PROLOGUE_BYTES]
    if b"<!DOCTYPE" in head.upper() and ENTITY_DECLARATION.search(head):
        raise ParseError("unsafe_xml", "the document declares XML entities")


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Return the feed's entries in feed order; raise ParseError when it is not a feed."""
    reject_entity_declarations(body)
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and (not feed.get("version") or _broken(feed)):
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


def _broken(feed: Any) -> bool:
    """Return whether the XML itself is broken (bozo is also set for a missing content-type)."""
    problem = feed.get("bozo_exception")
    harmless = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    return problem is not None and not isinstance(problem, harmless)


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
