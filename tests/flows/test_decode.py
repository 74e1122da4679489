"""Bytes -> text: GB labels widened to gb18030, header over <meta>, BOM, override, detection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.decode import decode_body, detect_encoding, normalise_encoding

GBK_TEXT = st.text(st.characters(codec="gbk"), max_size=200)


def test_gb2312_labelled_demo_page_with_gbk_only_char_decodes_exactly(
    demo_site: Path, make_fetched
) -> None:
    body = (demo_site / "binhai-daily/2026/1119/a01.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # the trap the fixture exists for: the label lies

    text = decode_body(make_fetched(body))

    assert detect_encoding(make_fetched(body)) == "gb18030"
    assert text == body.decode("gbk")
    assert "陈镕" in text
    assert "\ufffd" not in text


def test_own_gb2312_labelled_page_keeps_both_trap_characters(
    fixture_sites: Path, make_fetched
) -> None:
    body = (fixture_sites / "qinghe-news.test/2026/1119/winter-schedule.html").read_bytes()

    text = decode_body(make_fetched(body))

    assert "记者：李镕 王喆" in text
    assert "\ufffd" not in text


def test_gbk_page_with_no_charset_anywhere_is_detected(demo_site: Path, make_fetched) -> None:
    body = (demo_site / "binhai-daily/2026/1111/a02.html").read_bytes()
    assert b"charset" not in body.lower()

    fetched = make_fetched(body, content_type="text/html")

    assert detect_encoding(fetched) == "gb18030"
    assert "云帆数据科技有限公司" in decode_body(fetched)


def test_own_gbk_page_without_charset_is_detected(fixture_sites: Path, make_fetched) -> None:
    fetched = make_fetched(fixture_sites / "qinghe-news.test/2026/1112/bridge.html")

    text = decode_body(fetched)

    assert "西河大桥夜间封闭施工三周" in text
    assert "\ufffd" not in text


def test_http_header_charset_beats_meta_charset(make_fetched) -> None:
    body = '<meta charset="utf-8"><p>青河晚报</p>'.encode("gbk")

    fetched = make_fetched(body, content_type="text/html; charset=GBK")

    assert detect_encoding(fetched) == "gb18030"
    assert "青河晚报" in decode_body(fetched)


def test_meta_charset_is_used_without_a_header_charset(make_fetched) -> None:
    body = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>镕</p>'

    fetched = make_fetched(body.encode("gbk"), content_type="text/html")

    assert decode_body(fetched).endswith("<p>镕</p>")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, None)],
)
def test_bom_picks_the_encoding_and_is_stripped(
    make_fetched, bom: bytes, codec: str | None
) -> None:
    text = "<p>Lakeside 湖畔</p>"
    encoded = text.encode(codec or "utf-16-be")

    decoded = decode_body(make_fetched(bom + encoded, content_type="text/html"))

    assert decoded == text


def test_encoding_override_beats_header_and_meta(make_fetched) -> None:
    body = '<meta charset="utf-8"><p>青河</p>'.encode("gbk")

    fetched = make_fetched(body, content_type="text/html; charset=utf-8")

    assert detect_encoding(fetched, override="gb2312") == "gb18030"
    assert "青河" in decode_body(fetched, override="gb2312")


def test_ascii_body_without_hints_defaults_to_utf8(make_fetched) -> None:
    fetched = make_fetched(b"<p>plain ascii</p>", content_type=None)

    assert detect_encoding(fetched) == "utf-8"
    assert decode_body(fetched) == "<p>plain ascii</p>"


def test_undecodable_bytes_become_replacement_chars_not_errors(make_fetched) -> None:
    fetched = make_fetched(b"<p>\xff\xfe\xfa ok</p>", content_type="text/html; charset=utf-8")

    assert decode_body(fetched) == "<p>\ufffd\ufffd\ufffd ok</p>"


def test_unknown_header_charset_falls_through_to_meta(make_fetched) -> None:
    body = '<meta charset="gbk"><p>湖畔</p>'.encode("gbk")

    fetched = make_fetched(body, content_type="text/html; charset=x-no-such-codec")

    assert "湖畔" in decode_body(fetched)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GB2312", "gb18030"),
        (" gbk ", "gb18030"),
        ("x-gbk", "gb18030"),
        ("cp936", "gb18030"),
        ("UTF8", "utf-8"),
        ("latin-1", "iso8859-1"),
        ("no-such-codec", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_encoding_widens_gb_labels(label: str | None, expected: str | None) -> None:
    assert normalise_encoding(label) == expected


@given(GBK_TEXT)
@example("镕")
@example("喆")
@example("陈镕与王喆")
def test_any_gbk_text_labelled_gb2312_decodes_back_exactly(text: str) -> None:
    from datetime import UTC, datetime

    from flows.models import Fetched

    fetched = Fetched(
        "http://qinghe-news.test/p.html",
        200,
        text.encode("gbk"),
        {"content-type": "text/html; charset=gb2312"},
        datetime(2026, 11, 20, tzinfo=UTC),
    )

    assert decode_body(fetched) == text
