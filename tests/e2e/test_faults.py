"""Every fault a hostile or broken site can throw, against real servers on 127.0.0.1.

Each test records the fault's page status and checks that the rest of the source still came in.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.collect import Harvest, harvest_source, run_by_host
from flows.config import RssSource
from flows.fetch import HttpFetcher
from flows.models import Article, Extraction
from flows.politeness import HostPacer, PoliteFetcher

USER_AGENT = "pactwatch-test/0.1 (+https://pactwatch.invalid/about)"


class NoSignings:
    """The extractor is not under test here: every article reports nothing."""

    version = "faults-test"

    def extract(self, article: Article) -> Extraction:
        return Extraction(is_signing=False, extractor_version=self.version)


Handler = Callable[[BaseHTTPRequestHandler], None]

ENGLISH = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The harbour board of Lakeside and the regional ferry company met on Tuesday to sign a"
    " maintenance agreement for the three old piers on the east bank of the lake.</p>"
    "<p>Under the agreement the company repairs the decking every spring and the board pays for"
    " the timber, while both share the cost of new lighting along the walkway to the pier.</p>"
    "<p>Residents asked at the meeting whether the summer timetable would change; the company"
    " said that the boats keep running while the work goes on, one pier at a time.</p>"
    "</article></body></html>"
)
CHINESE = (
    "<html><head><title>青禾市与远山大学签署合作协议</title></head><body><article>"
    "<h1>青禾市与远山大学签署合作协议</h1>"
    "<p>青禾市与远山大学于本周签署战略合作协议，双方将在新材料、智能制造和人才培养等领域开展"
    "长期合作。市长朱镕出席签约仪式并致辞，他表示这次合作将推动本地产业升级。</p>"
    "<p>远山大学校长陈喆介绍，学校将派出科研团队常驻青禾，共建联合实验室，并每年安排学生到"
    "企业实习。根据协议，双方还将设立专项基金，支持青年教师和工程师开展应用研究。</p>"
    "<p>签约仪式结束后，代表团参观了高新区的三家企业，并就下一步的具体项目进行了交流。"
    "双方约定每半年召开一次联席会议，检查合作项目的进展情况，及时解决遇到的问题。</p>"
    "</article></body></html>"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/x.html</link></item>
</channel></rss>"""


def send(
    req: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    req.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
        req.send_header(name, value)
    req.end_headers()
    req.wfile.write(body)


def page(title: str) -> Handler:
    body = ENGLISH.format(title=title).encode()
    return lambda req: send(req, 200, body, {"Content-Type": "text/html; charset=utf-8"})


class FaultServer:
    """A threaded loopback server whose paths are set per test; counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                outer.hits[path] = outer.hits.get(path, 0) + 1
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up
                    outer.routes.get(path, lambda req: send(req, 404, b"none"))(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def feed(self, path: str, item_paths: list[str]) -> str:
        """Serve an RSS feed at ``path`` listing ``item_paths``; return the feed's URL."""
        items = "".join(
            f"<item><title>t{i}</title><link>{self.url(p)}</link><guid>g{i}</guid></item>"
            for i, p in enumerate(item_paths)
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}'
        body += "</channel></rss>"
        self.routes[path] = lambda req: send(
            req, 200, body.encode(), {"Content-Type": "application/rss+xml"}
        )
        return self.url(path)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        running.routes["/robots.txt"] = lambda req: send(
            req, 200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}
        )
        running.routes["/good.html"] = page("Pier maintenance agreement signed")
        yield running


def polite(slept: list[float] | None = None, **options: float) -> PoliteFetcher:
    """A fetcher with sub-second timeouts that records its backoff sleeps instead of sleeping."""
    record = slept if slept is not None else []
    settings = {
        "retries": 2,
        "backoff_s": 0.0,
        "connect_timeout_s": 0.5,
        "read_timeout_s": 0.5,
        "total_timeout_s": 3.0,
        "max_bytes": 100_000,
        **options,
    }
    inner = HttpFetcher(USER_AGENT, sleep=record.append, **settings)  # type: ignore[arg-type]
    pacer = HostPacer(clock=lambda: 0.0, sleep=lambda _s: None)
    return PoliteFetcher(inner, USER_AGENT, pacer, min_delay_s=0.0)


