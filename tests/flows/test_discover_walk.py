"""walk_index: listing pagination, sitemap index expansion, news sitemaps, the lastmod cursor."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from flows.config import HtmlListingSource, RssSource, SitemapSource
from flows.discover_sitemap import parse_sitemap
from flows.discover_walk import MAX_CHILD_SITEMAPS, walk_index
from flows.errors import FetchError, ParseError
from flows.models import Fetched

BASE = "http://qinghe-news.test"
AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


class DictFetcher:
    """Serves bytes from a dict; records every URL asked for."""

    def __init__(self, pages: dict[str, bytes], status: int = 200) -> None:
        self.pages = pages
        self.status = status
        self.asked: list[str] = []

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        self.asked.append(url)
        if etag and self.status == 304:
            return Fetched(url, 304, b"", {}, AT)
        if url not in self.pages:
            raise FetchError(url, 404, "http 404")
        return Fetched(url, 200, self.pages[url], {"content-type": "text/html"}, AT)


def listing(n: int, next_href: str | None) -> bytes:
    links = "".join(f'<li><a href="/2026/p{n}-{i}.html">item {i}</a></li>' for i in range(2))
    nxt = f'<a class="next" href="{next_href}">next</a>' if next_href else ""
    return f"<html><body><ul>{links}</ul>{nxt}</body></html>".encode()


def listing_source(max_pages: int, selector: str | None = "a.next") -> HtmlListingSource:
    return HtmlListingSource(
        name="qinghe",
        kind="html_listing",
        url=f"{BASE}/list1.html",  # type: ignore[arg-type]
        item_selector="ul a",
        next_page_selector=selector,
        max_pages=max_pages,
    )


def test_listing_follows_next_pages_up_to_max_pages() -> None:
    fetcher = DictFetcher(
        {
            f"{BASE}/list1.html": listing(1, "/list2.html"),
            f"{BASE}/list2.html": listing(2, "/list3.html"),
            f"{BASE}/list3.html": listing(3, "/list4.html"),
        }
    )

    walk = walk_index(listing_source(max_pages=2), fetcher)

    assert [e.url.rsplit("/", 1)[1] for e in walk.entries] == [
        "p1-0.html",
        "p1-1.html",
        "p2-0.html",
        "p2-1.html",
    ]
    assert fetcher.asked == [f"{BASE}/list1.html", f"{BASE}/list2.html"]


def test_listing_next_link_back_to_a_seen_page_stops() -> None:
    fetcher = DictFetcher(
        {
            f"{BASE}/list1.html": listing(1, "/list2.html"),
            f"{BASE}/list2.html": listing(2, "/list1.html"),
        }
    )

    walk = walk_index(listing_source(max_pages=10), fetcher)

    assert len(walk.entries) == 4
    assert fetcher.asked == [f"{BASE}/list1.html", f"{BASE}/list2.html"]


def test_not_modified_index_gives_no_entries() -> None:
    fetcher = DictFetcher({}, status=304)
    source = RssSource(name="q", kind="rss", url=f"{BASE}/rss.xml")  # type: ignore[arg-type]

    walk = walk_index(source, fetcher, ('"v1"', None))

    assert walk.not_modified
    assert walk.entries == []


def urlset(*items: tuple[str, str]) -> bytes:
    body = "".join(f"<url><loc>{BASE}{p}</loc><lastmod>{d}</lastmod></url>" for p, d in items)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()


def index(*children: tuple[str, str]) -> bytes:
    body = "".join(
        f"<sitemap><loc>{BASE}{p}</loc><lastmod>{d}</lastmod></sitemap>" for p, d in children
    )
    xmlns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    return f"<sitemapindex {xmlns}>{body}</sitemapindex>".encode()


def sitemap_source() -> SitemapSource:
    return SitemapSource(name="q", kind="sitemap", url=f"{BASE}/sitemap.xml")  # type: ignore[arg-type]


def test_sitemap_index_is_expanded_and_the_cursor_skips_old_children() -> None:
    fetcher = DictFetcher(
        {
            f"{BASE}/sitemap.xml": index(("/s-11.xml", "2026-11-19"), ("/s-10.xml", "2026-10-31")),
            f"{BASE}/s-11.xml": urlset(("/a.html", "2026-11-19"), ("/b.html", "2026-11-02")),
            f"{BASE}/s-10.xml": urlset(("/old.html", "2026-10-05")),
        }
    )

    first = walk_index(sitemap_source(), fetcher)
    again = walk_index(sitemap_source(), fetcher, cursor=first.cursor)

    assert [e.url for e in first.entries] == [
        f"{BASE}/a.html",
        f"{BASE}/b.html",
        f"{BASE}/old.html",
    ]
    assert first.cursor == "2026-11-19"
    assert [e.url for e in again.entries] == [f"{BASE}/a.html"]  # same day kept; URL dedupe
    assert f"{BASE}/s-10.xml" not in fetcher.asked[3:]  # the second walk skipped the old child


def test_sitemap_index_expansion_is_bounded() -> None:
    children = [(f"/s{i}.xml", f"2026-11-{i + 1:02d}") for i in range(MAX_CHILD_SITEMAPS + 5)]
    pages = {f"{BASE}/sitemap.xml": index(*children)}
    pages |= {f"{BASE}{p}": urlset((f"/{p[1:-4]}.html", d)) for p, d in children}
    fetcher = DictFetcher(pages)

    walk = walk_index(sitemap_source(), fetcher)

    assert len(fetcher.asked) == 1 + MAX_CHILD_SITEMAPS
    assert len(walk.entries) == MAX_CHILD_SITEMAPS
    assert walk.entries[0].published_on == date(2026, 11, 15)  # the newest children first


def test_news_sitemap_publication_date_and_title_win() -> None:
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        b' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>http://qinghe-news.test/n.html</loc><lastmod>2026-11-20</lastmod>"
        b"<news:news><news:publication_date>2026-11-18T09:00:00+08:00</news:publication_date>"
        b"<news:title>Bridge works start</news:title></news:news></url></urlset>"
    )

    (entry,) = parse_sitemap(body)

    assert (entry.published_on, entry.title) == (date(2026, 11, 18), "Bridge works start")


def test_sitemap_declaring_entities_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaa">]>'
        b"<urlset><url><loc>&a;</loc></url></urlset>"
    )

    with pytest.raises(ParseError) as caught:
        parse_sitemap(body)

    assert caught.value.reason == "unsafe_xml"
