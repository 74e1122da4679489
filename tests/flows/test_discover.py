"""Feeds, listings and sitemaps -> entries; parse_index dispatch; select_entries filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.config import HtmlListingSource, SitemapSource, load_sources
from flows.discover import parse_index, select_entries
from flows.discover_feed import parse_feed
from flows.discover_listing import parse_listing
from flows.discover_sitemap import parse_sitemap
from flows.errors import ConfigError, ParseError
from flows.models import FeedEntry

LAKESIDE = "http://lakeside-wire.test"


@pytest.fixture
def lakeside(fixture_sites: Path) -> Path:
    return fixture_sites / "lakeside-wire.test"


def test_rss2_items_become_entries_in_feed_order(lakeside: Path) -> None:
    entries = parse_feed((lakeside / "rss.xml").read_bytes(), f"{LAKESIDE}/rss.xml")

    assert entries == [
        FeedEntry(
            url=f"{LAKESIDE}/2026/11/ferry-winter.html",
            title="Ferry timetable changes for the winter season",
            published_on=date(2026, 11, 16),
            guid="lakeside-ferry-winter",
        ),
        FeedEntry(
            url=f"{LAKESIDE}/2026/11/repair-cafe.html",
            title="Town council opens a repair cafe",
            published_on=date(2026, 11, 13),
            guid=None,
        ),
        FeedEntry(url=f"{LAKESIDE}/2026/11/undated.html", title="Undated note"),
    ]


def test_demo_rss_feed_dates_are_utc_dates(demo_site: Path) -> None:
    body = (demo_site / "binhai-university/feed.xml").read_bytes()

    entries = parse_feed(body, "http://demo.invalid/binhai-university/feed.xml")

    assert [e.published_on for e in entries] == [
        date(2026, 11, 25),
        date(2026, 11, 18),
        date(2026, 11, 10),
        date(2026, 11, 5),
    ]
    assert all(e.guid == e.url for e in entries)


def test_atom_entry_picks_rel_alternate_over_rel_related(lakeside: Path) -> None:
    entries = parse_feed((lakeside / "atom.xml").read_bytes(), f"{LAKESIDE}/atom.xml")

    assert [e.url for e in entries] == [
        f"{LAKESIDE}/2026/11/harbour-lights.html",
        f"{LAKESIDE}/2026/11/bus-shelter.html",
    ]
    assert entries[0].guid == "tag:lakeside-wire.test,2026:harbour-lights"
    assert entries[0].published_on == date(2026, 11, 18)  # published, not updated
    assert entries[1].published_on == date(2026, 11, 10)  # only updated is given


def test_demo_atom_feed_related_link_is_not_the_entry(demo_site: Path) -> None:
    body = (demo_site / "harbor-tech-wire/atom.xml").read_bytes()

    entries = parse_feed(body, "http://demo.invalid/harbor-tech-wire/atom.xml")

    assert [e.url.rsplit("/", 1)[1] for e in entries] == [
        "greenfield-ends-contract.html",
        "nanhu-chip-launch.html",
        "harbor-greenfield-jv.html",
    ]
    assert entries[2].published_on == date(2026, 11, 20)


def test_garbage_bytes_are_not_a_feed() -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(b"this is not xml at all <<<", f"{LAKESIDE}/rss.xml")

    assert caught.value.reason == "not_a_feed"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html><body><p>Our feed moved.</p></body></html>", id="well-formed-html"),
        pytest.param(b'{"items": []}', id="json"),
        pytest.param(
            b"",
            id="empty-body",
        ),
    ],
)
def test_non_feed_bodies_are_not_a_feed(body: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(body, f"{LAKESIDE}/rss.xml")

    assert caught.value.reason == "not_a_feed"


def test_home_page_served_as_the_feed_is_not_a_feed(lakeside: Path) -> None:
    with pytest.raises(ParseError, match="not_a_feed"):
        parse_feed((lakeside / "home.html").read_bytes(), f"{LAKESIDE}/rss.xml")


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
    ],
    ids=["rss", "atom"],
)
def test_valid_feed_with_no_items_has_no_entries(body: bytes) -> None:
    assert parse_feed(body, f"{LAKESIDE}/rss.xml") == []


def test_listing_selector_picks_links_and_makes_them_absolute(fixture_sites: Path) -> None:
    html = (fixture_sites / "qinghe-news.test/index.html").read_bytes().decode("gbk")

    entries = parse_listing(html, "http://qinghe-news.test/index.html", "div.list li a")

    assert [e.url for e in entries] == [
        "http://qinghe-news.test/2026/1119/winter-schedule.html?utm_source=home",
        "http://qinghe-news.test/2026/1112/bridge.html",
        "http://qinghe-news.test/2026/1105/library.html",
    ]  # mailto: dropped; nav links outside div.list never picked
    assert entries[1].title == "西河大桥夜间封闭施工三周"


def test_listing_selector_on_a_container_uses_its_first_link() -> None:
    html = (
        '<ul><li class="item"><span>x</span><a href="/a.html">A</a></li><li class="item"></li></ul>'
    )

    entries = parse_listing(html, f"{LAKESIDE}/news/", "li.item")

    assert entries == [FeedEntry(url=f"{LAKESIDE}/a.html", title="A")]


@pytest.mark.parametrize("selector", ["ul[", "a:::b", "!!"])
def test_invalid_selector_is_a_config_error(selector: str) -> None:
    with pytest.raises(ConfigError, match="not valid CSS"):
        parse_listing("<a href='/a'>a</a>", f"{LAKESIDE}/", selector)


def test_demo_listing_through_parse_index(demo_root: Path, demo_site: Path, make_fetched) -> None:
    source = next(
        s for s in load_sources(demo_root / "sources.yaml") if isinstance(s, HtmlListingSource)
    )
    fetched = make_fetched(
        demo_site / "binhai-daily/index.html", url="http://demo.invalid/binhai-daily/index.html"
    )

    entries = parse_index(source, fetched)

    assert [e.url for e in entries] == [
        "http://demo.invalid/binhai-daily/2026/1120/a03.html",
        "http://demo.invalid/binhai-daily/2026/1119/a01.html",
        "http://demo.invalid/binhai-daily/2026/1111/a02.html",
    ]
    assert entries[1].title is not None
    assert "滨海大学" in entries[1].title  # GBK listing decoded, not mojibake


def test_every_demo_source_discovers_its_entries(
    demo_root: Path, demo_site: Path, make_fetched
) -> None:
    counts = {}
    for source in load_sources(demo_root / "sources.yaml"):
        relative = str(source.url).removeprefix("http://demo.invalid/")
        fetched = make_fetched(demo_site / relative, url=str(source.url))
        counts[source.name] = len(parse_index(source, fetched))

    assert counts == {"binhai-university": 4, "binhai-daily": 3, "harbor-tech-wire": 3}


def test_sitemap_urlset_lists_pages_newest_lastmod_first(lakeside: Path) -> None:
    entries = parse_sitemap((lakeside / "sitemap.xml").read_bytes())

    assert entries == [
        FeedEntry(url=f"{LAKESIDE}/2026/11/harbour-lights.html", published_on=date(2026, 11, 19)),
        FeedEntry(url=f"{LAKESIDE}/2026/10/lighting-plan.html", published_on=date(2026, 10, 2)),
        FeedEntry(url=f"{LAKESIDE}/about.html"),
        FeedEntry(url=f"{LAKESIDE}/2026/11/bus-shelter.html"),  # bad lastmod: no date
    ]  # the blank <loc> is skipped


def test_sitemap_index_is_not_expanded_into_pages(lakeside: Path) -> None:
    assert parse_sitemap((lakeside / "sitemap-index.xml").read_bytes()) == []


def test_xml_that_is_not_a_sitemap_is_a_parse_error(lakeside: Path) -> None:
    with pytest.raises(ParseError) as caught:
        parse_sitemap((lakeside / "rss.xml").read_bytes())

    assert caught.value.reason == "not_a_sitemap"


def test_parse_index_dispatches_sitemaps_and_applies_max_items(
    lakeside: Path, make_fetched
) -> None:
    source = SitemapSource(
        name="lakeside", kind="sitemap", url=f"{LAKESIDE}/sitemap.xml", max_items=2
    )

    entries = parse_index(source, make_fetched(lakeside / "sitemap.xml", url=str(source.url)))

    assert [e.url for e in entries] == [
        f"{LAKESIDE}/2026/11/harbour-lights.html",
        f"{LAKESIDE}/2026/10/lighting-plan.html",
    ]


def entries_for(*paths: str) -> list[FeedEntry]:
    return [FeedEntry(url=f"{LAKESIDE}{path}") for path in paths]


def test_select_entries_include_keeps_only_matches() -> None:
    entries = entries_for("/2026/11/a.html", "/about.html", "/2026/10/b.html")

    chosen = select_entries(entries, (r"/2026/\d{2}/",), (), 50)

    assert [e.url for e in chosen] == [f"{LAKESIDE}/2026/11/a.html", f"{LAKESIDE}/2026/10/b.html"]


def test_select_entries_exclude_beats_include() -> None:
    entries = entries_for("/2026/11/a.html", "/2026/11/video-b.html")

    chosen = select_entries(entries, (r"/2026/",), (r"/video-",), 50)

    assert [e.url for e in chosen] == [f"{LAKESIDE}/2026/11/a.html"]


def test_select_entries_drops_duplicates_and_returns_the_normal_form() -> None:
    entries = entries_for(
        "/a.html?utm_source=rss", "/a.html", "/a.html#comments", "/b.html", "/a.html?id=2"
    )

    chosen = select_entries(entries, (), (), 50)

    assert [e.url for e in chosen] == [
        f"{LAKESIDE}/a.html",
        f"{LAKESIDE}/b.html",
        f"{LAKESIDE}/a.html?id=2",
    ]


def test_select_entries_caps_after_filtering() -> None:
    entries = entries_for("/x.html", "/1.html", "/x.html", "/2.html", "/3.html")

    chosen = select_entries(entries, (r"/\d\.html",), (), 2)

    assert [e.url for e in chosen] == [f"{LAKESIDE}/1.html", f"{LAKESIDE}/2.html"]
