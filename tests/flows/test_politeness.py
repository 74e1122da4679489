"""robots.txt and per-host pacing, over a real loopback server; the clock and sleep are fakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from flows.errors import RobotsDenied
from flows.fetch import HttpFetcher
from flows.politeness import HostPacer, PoliteFetcher, host_of

USER_AGENT = "pactwatch/0.1 (+https://pactwatch.invalid/about)"


class FakeClock:
    """A monotonic clock that only moves when told to, or when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def polite(clock: FakeClock, min_delay_s: float = 0.0) -> PoliteFetcher:
    inner = HttpFetcher(USER_AGENT, retries=0, sleep=clock.sleep)
    fetcher = PoliteFetcher(inner, USER_AGENT, HostPacer(clock=clock, sleep=clock.sleep))
    fetcher.min_delay_s = min_delay_s
    return fetcher


def serve_robots(httpserver: HTTPServer, text: str) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(text, content_type="text/plain")


def paths_requested(httpserver: HTTPServer) -> list[str]:
    return [request.path for request, _response in httpserver.log]


def test_robots_disallow_raises_robots_denied_without_fetching_the_page(
    httpserver: HTTPServer, clock: FakeClock, fixture_sites: Path
) -> None:
    serve_robots(httpserver, (fixture_sites / "qinghe-news.test/robots.txt").read_text())
    httpserver.expect_request("/private/draft.html").respond_with_data("secret")

    with pytest.raises(RobotsDenied) as caught:
        polite(clock).fetch(httpserver.url_for("/private/draft.html"))

    assert caught.value.url == httpserver.url_for("/private/draft.html")
    assert paths_requested(httpserver) == ["/robots.txt"]


def test_allowed_path_is_fetched(httpserver: HTTPServer, clock: FakeClock) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/news/a.html").respond_with_data("<p>news</p>")

    fetched = polite(clock).fetch(httpserver.url_for("/news/a.html"))

    assert fetched.body == b"<p>news</p>"
    assert paths_requested(httpserver) == ["/robots.txt", "/news/a.html"]


def test_group_for_our_product_token_applies(httpserver: HTTPServer, clock: FakeClock) -> None:
    serve_robots(
        httpserver, "User-agent: pactwatch\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n"
    )

    with pytest.raises(RobotsDenied):
        polite(clock).fetch(httpserver.url_for("/news/a.html"))


def test_robots_is_fetched_once_per_host(httpserver: HTTPServer, clock: FakeClock) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/news/a.html").respond_with_data("a")
    httpserver.expect_request("/news/b.html").respond_with_data("b")
    fetcher = polite(clock)

    fetcher.fetch(httpserver.url_for("/news/a.html"))
    fetcher.fetch(httpserver.url_for("/news/b.html"))
    with pytest.raises(RobotsDenied):
        fetcher.fetch(httpserver.url_for("/private/x.html"))

    assert paths_requested(httpserver).count("/robots.txt") == 1
    assert len(httpserver.log) == 3


def test_missing_robots_means_everything_is_allowed(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("no robots", status=404)
    httpserver.expect_request("/private/x.html").respond_with_data("open")

    fetched = polite(clock).fetch(httpserver.url_for("/private/x.html"))

    assert fetched.body == b"open"


def test_crawl_delay_raises_the_delay_between_requests(
    httpserver: HTTPServer, clock: FakeClock, fixture_sites: Path
) -> None:
    serve_robots(httpserver, (fixture_sites / "qinghe-news.test/robots.txt").read_text())
    httpserver.expect_request("/a.html").respond_with_data("a")
    httpserver.expect_request("/b.html").respond_with_data("b")
    fetcher = polite(clock, min_delay_s=1.0)

    fetcher.fetch(httpserver.url_for("/a.html"))
    fetcher.fetch(httpserver.url_for("/b.html"))

    assert clock.slept == [3.0]  # robots.txt says Crawl-delay: 3, more than our 1 s


def test_huge_crawl_delay_is_capped(httpserver: HTTPServer, clock: FakeClock) -> None:
    serve_robots(httpserver, "User-agent: *\nCrawl-delay: 3600\n")
    httpserver.expect_request("/a.html").respond_with_data("a")
    fetcher = polite(clock)

    fetcher.fetch(httpserver.url_for("/a.html"))
    fetcher.fetch(httpserver.url_for("/a.html"))

    assert clock.slept == [30.0]


def test_min_delay_applies_without_crawl_delay(httpserver: HTTPServer, clock: FakeClock) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow:\n")
    httpserver.expect_request("/a.html").respond_with_data("a")
    fetcher = polite(clock, min_delay_s=2.0)

    fetcher.fetch(httpserver.url_for("/a.html"))
    clock.now += 0.5
    fetcher.fetch(httpserver.url_for("/a.html"))

    assert clock.slept == [1.5]


def test_pacer_keeps_same_host_requests_delay_apart(clock: FakeClock) -> None:
    pacer = HostPacer(clock=clock, sleep=clock.sleep)

    first = pacer.wait("http://qinghe-news.test", 2.0)
    clock.now += 0.5
    second = pacer.wait("http://qinghe-news.test", 2.0)
    third = pacer.wait("http://qinghe-news.test", 2.0)

    assert (first, second, third) == (0.0, 1.5, 2.0)
    assert clock.slept == [1.5, 2.0]


def test_pacer_leaves_different_hosts_free(clock: FakeClock) -> None:
    pacer = HostPacer(clock=clock, sleep=clock.sleep)

    pacer.wait("http://qinghe-news.test", 5.0)
    waited = pacer.wait("http://lakeside-wire.test", 5.0)

    assert waited == 0.0
    assert clock.slept == []


def test_pacer_does_not_sleep_once_the_delay_has_passed(clock: FakeClock) -> None:
    pacer = HostPacer(clock=clock, sleep=clock.sleep)

    pacer.wait("http://qinghe-news.test", 2.0)
    clock.now += 10.0

    assert pacer.wait("http://qinghe-news.test", 2.0) == 0.0
    assert clock.slept == []


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://Qinghe-News.TEST/a/b.html?x=1", "http://qinghe-news.test"),
        ("https://127.0.0.1:8443/robots.txt", "https://127.0.0.1:8443"),
    ],
)
def test_host_of_is_scheme_and_lowercased_netloc(url: str, host: str) -> None:
    assert host_of(url) == host
