"""normalise_url: fragments and tracking parameters dropped, the rest kept, idempotent."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.urls import normalise_url

TRACKING_KEYS = ["utm_source", "utm_medium", "UTM_Campaign", "fbclid", "gclid", "spm"]
KEEP_KEYS = ["id", "page", "p", "article", "lang"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://lakeside-wire.test/a.html?utm_source=rss&id=42&utm_medium=feed#comments",
            "https://lakeside-wire.test/a.html?id=42",
        ),
        ("https://lakeside-wire.test/a.html?fbclid=IwAR0abc", "https://lakeside-wire.test/a.html"),
        (
            "https://lakeside-wire.test/a.html?gclid=x&page=2",
            "https://lakeside-wire.test/a.html?page=2",
        ),
        ("https://lakeside-wire.test/a.html#top", "https://lakeside-wire.test/a.html"),
        ("HTTP://Lakeside-Wire.TEST:80/Path/A.html", "http://lakeside-wire.test/Path/A.html"),
        ("https://lakeside-wire.test:443", "https://lakeside-wire.test/"),
        ("https://lakeside-wire.test:8443/a", "https://lakeside-wire.test:8443/a"),
        ("  https://lakeside-wire.test/a?id=1  ", "https://lakeside-wire.test/a?id=1"),
    ],
)
def test_tracking_params_and_fragment_are_dropped(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_other_params_keep_their_order_and_values() -> None:
    url = "https://qinghe-news.test/list?b=2&utm_term=x&a=1&q=%E9%95%95"

    assert normalise_url(url) == "https://qinghe-news.test/list?b=2&a=1&q=%E9%95%95"


def test_blank_values_are_kept() -> None:
    assert normalise_url("https://qinghe-news.test/s?print=&id=3") == (
        "https://qinghe-news.test/s?print=&id=3"
    )


def test_path_case_is_preserved() -> None:
    assert normalise_url("https://Qinghe-News.test/News/A01.HTML").endswith("/News/A01.HTML")


URLS = st.builds(
    lambda scheme, host, port, path, params, fragment: (
        f"{scheme}://{host}{port}/{'/'.join(path)}"
        + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
        + (f"#{fragment}" if fragment else "")
    ),
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["lakeside-wire.test", "Qinghe-News.TEST", "127.0.0.1", "xn--fiq228c.test"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(st.text("abcXYZ019-_.~%", min_size=1, max_size=8), max_size=3),
    st.lists(
        st.tuples(
            st.sampled_from(TRACKING_KEYS + KEEP_KEYS),
            st.text("abc 19+%&=éé镕", max_size=6),
        ),
        max_size=5,
    ),
    st.text("abc1#/?", max_size=5),
)


@given(URLS)
@example("https://lakeside-wire.test/a?utm_source=x&id=1#frag")
@example("http://lakeside-wire.test:80/?q=a+b%20c")
@example("https://qinghe-news.test/%zz?x=%")
def test_normalise_url_is_idempotent(url: str) -> None:
    once = normalise_url(url)

    assert normalise_url(once) == once


@given(URLS)
def test_normalised_url_has_no_fragment_or_tracking_key(url: str) -> None:
    parts = urlsplit(normalise_url(url))

    assert parts.fragment == ""
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    assert not keys & {k.lower() for k in TRACKING_KEYS}
    assert not any(key.startswith("utm_") for key in keys)
