"""serve_folder: files on 127.0.0.1, text/html with no charset, 404s, no traversal, ETag/304."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from flows.fetch import HttpFetcher
from flows.local_site import serve_folder


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, fixture_sites: Path
) -> Iterator[tuple[str, Path]]:
    """Serve a copy of qinghe-news.test with a secret file beside the root (one server: each
    shutdown waits out serve_forever's 0.5 s poll)."""
    tmp_path = tmp_path_factory.mktemp("local-site")
    root = tmp_path / "root"
    source = fixture_sites / "qinghe-news.test"
    for path in source.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (tmp_path / "secret.txt").write_text("outside the root", encoding="utf-8")
    with serve_folder(root) as base_url:
        yield base_url, root


def raw_get(base_url: str, path: str, headers: dict[str, str] | None = None):
    """GET ``path`` exactly as written (no client-side dot-segment clean-up)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_serves_on_loopback_with_a_real_port(site: tuple[str, Path]) -> None:
    base_url, _root = site
    parts = urlsplit(base_url)

    assert parts.hostname == "127.0.0.1"
    assert parts.port not in (None, 0)
    assert base_url.endswith("/")


def test_html_is_served_as_text_html_with_no_charset(site: tuple[str, Path]) -> None:
    base_url, root = site

    status, headers, body = raw_get(base_url, "/2026/1119/winter-schedule.html")

    assert status == 200
    assert headers["content-type"] == "text/html"
    assert body == (root / "2026/1119/winter-schedule.html").read_bytes()
    assert headers["content-length"] == str(len(body))


@pytest.mark.parametrize(("path", "content_type"), [("/robots.txt", "text/plain")])
def test_other_types_by_suffix(site: tuple[str, Path], path: str, content_type: str) -> None:
    status, headers, _body = raw_get(site[0], path)

    assert (status, headers["content-type"]) == (200, content_type)


def test_directory_serves_its_index_html(site: tuple[str, Path]) -> None:
    base_url, root = site

    status, _headers, body = raw_get(base_url, "/")

    assert status == 200
    assert body == (root / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/missing.html", "/2026/", "/2026/1119/nope.html"])
def test_missing_file_is_404(site: tuple[str, Path], path: str) -> None:
    status, _headers, _body = raw_get(site[0], path)

    assert status == 404


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/2026/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"]
)
def test_dot_dot_traversal_is_404(site: tuple[str, Path], path: str) -> None:
    status, _headers, body = raw_get(site[0], path)

    assert status == 404
    assert b"outside the root" not in body


def test_etag_and_if_none_match_give_304(site: tuple[str, Path]) -> None:
    base_url, _root = site
    _status, headers, _body = raw_get(base_url, "/stub.html")
    etag = headers["etag"]

    status, again, body = raw_get(base_url, "/stub.html", {"If-None-Match": etag})

    assert etag.startswith('"')
    assert etag.endswith('"')
    assert status == 304
    assert body == b""
    assert again["etag"] == etag


def test_stale_etag_gets_the_full_page(site: tuple[str, Path]) -> None:
    status, _headers, body = raw_get(site[0], "/stub.html", {"If-None-Match": '"stale"'})

    assert status == 200
    assert "页面已移除" in body.decode("utf-8")


def test_changed_file_gets_a_new_etag(site: tuple[str, Path]) -> None:
    base_url, root = site
    (root / "changing.html").write_text("<p>first</p>", encoding="utf-8")
    before = raw_get(base_url, "/changing.html")[1]["etag"]

    (root / "changing.html").write_text("<p>rewritten</p>", encoding="utf-8")
    after = raw_get(base_url, "/changing.html")[1]["etag"]

    assert before != after


def test_http_fetcher_does_a_conditional_get_against_it(site: tuple[str, Path]) -> None:
    base_url, _root = site
    fetcher = HttpFetcher("pactwatch-test/0.1", retries=0, sleep=lambda _s: None)

    first = fetcher.fetch(base_url + "2026/1112/bridge.html")
    second = fetcher.fetch(base_url + "2026/1112/bridge.html", etag=first.headers["etag"])

    assert first.status == 200
    assert first.headers["content-type"] == "text/html"
    assert (second.status, second.body) == (304, b"")


def test_server_stops_when_the_block_ends(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    with serve_folder(tmp_path) as base_url:
        assert raw_get(base_url, "/")[0] == 200

    with pytest.raises(ConnectionRefusedError):
        raw_get(base_url, "/")
