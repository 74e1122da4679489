"""Listing page HTML + CSS selector -> entries, links made absolute."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup
from soupsieve import SelectorSyntaxError

from flows.errors import ConfigError, ParseError
from flows.models import FeedEntry


def parse_listing(html: str, base_url: str, item_selector: str) -> list[FeedEntry]:
    """Return the links the selector picks, in page order; ConfigError for a broken selector."""
    try:
        soup = BeautifulSoup(html, "lxml")
    except ParserRejectedMarkup as exc:
        raise ParseError("not_html", str(exc)) from exc
    try:
        nodes = soup.select(item_selector)
    except (SelectorSyntaxError, ValueError) as exc:  # soupsieve 4: not a ValueError
        raise ConfigError(f"item_selector {item_selector!r} is not valid CSS: {exc}") from exc
    entries: list[FeedEntry] = []
    for node in nodes:
        anchor = node if node.name == "a" else node.find("a")
        href = anchor.get("href") if anchor is not None else None
        if not isinstance(href, str) or not href.strip():
            continue
        url = urljoin(base_url, href.strip())
        if urlsplit(url).scheme in {"http", "https"}:
            title = anchor.get_text(" ", strip=True) if anchor is not None else None
            entries.append(FeedEntry(url=url, title=title or None))
    return entries


def next_page_url(html: str, base_url: str, selector: str) -> str | None:
    """Return the absolute http(s) URL of the first link ``selector`` picks, if any."""
    try:
        nodes = BeautifulSoup(html, "lxml").select(selector)
    except (SelectorSyntaxError, ValueError) as exc:
        raise ConfigError(f"next_page_selector {selector!r} is not valid CSS: {exc}") from exc
    for node in nodes:
        anchor = node if node.name == "a" else node.find("a")
        href = anchor.get("href") if anchor is not None else None
        if isinstance(href, str) and href.strip():
            url = urljoin(base_url, href.strip())
            if urlsplit(url).scheme in {"http", "https"}:
                return url
    return None
