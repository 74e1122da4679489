"""parse_article on the demo pages and our own fixtures: title, date, lang, canonical, no chrome."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from flows.article import canonical_url, detect_language, parse_article
from flows.decode import decode_body
from flows.errors import ParseError

DEMO_PAGES = [
    ("binhai-university/news/2026/11/bhu-nanhu-strategic.html", "en", date(2026, 11, 18)),
    ("binhai-university/news/2026/11/bhu-nit-mou.html", "en", date(2026, 11, 5)),
    ("binhai-university/news/2026/11/bhu-hospital-lab.html", "zh", date(2026, 11, 25)),
    ("binhai-university/news/2026/11/nanhu-delegation-visit.html", "en", date(2026, 11, 10)),
    ("binhai-daily/2026/1119/a01.html", "zh", date(2026, 11, 19)),
    ("binhai-daily/2026/1111/a02.html", "zh", date(2026, 11, 11)),
    ("binhai-daily/2026/1120/a03.html", "zh", date(2026, 11, 20)),
    ("harbor-tech-wire/2026/11/harbor-greenfield-jv.html", "en", date(2026, 11, 20)),
    ("harbor-tech-wire/2026/11/nanhu-chip-launch.html", "en", date(2026, 11, 22)),
    ("harbor-tech-wire/2026/11/greenfield-ends-contract.html", "en", date(2026, 11, 24)),
]
BOILERPLATE = "//nav | //footer | //aside | //*[@class='share'] | //*[@class='breadcrumb']"
ZH_PARAGRAPHS = (
    "<p>青河市图书馆从本周六起延长周末开放时间，阅览室和自习区每晚开放至二十一时，"
    "少儿阅读区保持原有时间不变。馆方表示，此举是为了方便白天上班的读者和备考学生，"
    "延长时段内将增派工作人员维持秩序，并开放二楼的电子阅览区。</p>"
    "<p>据介绍，图书馆还将在每周日下午举办读书分享会，首期主题为家乡的老地名，"
    "欢迎市民通过图书馆公众号报名参加。读者进馆需刷读者证或身份证，"
    "晚间离馆前请带好随身物品，自习座位不得长时间占用。</p>"
)


def zh_page(head: str = "", byline: str = "") -> bytes:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>市图书馆延长周末开放时间</title>{head}</head><body><article>"
        f'<h1>市图书馆延长周末开放时间</h1><div class="byline">{byline}</div>'
        f"{ZH_PARAGRAPHS}</article></body></html>"
    ).encode()


def chrome_strings(html: str) -> list[str]:
    """Text of the nav, footer, sidebar, share bar and breadcrumb: none may reach the article."""
    tree = lxml.html.document_fromstring(html)
    pieces = [" ".join(node.text_content().split()) for node in tree.xpath(BOILERPLATE)]
    return [piece for piece in pieces if len(piece) >= 4]


@pytest.mark.parametrize(("relative", "lang", "published"), DEMO_PAGES)
def test_demo_page_parses_to_an_article(
    demo_site: Path, make_fetched, relative: str, lang: str, published: date
) -> None:
    fetched = make_fetched(demo_site / relative, url=f"http://127.0.0.1:9/{relative}?utm_source=x")
    html = decode_body(fetched)
    heading = lxml.html.document_fromstring(html).xpath("string(//h1)").strip()

    article = parse_article(fetched, source_name="demo", owner="Demo Owner")

    assert article.title == heading
    assert article.published_on == published
    assert article.lang == lang
    assert article.canonical_url == f"http://demo.invalid/{relative}"  # from rel=canonical
    assert article.url == fetched.url
    assert (article.source_name, article.source_owner) == ("demo", "Demo Owner")
    assert "\ufffd" not in article.text
    chrome = chrome_strings(html)
    assert chrome, "the demo page should carry boilerplate to strip"
    for piece in chrome:
        assert piece not in article.text


def test_parse_article_raises_no_deprecation_warning(demo_site: Path, make_fetched) -> None:
    fetched = make_fetched(demo_site / "harbor-tech-wire/2026/11/nanhu-chip-launch.html")

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        article = parse_article(fetched)

    assert article.lang == "en"


def test_gbk_article_keeps_gbk_only_names(demo_site: Path, make_fetched) -> None:
    article = parse_article(make_fetched(demo_site / "binhai-daily/2026/1119/a01.html"))

    assert "南湖科技董事长陈镕" in article.text


@pytest.mark.parametrize(
    ("root", "relative"),
    [("demo_site", "binhai-daily/index.html"), ("fixture_sites", "qinghe-news.test/index.html")],
)
def test_listing_page_is_not_an_article(
    request: pytest.FixtureRequest, make_fetched, root: str, relative: str
) -> None:
    page = request.getfixturevalue(root) / relative

    with pytest.raises(ParseError) as caught:
        parse_article(make_fetched(page))

    assert caught.value.reason == "not_article"


def test_short_stub_page_is_not_an_article(fixture_sites: Path, make_fetched) -> None:
    with pytest.raises(ParseError) as caught:
        parse_article(make_fetched(fixture_sites / "qinghe-news.test/stub.html"))

    assert caught.value.reason == "not_article"


def test_short_english_text_is_not_an_article(make_fetched) -> None:
    body = b"<html lang='en'><body><article><h1>Note</h1><p>" + b"Short words here. " * 8
    body += b"</p></article></body></html>"

    with pytest.raises(ParseError, match="not_article: only"):
        parse_article(make_fetched(body))


def test_empty_page_is_not_an_article(make_fetched) -> None:
    with pytest.raises(ParseError) as caught:
        parse_article(make_fetched(b"<html><body></body></html>"))

    assert caught.value.reason == "not_article"


def test_chinese_page_with_only_a_byline_date_gets_that_date(
    fixture_sites: Path, make_fetched
) -> None:
    fetched = make_fetched(fixture_sites / "qinghe-news.test/2026/1119/winter-schedule.html")

    article = parse_article(fetched)

    assert article.published_on == date(2026, 11, 19)
    assert article.lang == "zh"
    assert article.title == "青河市中小学下周起调整冬季作息"
    assert "推迟二十分钟" in article.text
    assert "未经许可不得转载" not in article.text  # footer
    assert "本周热读" not in article.text  # sidebar


def test_gbk_page_without_charset_parses(fixture_sites: Path, make_fetched) -> None:
    article = parse_article(make_fetched(fixture_sites / "qinghe-news.test/2026/1112/bridge.html"))

    assert article.title == "西河大桥夜间封闭施工三周"
    assert "东河大桥或滨江隧道" in article.text
    assert article.published_on is None  # no date anywhere on the page


def test_lone_january_first_from_structured_data_is_distrusted(make_fetched) -> None:
    head = (
        '<script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2026-01-01"}'
        "</script>"
    )

    article = parse_article(make_fetched(zh_page(head, "发布时间：2026年11月19日")))

    assert article.published_on == date(2026, 11, 19)


def test_lone_january_first_meta_date_is_distrusted_when_a_byline_date_exists(
    make_fetched,
) -> None:
    head = '<meta property="article:published_time" content="2026-01-01">'

    article = parse_article(make_fetched(zh_page(head, "发布时间：2026年11月19日")))

    assert article.published_on == date(2026, 11, 19)


def test_january_first_is_kept_when_nothing_better_exists(make_fetched) -> None:
    head = '<meta property="article:published_time" content="2026-01-01">'

    assert parse_article(make_fetched(zh_page(head))).published_on == date(2026, 1, 1)


def test_metadata_date_beats_a_byline_date(make_fetched) -> None:
    head = '<meta property="article:published_time" content="2026-11-21T09:00:00+08:00">'

    article = parse_article(make_fetched(zh_page(head, "发布时间：2026年11月19日")))

    assert article.published_on == date(2026, 11, 21)


def test_impossible_byline_date_is_ignored(make_fetched) -> None:
    assert parse_article(make_fetched(zh_page(byline="2026年2月30日"))).published_on is None


def test_encoding_override_rescues_a_page_that_lies(make_fetched) -> None:
    html = zh_page().decode().replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    fetched = make_fetched(html.encode("gbk"))

    article = parse_article(fetched, encoding="gbk")

    assert article.title == "市图书馆延长周末开放时间"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<link rel="canonical" href="/lib/hours.html?utm_source=x">',
            "http://q.test/lib/hours.html",
        ),
        ('<meta property="og:url" content="https://Q.TEST/og.html#top">', "https://q.test/og.html"),
        ('<link rel="canonical" href="javascript:void(0)">', "http://q.test/page.html?id=1"),
        ("", "http://q.test/page.html?id=1"),
    ],
)
def test_canonical_url_is_absolute_and_normalised(head: str, expected: str) -> None:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body></body></html>")

    assert canonical_url(tree, "http://q.test/page.html?id=1&utm_medium=rss#c") == expected


@pytest.mark.parametrize(
    ("text", "lang_attr", "hint", "expected"),
    [
        ("青河市图书馆延长周末开放时间" * 3, "en", "en", "zh"),
        ("The ferry leaves later in winter.", "fr", None, "fr"),
        ("The ferry leaves later in winter.", "en-GB", "de", "de"),
        ("The ferry leaves later in winter.", None, None, "en"),
        ("", None, "zh", "en"),
    ],
)
def test_detect_language(text: str, lang_attr: str | None, hint: str | None, expected: str) -> None:
    attr = f' lang="{lang_attr}"' if lang_attr else ""
    tree = lxml.html.document_fromstring(f"<html{attr}><body><p>x</p></body></html>")

    assert detect_language(text, tree, hint=hint) == expected
