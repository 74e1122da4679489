"""fetch_pages and parse_pages: bad pages become PageRecords with a reason, never exceptions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from flows.collect import (
    Harvest,
    fetch_pages,
    harvest_source,
    parse_pages,
    run_by_host,
    unknown_entries,
)
from flows.config import HtmlListingSource, RssSource
from flows.fetch import HttpFetcher
from flows.models import Article, Extraction, FeedEntry, PageRecord
from flows.politeness import HostPacer, PoliteFetcher

USER_AGENT = "pactwatch-test/0.1"
SOURCE = RssSource(name="qinghe", kind="rss", url="http://qinghe-news.test/rss.xml")


def polite_fetcher(max_bytes: int = 10_000) -> PoliteFetcher:
    never_sleep = lambda _s: None  # noqa: E731 - a one-line fake
    inner = HttpFetcher(USER_AGENT, max_bytes=max_bytes, retries=1, sleep=never_sleep)
    fetcher = PoliteFetcher(inner, USER_AGENT, HostPacer(clock=lambda: 0.0, sleep=never_sleep))
    fetcher.min_delay_s = 0.0
    return fetcher


def test_fetch_pages_records_each_outcome_instead_of_raising(
    httpserver: HTTPServer, fixture_sites: Path
) -> None:
    site = fixture_sites / "qinghe-news.test"
    httpserver.expect_request("/robots.txt").respond_with_data((site / "robots.txt").read_text())
    good = (site / "2026/1112/bridge.html").read_bytes()
    httpserver.expect_request("/good.html").respond_with_data(good, content_type="text/html")
    httpserver.expect_request("/big.html").respond_with_data(b"x" * 20_000)
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    httpserver.expect_request("/down.html").respond_with_data("down", status=503)
    paths = ["/good.html", "/private/draft.html", "/big.html", "/gone.html", "/down.html"]
    entries = [FeedEntry(url=httpserver.url_for(p)) for p in paths]

    pages = fetch_pages(SOURCE, entries, polite_fetcher())

    outcomes = [(p.url.rsplit("/", 1)[1], p.status, p.reason) for p in pages]
    assert outcomes == [
        ("good.html", "fetched", None),
        ("draft.html", "skipped", "robots"),
        ("big.html", "skipped", "too_large"),
        ("gone.html", "failed", "http 404"),
        ("down.html", "failed", "http 503 after 2 tries"),
    ]
    assert pages[0].fetched is not None
    assert pages[0].fetched.body == good
    assert all(p.fetched is None for p in pages[1:])
    assert {p.source_name for p in pages} == {"qinghe"}
    requested = [request.path for request, _response in httpserver.log]
    assert "/private/draft.html" not in requested
    assert requested.count("/gone.html") == 1
    assert requested.count("/down.html") == 2  # one retry, then recorded


def test_fetch_pages_records_an_unreachable_host_as_network() -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fetcher = HttpFetcher(USER_AGENT, retries=0)

    (page,) = fetch_pages(SOURCE, [FeedEntry(url=f"http://127.0.0.1:{port}/a.html")], fetcher)

    assert (page.status, page.reason) == ("failed", "connect error")


def fetched_page(make_fetched, body: bytes | Path, content_type: str | None) -> PageRecord:
    fetched = make_fetched(body, url="http://qinghe-news.test/p.html", content_type=content_type)
    return PageRecord(fetched.url, "qinghe", "fetched", None, fetched)


def test_parse_pages_keeps_articles_with_their_canonical_url(make_fetched, demo_site: Path) -> None:
    page = fetched_page(make_fetched, demo_site / "binhai-daily/2026/1111/a02.html", "text/html")
    source = HtmlListingSource(
        name="binhai-daily",
        kind="html_listing",
        url="http://demo.invalid/binhai-daily/index.html",
        item_selector="a",
        owner="Binhai Municipal Government",
        language="zh",
    )

    records, articles = parse_pages(source, [page])

    assert [(r.status, r.reason) for r in records] == [("fetched", None)]
    canonical = "http://demo.invalid/binhai-daily/2026/1111/a02.html"
    assert records[0].canonical_url == canonical
    ((record, article),) = articles
    assert record is records[0]
    assert article.canonical_url == canonical
    assert (article.source_name, article.source_owner, article.lang) == (
        "binhai-daily",
        "Binhai Municipal Government",
        "zh",
    )


def test_parse_pages_marks_short_pages_not_article(make_fetched, fixture_sites: Path) -> None:
    page = fetched_page(make_fetched, fixture_sites / "qinghe-news.test/stub.html", "text/html")

    records, articles = parse_pages(SOURCE, [page])

    assert [(r.status, r.reason) for r in records] == [("skipped", "not_article")]
    assert records[0].fetched is page.fetched  # the bytes stay with the record
    assert articles == []


@pytest.mark.parametrize("content_type", ["application/pdf", "application/json", "image/png; q=1"])
def test_parse_pages_marks_non_html_types_as_skipped_not_html(
    make_fetched, content_type: str
) -> None:
    body = b"%PDF-1.7\n" + "滨海大学 签署 战略合作协议 ".encode() * 40 + b"\n%%EOF"
    page = fetched_page(make_fetched, body, content_type)

    records, articles = parse_pages(SOURCE, [page])

    assert [(r.status, r.reason) for r in records] == [("skipped", "not_html")]
    assert articles == []


def test_parse_pages_passes_unfetched_records_through(make_fetched, fixture_sites: Path) -> None:
    failed = PageRecord("http://qinghe-news.test/gone.html", "qinghe", "failed", "http_404")
    good = fetched_page(
        make_fetched, fixture_sites / "qinghe-news.test/2026/1112/bridge.html", None
    )

    records, articles = parse_pages(SOURCE, [failed, good])

    assert records[0] is failed
    assert (records[1].status, records[1].reason) == ("fetched", None)  # no type: try HTML
    assert [a.title for _page, a in articles] == ["西河大桥夜间封闭施工三周"]


def rss(name: str, url: str) -> RssSource:
    return RssSource(name=name, kind="rss", url=url)  # type: ignore[arg-type]


def test_run_by_host_runs_hosts_in_parallel_and_one_host_serially() -> None:
    import threading

    sources = [
        rss("a1", "http://a.test/1.xml"),
        rss("b1", "http://b.test/1.xml"),
        rss("a2", "http://a.test/2.xml"),
    ]
    barrier = threading.Barrier(2, timeout=5)  # only passes when a and b are in flight together
    running: dict[str, int] = {"a": 0}
    peak: list[int] = []
    lock = threading.Lock()

    def work(source: RssSource) -> str:
        host = str(source.url).split("//")[1][0]
        if host == "a":
            with lock:
                running["a"] += 1
                peak.append(running["a"])
        if source.name in ("a1", "b1"):
            barrier.wait()
        if host == "a":
            with lock:
                running["a"] -= 1
        return source.name

    done = list(run_by_host(sources, work, max_workers=4))

    assert sorted(done) == ["a1", "a2", "b1"]
    assert done.index("a1") < done.index("a2")  # one host's sources in file order
    assert max(peak) == 1


def test_run_by_host_with_no_sources_yields_nothing() -> None:
    assert list(run_by_host([], lambda s: s)) == []


class NoSignings:
    """The extractor is not under test: every article reports nothing."""

    version = "collect-test"

    def extract(self, article: Article) -> Extraction:
        return Extraction(is_signing=False, extractor_version=self.version)


def test_unknown_entries_skips_known_urls_url_guids_and_stored_guids() -> None:
    entries = [
        FeedEntry("http://a.test/1", guid="g1"),
        FeedEntry("http://a.test/2", guid="http://a.test/old-2"),  # a permalink GUID
        FeedEntry("http://a.test/3", guid="g3"),
        FeedEntry("http://a.test/4"),
        FeedEntry("http://a.test/5", guid="g5"),
    ]
    asked: list[list[str]] = []

    def known_guids(guids: list[str]) -> set[str]:
        asked.append(guids)
        return {"g3"}

    settled = {"http://a.test/1", "http://a.test/old-2"}
    fresh = unknown_entries(entries, lambda urls: settled & set(urls), known_guids)

    assert [e.url for e in fresh] == ["http://a.test/4", "http://a.test/5"]
    assert asked == [["g1", "http://a.test/old-2", "g3", "g5"]]
    assert unknown_entries(entries[3:4], lambda _u: set(), known_guids) == entries[3:4]
    assert len(asked) == 1  # no GUIDs, no lookup


def harvest_and_store(source: RssSource, db: Path) -> Harvest:
    """One run of one source without Prefect: harvest with the warehouse's lookups, then store."""
    from warehouse.db import connect, transaction
    from warehouse.ingest_store import (
        select_known_guids,
        select_settled_urls,
        store_batch,
        store_feed_guids,
    )

    now = datetime(2026, 11, 26, tzinfo=UTC)
    with connect(db) as con:
        got = harvest_source(
            source,
            polite_fetcher(max_bytes=100_000),
            NoSignings(),
            lambda urls: select_settled_urls(con, urls),
            known_guids=lambda guids: select_known_guids(con, source.name, guids),
        )
        with transaction(con):
            store_batch(con, got.pages, got.records, now)
            store_feed_guids(con, source.name, got.guids, now)
    return got


