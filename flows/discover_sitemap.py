"""Sitemap XML bytes -> entries (urlset, news sitemaps) or child sitemaps (sitemapindex)."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from flows.discover_feed import reject_entity_declarations
from flows.errors import ParseError
from flows.models import FeedEntry


def parse_sitemap(body: bytes) -> list[FeedEntry]:
    """Return a urlset's pages, newest lastmod first; a sitemap index is not expanded here.

    A news sitemap's ``<news:publication_date>`` and ``<news:title>`` win over ``lastmod``.
    """
    soup = _soup(body)
    entries = [
        FeedEntry(
            url=loc.get_text(strip=True),
            title=_text(node, "title") or None,
            published_on=_date(_text(node, "publication_date")) or _date(_text(node, "lastmod")),
        )
        for node in soup.find_all("url")
        if (loc := node.find("loc")) is not None and loc.get_text(strip=True)
    ]
    return sorted(entries, key=lambda e: e.published_on or date.min, reverse=True)


def sitemap_children(body: bytes) -> list[FeedEntry]:
    """Return a sitemap index's child sitemaps (url and lastmod), newest first; [] for a urlset."""
    soup = _soup(body)
    index = soup.find("sitemapindex")
    if index is None:
        return []
    children = [
        FeedEntry(url=loc.get_text(strip=True), published_on=_date(_text(node, "lastmod")))
        for node in index.find_all("sitemap")
        if (loc := node.find("loc")) is not None and loc.get_text(strip=True)
    ]
    return sorted(children, key=lambda e: e.published_on or date.max, reverse=True)


def _soup(body: bytes) -> BeautifulSoup:
    reject_entity_declarations(body)
    soup = BeautifulSoup(body, features="xml")  # xml: html mode would empty <loc> and <link>
    if soup.find("urlset") is None and soup.find("sitemapindex") is None:
        raise ParseError("not_a_sitemap")
    return soup


def _text(node: object, name: str) -> str:
    find = getattr(node, "find", None)
    tag = find(name) if find else None
    return str(tag.get_text(strip=True)) if tag is not None else ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
