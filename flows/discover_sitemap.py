"""Sitemap XML bytes -> entries (urlset) or child sitemap URLs (sitemapindex)."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from flows.errors import ParseError
from flows.models import FeedEntry


def parse_sitemap(body: bytes) -> list[FeedEntry]:
    """Return a urlset's pages, newest lastmod first; a sitemap index is not expanded here."""
    soup = BeautifulSoup(body, features="xml")  # xml: html mode would empty <loc> and <link>
    if soup.find("urlset") is None and soup.find("sitemapindex") is None:
        raise ParseError("not_a_sitemap")
    entries = [
        FeedEntry(url=loc.get_text(strip=True), published_on=_lastmod(node))
        for node in soup.find_all("url")
        if (loc := node.find("loc")) is not None and loc.get_text(strip=True)
    ]
    return sorted(entries, key=lambda e: e.published_on or date.min, reverse=True)


def _lastmod(node: object) -> date | None:
    find = getattr(node, "find", None)
    tag = find("lastmod") if find else None
    text = tag.get_text(strip=True) if tag is not None else ""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
