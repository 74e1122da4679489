"""HttpFetcher against a real loopback server: headers, conditional GET, errors, retries, caps."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from flows.errors import FetchError, TooLarge
from flows.fetch import HttpFetcher

USER_AGENT = "pactwatch-test/0.1 (+https://pactwatch.invalid/about)"


def fetcher(**kwargs) -> tuple[HttpFetcher, list[float]]:
    """A fetcher that never really sleeps; the list collects the delays it asked for."""
    slept: list[float] = []
    options = {"retries": 2, "backoff_s": 0.0, "sleep": slept.append, **kwargs}
    return HttpFetcher(USER_AGENT, **options), slept


def test_user_agent_header_is_ours(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data("ok")
    client, _ = fetcher()

    client.fetch(httpserver.url_for("/page"))

    (request, _response), *_ = httpserver.log
    assert request.headers["User-Agent"] == USER_AGENT
    assert "python-requests" not in request.headers["User-Agent"]


def test_fetch_returns_bytes_status_final_url_and_lowercased_headers(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<p>hi</p>", content_type="text/html", headers={"X-Lakeside": "1"}
    )
    client, _ = fetcher()

    fetched = client.fetch(httpserver.url_for("/page"))

    assert (fetched.status, fetched.body) == (200, b"<p>hi</p>")
    assert fetched.url == httpserver.url_for("/page")
    assert fetched.headers["content-type"] == "text/html"
    assert fetched.headers["x-lakeside"] == "1"
    assert fetched.fetched_at.utcoffset() is not None


def test_conditional_get_sends_validators_and_returns_304_with_empty_body(
    httpserver: HTTPServer,
) -> None:
    etag, modified = '"v1-abc"', "Thu, 19 Nov 2026 08:00:00 GMT"
    httpserver.expect_request(
        "/feed.xml", headers={"If-None-Match": etag, "If-Modified-Since": modified}
    ).respond_with_response(Response(status=304, headers={"ETag": etag}))
    client, _ = fetcher()

    fetched = client.fetch(httpserver.url_for("/feed.xml"), etag=etag, last_modified=modified)

    assert fetched.status == 304
    assert fetched.body == b""
    assert fetched.headers["etag"] == etag


def test_plain_get_sends_no_validators(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("<rss/>")
    client, _ = fetcher()

    client.fetch(httpserver.url_for("/feed.xml"))

    request = httpserver.log[0][0]
    assert "If-None-Match" not in request.headers
    assert "If-Modified-Since" not in request.headers


def test_404_raises_fetch_error_with_status_and_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    client, slept = fetcher()

    with pytest.raises(FetchError) as caught:
        client.fetch(httpserver.url_for("/gone.html"))

    assert caught.value.status == 404
    assert caught.value.url == httpserver.url_for("/gone.html")
    assert len(httpserver.log) == 1
    assert slept == []


def test_503_then_200_is_retried_and_succeeds(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data("busy", status=503)
    httpserver.expect_request("/busy").respond_with_data("fine now")
    client, slept = fetcher()

    fetched = client.fetch(httpserver.url_for("/busy"))

    assert fetched.body == b"fine now"
    assert [entry[1].status_code for entry in httpserver.log] == [503, 200]
    assert slept == [0.0]


def test_persistent_503_gives_up_after_the_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    client, slept = fetcher(retries=2)

    with pytest.raises(FetchError) as caught:
        client.fetch(httpserver.url_for("/down"))

    assert caught.value.status == 503
    assert len(httpserver.log) == 3
    assert len(slept) == 2


def test_retry_after_seconds_is_the_delay_passed_to_sleep(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request("/limited").respond_with_data("ok")
    client, slept = fetcher(backoff_s=100.0)

    assert client.fetch(httpserver.url_for("/limited")).body == b"ok"
    assert slept == [7.0]


def test_retry_after_is_capped(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/limited").respond_with_data(
        "slow down", status=503, headers={"Retry-After": "86400"}
    )
    httpserver.expect_request("/limited").respond_with_data("ok")
    client, slept = fetcher()

    client.fetch(httpserver.url_for("/limited"))

    assert slept == [60.0]


def test_backoff_grows_between_attempts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("down", status=500)
    client, slept = fetcher(retries=2, backoff_s=1.0)

    with pytest.raises(FetchError):
        client.fetch(httpserver.url_for("/down"))

    first, second = slept
    assert 1.0 <= first <= 1.5
    assert 2.0 <= second <= 3.0


def test_body_over_max_bytes_with_content_length_raises_too_large(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 2_000)
    client, slept = fetcher(max_bytes=1_000)

    with pytest.raises(TooLarge):
        client.fetch(httpserver.url_for("/big"))

    assert len(httpserver.log) == 1  # a cap is not a transient failure
    assert slept == []


def test_streamed_body_over_max_bytes_without_content_length_raises_too_large(
    httpserver: HTTPServer,
) -> None:
    def chunks():
        for _ in range(20):
            yield b"y" * 500

    httpserver.expect_request("/stream").respond_with_response(
        Response(chunks(), content_type="text/html")
    )
    client, _ = fetcher(max_bytes=4_000)

    with pytest.raises(TooLarge):
        client.fetch(httpserver.url_for("/stream"))

    (_request, response), *_ = httpserver.log
    assert "Content-Length" not in response.headers


def test_body_exactly_at_max_bytes_is_accepted(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/edge").respond_with_data(b"z" * 1_000)
    client, _ = fetcher(max_bytes=1_000)

    assert len(client.fetch(httpserver.url_for("/edge")).body) == 1_000


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/file.txt", "file:///etc/hosts", "javascript:alert(1)", "/relative"]
)
def test_non_http_scheme_is_rejected_without_a_request(url: str) -> None:
    client, _ = fetcher()

    with pytest.raises(FetchError, match="only http and https"):
        client.fetch(url)


def test_connection_refused_is_a_fetch_error_without_status() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    client, slept = fetcher(retries=1)

    with pytest.raises(FetchError) as caught:
        client.fetch(f"http://127.0.0.1:{port}/page")

    assert caught.value.status is None
    assert len(slept) == 1  # network errors are transient: retried once


def test_gbk_body_comes_back_byte_identical(httpserver: HTTPServer, fixture_sites: Path) -> None:
    body = (fixture_sites / "qinghe-news.test/2026/1119/winter-schedule.html").read_bytes()
    httpserver.expect_request("/winter.html").respond_with_data(body, content_type="text/html")
    client, _ = fetcher()

    fetched = client.fetch(httpserver.url_for("/winter.html"))

    assert fetched.body == body
    assert fetched.headers["content-type"] == "text/html"


def test_redirect_is_followed_and_final_url_reported(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_data("moved here")
    client, _ = fetcher()

    fetched = client.fetch(httpserver.url_for("/old"))

    assert fetched.url == httpserver.url_for("/new")
    assert fetched.body == b"moved here"


def test_host_overrides_map_a_logical_host_to_the_server(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/binhai-daily/index.html").respond_with_data("<p>listing</p>")
    netloc = urlsplit(httpserver.url_for("/")).netloc
    client, _ = fetcher(retries=0, host_overrides={"demo.invalid": netloc})

    fetched = client.fetch("http://demo.invalid/binhai-daily/index.html")

    assert fetched.body == b"<p>listing</p>"
    assert fetched.url == "http://demo.invalid/binhai-daily/index.html"
    assert httpserver.log[0][0].path == "/binhai-daily/index.html"


def test_host_overrides_report_a_redirect_target_with_the_logical_host(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/old.html").respond_with_response(
        Response(status=302, headers={"Location": "/new.html"})
    )
    httpserver.expect_request("/new.html").respond_with_data("new")
    netloc = urlsplit(httpserver.url_for("/")).netloc
    client, _ = fetcher(retries=0, host_overrides={"demo.invalid": netloc})

    fetched = client.fetch("http://demo.invalid/old.html")

    assert fetched.url == "http://demo.invalid/new.html"


def test_host_overrides_leave_other_hosts_alone(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data("direct")
    client, _ = fetcher(retries=0, host_overrides={"demo.invalid": "127.0.0.1:9"})

    fetched = client.fetch(httpserver.url_for("/page"))

    assert (fetched.body, fetched.url) == (b"direct", httpserver.url_for("/page"))


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    from flows.fetch import parse_retry_after

    now = datetime(2026, 11, 20, 8, 0, 0, tzinfo=UTC)

    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Fri, 20 Nov 2026 08:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 20 Nov 2026 07:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