def harvest(server: FaultServer, fault_path: str, fetcher: PoliteFetcher | None = None) -> Harvest:
    """Ingest a feed listing the fault page and then a good page; no database, nothing known."""
    url = server.feed("/feed.xml", [fault_path, "/good.html"])
    source = RssSource(name="faults", kind="rss", url=url, min_delay_s=0)  # type: ignore[arg-type]
    extractor = NoSignings()
    return harvest_source(source, fetcher or polite(), extractor, lambda _urls: set())


def outcome(got: Harvest, path: str) -> tuple[str, str | None]:
    (found,) = [p for p in got.pages if p.url.endswith(path)]
    return found.status, found.reason


def assert_rest_completed(got: Harvest) -> None:
    assert got.error is None
    assert outcome(got, "/good.html") == ("fetched", None)
    assert any(r.article.url.endswith("/good.html") for r in got.records)


def test_500_then_503_then_success_is_fetched_after_two_retries(server: FaultServer) -> None:
    answers = iter([500, 503])
    ok = page("Flaky but fine")
    server.routes["/flaky.html"] = lambda req: (
        send(req, status) if (status := next(answers, 200)) != 200 else ok(req)
    )
    slept: list[float] = []

    got = harvest(server, "/flaky.html", polite(slept))

    assert outcome(got, "/flaky.html") == ("fetched", None)
    assert server.hits["/flaky.html"] == 3
    assert len(slept) == 2
    assert_rest_completed(got)


def test_503_every_time_fails_with_the_tries_in_the_reason(server: FaultServer) -> None:
    server.routes["/down.html"] = lambda req: send(req, 503)

    got = harvest(server, "/down.html")

    assert outcome(got, "/down.html") == ("failed", "http 503 after 3 tries")
    assert_rest_completed(got)


@pytest.mark.parametrize(("retry_after", "waited"), [("1", 1.0), ("3600", 2.0)])
def test_429_honours_retry_after_up_to_the_cap(
    server: FaultServer, retry_after: str, waited: float
) -> None:
    answers = iter([429])
    ok = page("Busy then fine")
    server.routes["/busy.html"] = lambda req: (
        send(req, 429, b"", {"Retry-After": retry_after}) if next(answers, None) else ok(req)
    )
    slept: list[float] = []

    got = harvest(server, "/busy.html", polite(slept, retry_after_cap_s=2.0))

    assert outcome(got, "/busy.html") == ("fetched", None)
    assert slept == [waited]
    assert_rest_completed(got)


def test_404_is_not_retried(server: FaultServer) -> None:
    got = harvest(server, "/missing.html")

    assert outcome(got, "/missing.html") == ("failed", "http 404")
    assert server.hits["/missing.html"] == 1
    assert_rest_completed(got)