def test_an_entry_moved_to_a_new_url_with_its_guid_is_not_fetched_again(
    httpserver: HTTPServer, fixture_sites: Path, tmp_path: Path
) -> None:
    site = fixture_sites / "qinghe-news.test"
    httpserver.expect_request("/robots.txt").respond_with_data((site / "robots.txt").read_text())
    for path, page in (
        ("/bridge.html", "2026/1112/bridge.html"),
        ("/winter.html", "2026/1119/winter-schedule.html"),
    ):
        body = (site / page).read_bytes()
        httpserver.expect_request(path).respond_with_data(body, content_type="text/html")
    moved = httpserver.url_for("/bridge.html") + "?ref=feed"  # a variant normalising keeps
    feeds = iter(
        [
            [("tag:qinghe-news.test,2026:7", httpserver.url_for("/bridge.html"))],
            [
                ("tag:qinghe-news.test,2026:7", moved),
                ("tag:qinghe-news.test,2026:8", httpserver.url_for("/winter.html")),
            ],
        ]
    )

    def feed(_request: object) -> Response:
        items = "".join(
            f"<item><guid>{g}</guid><link>{u}</link><title>t</title></item>" for g, u in next(feeds)
        )
        body = f'<rss version="2.0"><channel><title>q</title>{items}</channel></rss>'
        return Response(body, content_type="application/rss+xml")

    httpserver.expect_request("/rss.xml").respond_with_handler(feed)
    source = RssSource(name="qinghe", kind="rss", url=httpserver.url_for("/rss.xml"))  # type: ignore[arg-type]

    first, second = (harvest_and_store(source, tmp_path / "w.duckdb") for _run in range(2))

    assert (first.entries, first.known, first.guids) == (
        1,
        0,
        [("tag:qinghe-news.test,2026:7", httpserver.url_for("/bridge.html"))],
    )
    assert (second.entries, second.known) == (2, 1)
    assert [p.url for p in second.pages] == [httpserver.url_for("/winter.html")]
    requested = [(request.path, request.query_string) for request, _response in httpserver.log]
    assert requested.count(("/bridge.html", b"")) == 1
    assert ("/bridge.html", b"ref=feed") not in requested
    assert ("/winter.html", b"") in requested