def test_connect_refused_is_recorded_as_failed(server: FaultServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    feed = server.feed("/feed.xml", ["/good.html"])
    dead = f"http://127.0.0.1:{port}/a.html"
    body = f'<rss version="2.0"><channel><item><link>{dead}</link></item>'
    body += f"<item><link>{server.url('/good.html')}</link></item></channel></rss>"
    server.routes["/feed.xml"] = lambda req: send(req, 200, body.encode())
    source = RssSource(name="faults", kind="rss", url=feed)  # type: ignore[arg-type]

    got = harvest_source(source, polite(), NoSignings(), lambda _u: set())

    assert outcome(got, "/a.html") == ("failed", "connect error after 3 tries")
    assert_rest_completed(got)


def test_read_timeout_is_recorded_as_timeout(server: FaultServer) -> None:
    server.routes["/stall.html"] = lambda req: (server.stop.wait(3), send(req, 200, b"late"))

    got = harvest(server, "/stall.html", polite(retries=0))

    assert outcome(got, "/stall.html") == ("failed", "timeout")
    assert_rest_completed(got)


def test_trickling_body_stops_at_the_total_time_cap(server: FaultServer) -> None:
    def trickle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", "1000")
        req.end_headers()
        for _ in range(1000):  # one byte per 0.1 s: each read is fast, the whole is not
            if server.stop.wait(0.1):
                return
            req.wfile.write(b"x")
            req.wfile.flush()

    server.routes["/trickle.html"] = trickle

    got = harvest(server, "/trickle.html", polite(retries=0, total_timeout_s=1.0))

    assert outcome(got, "/trickle.html") == ("failed", "total time cap")
    assert_rest_completed(got)


@pytest.mark.parametrize("declared", [True, False])
def test_body_over_the_cap_is_skipped_too_large(server: FaultServer, declared: bool) -> None:
    def huge(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        if declared:
            req.send_header("Content-Length", str(300_000))
        req.end_headers()
        req.wfile.write(b"<p>" + b"x" * 299_997)

    server.routes["/huge.html"] = huge

    got = harvest(server, "/huge.html")

    assert outcome(got, "/huge.html") == ("skipped", "too_large")
    assert_rest_completed(got)


def test_gzip_bomb_is_capped_on_decoded_bytes(server: FaultServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000  # small on the wire: only the decoded size can catch it
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    server.routes["/bomb.html"] = lambda req: send(req, 200, bomb, headers)

    got = harvest(server, "/bomb.html")

    assert outcome(got, "/bomb.html") == ("skipped", "too_large")
    assert_rest_completed(got)


def test_redirect_loop_fails(server: FaultServer) -> None:
    server.routes["/loop-a.html"] = lambda req: send(req, 302, b"", {"Location": "/loop-b.html"})
    server.routes["/loop-b.html"] = lambda req: send(req, 302, b"", {"Location": "/loop-a.html"})

    got = harvest(server, "/loop-a.html")

    assert outcome(got, "/loop-a.html") == ("failed", "redirect loop")
    assert server.hits["/loop-a.html"] == 1
    assert_rest_completed(got)


def test_redirect_to_a_non_http_scheme_fails(server: FaultServer) -> None:
    target = {"Location": "file:///etc/passwd"}
    server.routes["/away.html"] = lambda req: send(req, 301, b"", target)

    got = harvest(server, "/away.html")

    assert outcome(got, "/away.html") == ("failed", "redirect to a non-http URL")
    assert_rest_completed(got)


def test_robots_disallow_is_skipped_without_a_request(server: FaultServer) -> None:
    server.routes["/private/memo.html"] = page("Internal memo")

    got = harvest(server, "/private/memo.html")

    assert outcome(got, "/private/memo.html") == ("skipped", "robots")
    assert "/private/memo.html" not in server.hits
    assert_rest_completed(got)


@pytest.mark.parametrize(("robots_status", "expected"), [(500, "skipped"), (404, "fetched")])
def test_robots_5xx_disallows_and_missing_robots_allows(
    server: FaultServer, robots_status: int, expected: str
) -> None:
    with FaultServer() as other:
        other.routes["/robots.txt"] = lambda req: send(req, robots_status, b"")
        other.routes["/news.html"] = page("News from the other host")
        feed = server.feed("/feed.xml", [])
        body = f'<rss version="2.0"><channel><item><link>{other.url("/news.html")}</link></item>'
        body += f"<item><link>{server.url('/good.html')}</link></item></channel></rss>"
        server.routes["/feed.xml"] = lambda req: send(req, 200, body.encode())
        source = RssSource(name="faults", kind="rss", url=feed)  # type: ignore[arg-type]

        got = harvest_source(source, polite(), NoSignings(), lambda _: set())

        assert outcome(got, "/news.html")[0] == expected
        assert ("/news.html" in other.hits) is (expected == "fetched")
    assert_rest_completed(got)


def test_malformed_and_billion_laughs_feeds_fail_alone(server: FaultServer) -> None:
    server.routes["/broken.xml"] = lambda req: send(req, 200, b"<rss><chan\x00nel><<<item")
    server.routes["/laughs.xml"] = lambda req: send(req, 200, BILLION_LAUGHS)
    good = server.feed("/feed.xml", ["/good.html"])
    sources = [
        RssSource(name=name, kind="rss", url=url)  # type: ignore[arg-type]
        for name, url in [
            ("broken", server.url("/broken.xml")),
            ("laughs", server.url("/laughs.xml")),
            ("good", good),
        ]
    ]
    extractor = NoSignings()
    fetcher = polite()

    results = {
        got.source_name: got
        for got in run_by_host(
            sources, lambda s: harvest_source(s, fetcher, extractor, lambda _: set())
        )
    }

    assert "not_a_feed" in (results["broken"].error or "")
    assert "unsafe_xml" in (results["laughs"].error or "")
    assert_rest_completed(results["good"])


def serve_chinese(server: FaultServer, path: str, content_type: str) -> None:
    body = CHINESE.encode("gb18030")  # GBK bytes, 镕 and 喆 included
    server.routes[path] = lambda req: send(req, 200, body, {"Content-Type": content_type})


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=gb2312"])
def test_gbk_pages_decode_without_a_charset_or_with_a_gb2312_label(
    server: FaultServer, content_type: str
) -> None:
    serve_chinese(server, "/zh.html", content_type)

    got = harvest(server, "/zh.html")

    assert outcome(got, "/zh.html") == ("fetched", None)
    (article,) = [r.article for r in got.records if r.article.url.endswith("/zh.html")]
    assert "市长朱镕出席签约仪式" in article.text
    assert "校长陈喆介绍" in article.text
    assert article.lang == "zh"
    assert_rest_completed(got)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "application/pdf"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "text/html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    ],
)
def test_pdf_or_image_instead_of_html_is_skipped_not_html(
    server: FaultServer, body: bytes, content_type: str
) -> None:
    server.routes["/doc.html"] = lambda req: send(req, 200, body, {"Content-Type": content_type})

    got = harvest(server, "/doc.html")

    assert outcome(got, "/doc.html") == ("skipped", "not_html")
    assert_rest_completed(got)


def test_empty_200_is_skipped_not_article(server: FaultServer) -> None:
    server.routes["/empty.html"] = lambda req: send(req, 200, b"", {"Content-Type": "text/html"})

    got = harvest(server, "/empty.html")

    assert outcome(got, "/empty.html") == ("skipped", "not_article")
    assert_rest_completed(got)


@pytest.mark.flow
@pytest.mark.usefixtures("prefect_harness")
def test_ingest_flow_records_faults_and_never_restores_changing_guids(
    server: FaultServer, tmp_path: Path
) -> None:
    from flows.ingest import ingest

    server.routes["/down.html"] = lambda req: send(req, 503)
    server.routes["/laughs.xml"] = lambda req: send(req, 200, BILLION_LAUGHS)
    healthy = server.feed("/feed.xml", ["/good.html", "/down.html", "/private/memo.html"])
    fetches = iter(range(1_000))
    other = page("Ferry company and harbour board agree on pier lighting")
    server.routes["/lights.html"] = other

    def changing_guids(req: BaseHTTPRequestHandler) -> None:
        n = next(fetches)  # a new GUID and a new tracking parameter on every fetch
        link = server.url(f"/lights.html?utm_source=rss{n}")
        item = f"<item><guid>guid-{n}</guid><link>{link}</link><title>Lights</title></item>"
        body = f'<rss version="2.0"><channel><title>c</title>{item}</channel></rss>'
        send(req, 200, body.encode(), {"Content-Type": "application/rss+xml"})

    server.routes["/changing.xml"] = changing_guids
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "defaults: {min_delay_s: 0}\nsources:\n"
        f"  - {{name: healthy, kind: rss, url: '{healthy}'}}\n"
        f"  - {{name: laughs, kind: rss, url: '{server.url('/laughs.xml')}'}}\n"
        f"  - {{name: changing, kind: rss, url: '{server.url('/changing.xml')}'}}\n",
        encoding="utf-8",
    )
    db = tmp_path / "w.duckdb"
    options = {"retries": 1, "backoff_s": 0.0, "read_timeout_s": 1.0, "total_timeout_s": 3.0}

    first = ingest(str(sources), str(db), None, options)
    second = ingest(str(sources), str(db), None, options)

    by_name = {s["source"]: s for s in first["sources"]}
    assert first["failed_sources"] == 1
    assert "unsafe_xml" in by_name["laughs"]["error"]
    assert (by_name["healthy"]["skipped"], by_name["healthy"]["failed"]) == (1, 1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = dict(
            con.execute("SELECT url, status || ':' || coalesce(reason, '') FROM pages").fetchall()
        )
        articles = con.execute(
            "SELECT count(*) FROM articles WHERE source_name = 'changing'"
        ).fetchall()
    finally:
        con.close()
    assert statuses[server.url("/down.html")] == "failed:http 503 after 2 tries"
    assert statuses[server.url("/private/memo.html")] == "skipped:robots"
    assert statuses[server.url("/good.html")] == "fetched:"
    assert articles == [(1,)]
    assert {s["source"]: s["new_pages"] for s in second["sources"]}["changing"] == 0
    assert server.hits["/lights.html"] == 1


@pytest.mark.flow
@pytest.mark.usefixtures("prefect_harness")
def test_ingest_flow_does_not_refetch_an_entry_whose_guid_moved_to_a_new_url(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from flows.ingest import ingest

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for path, title in (("/2026/piers.html", "Piers"), ("/2026/lights.html", "Lights")):
        body = ENGLISH.format(title=f"{title} agreement signed")
        httpserver.expect_request(path).respond_with_data(body, content_type="text/html")
    guid = "tag:lakeside.test,2026:piers"
    moved = httpserver.url_for("/2026/piers.html") + "?via=homepage"  # not a tracking prefix
    feeds = iter(
        [
            [(guid, httpserver.url_for("/2026/piers.html"))],
            [
                (guid, moved),
                ("tag:lakeside.test,2026:lights", httpserver.url_for("/2026/lights.html")),
            ],
        ]
    )

    def feed(_request: Request) -> Response:
        items = "".join(
            f"<item><guid isPermaLink='false'>{g}</guid><link>{u}</link><title>t</title></item>"
            for g, u in next(feeds)
        )
        body = f'<rss version="2.0"><channel><title>l</title>{items}</channel></rss>'
        return Response(body, content_type="application/rss+xml")

    httpserver.expect_request("/rss.xml").respond_with_handler(feed)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "defaults: {min_delay_s: 0}\nsources:\n"
        f"  - {{name: lakeside, kind: rss, url: '{httpserver.url_for('/rss.xml')}'}}\n",
        encoding="utf-8",
    )
    options = {"retries": 0, "read_timeout_s": 2.0, "total_timeout_s": 3.0}

    first = ingest(str(sources), str(tmp_path / "w.duckdb"), None, options)
    second = ingest(str(sources), str(tmp_path / "w.duckdb"), None, options)

    ((run1,), (run2,)) = first["sources"], second["sources"]
    assert (run1["entries"], run1["known"], run1["new_pages"]) == (1, 0, 1)
    assert (run2["entries"], run2["known"], run2["new_pages"]) == (2, 1, 1)
    requested = [(r.path, r.query_string) for r, _response in httpserver.log]
    assert requested.count(("/2026/piers.html", b"")) == 1
    assert ("/2026/piers.html", b"via=homepage") not in requested
    assert ("/2026/lights.html", b"") in requested
