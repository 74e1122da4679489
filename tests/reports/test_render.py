from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from flows.models import Amount, DigestItem, SourceLink
from reports.context import DigestContext, build_digest_context
from reports.render import render_digest, render_digest_html_for_pdf

CREATED_AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
PERIOD_START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
SEEN_AT = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def sample_items() -> list[DigestItem]:
    """An invented week of signings between fictional organisations."""
    return [
        DigestItem(
            agreement_id="s1bhunanhu000001",
            parties=("Binhai University", "Nanhu Technology"),
            parties_as_written=("滨海大学", "南湖科技股份有限公司"),
            agreement_type="strategic_cooperation",
            title="Binhai University and Nanhu Technology sign strategic cooperation agreement",
            signed_on=date(2026, 11, 18),
            location="Binhai",
            fields=("artificial intelligence", "talent training"),
            amounts=(Amount("CNY", 50_000_000, "RMB 50 million"),),
            evidence="On 18 November the university and the company signed a strategic "
            "cooperation agreement covering a joint AI laboratory.",
            first_seen_at=SEEN_AT,
            sources=(
                SourceLink(
                    url="http://demo.invalid/binhai-university/news/2026/11/bhu-nanhu.html",
                    title="BHU and Nanhu Technology agree to build an AI lab together",
                    source_name="Binhai University News",
                    published_on=date(2026, 11, 18),
                    lang="en",
                ),
                SourceLink(
                    url="http://demo.invalid/binhai-daily/2026/1119/a01.html",
                    title="滨海大学与南湖科技签署战略合作协议",
                    source_name="滨海日报 Binhai Daily",
                    published_on=date(2026, 11, 19),
                    lang="zh",
                ),
            ),
        ),
        DigestItem(
            agreement_id="s3govyunfan00003",
            parties=("Binhai Municipal Government", "Yunfan Data"),
            parties_as_written=("滨海市人民政府", "云帆数据科技有限公司"),
            agreement_type="framework",
            title="滨海市政府与云帆数据签署智慧城市框架协议",
            signed_on=date(2026, 11, 10),
            location=None,
            fields=("smart city",),
            amounts=(Amount("CNY", 300_000_000, "3亿元"),),
            evidence="滨海市人民政府与云帆数据科技有限公司签署智慧城市建设框架协议，总投资3亿元。",
            first_seen_at=SEEN_AT,
            sources=(
                SourceLink(
                    url="http://demo.invalid/binhai-daily/2026/1111/a02.html",
                    title="智慧城市建设迈出新步伐",
                    source_name="滨海日报 Binhai Daily",
                    published_on=date(2026, 11, 11),
                    lang="zh",
                ),
            ),
        ),
        DigestItem(
            agreement_id="s2bhunit00000002",
            parties=("Binhai University", "Northbridge Institute of Technology"),
            parties_as_written=("Binhai University", "Northbridge Institute of Technology"),
            agreement_type="mou",
            title=None,
            signed_on=None,
            location=None,
            fields=(),
            amounts=(),
            evidence="",
            first_seen_at=SEEN_AT,
            sources=(),
        ),
    ]


def sample_context(items: list[DigestItem] | None = None) -> DigestContext:
    return build_digest_context(
        sample_items() if items is None else items,
        created_at=CREATED_AT,
        period_start=PERIOD_START,
    )


def hostile_item() -> DigestItem:
    return DigestItem(
        agreement_id="hostile000000001",
        parties=("Harbor Bank", "<b>Greenfield</b> Energy"),
        parties_as_written=("Harbor Bank", "<b>Greenfield</b> Energy"),
        agreement_type="joint_venture",
        title=HOSTILE,
        signed_on=date(2026, 11, 19),
        location="<iframe src=//evil.example>",
        fields=("<svg onload=alert(1)>",),
        amounts=(),
        evidence=HOSTILE,
        first_seen_at=SEEN_AT,
        sources=(
            SourceLink("javascript:alert(1)", HOSTILE, "Harbor Tech Wire", None, "en"),
            SourceLink('http://demo.invalid/a?b=1&c="><script>', "ok", "Wire", None, None),
        ),
    )


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def parse_tags(html: str) -> _TagCollector:
    collector = _TagCollector()
    collector.feed(html)
    return collector


def test_digest_html_matches_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("digest.html", render_digest(sample_context()).html)


def test_digest_text_matches_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("digest.txt", render_digest(sample_context()).text)


def test_subject_names_count_and_period() -> None:
    assert render_digest(sample_context()).subject == (
        "pactwatch digest: 3 new agreements since 1 Nov 2026"
    )
    first = build_digest_context(sample_items()[:1], created_at=CREATED_AT, period_start=None)
    assert render_digest(first).subject == "pactwatch digest: 1 agreement (first digest)"


def test_card_shows_every_fact_of_an_agreement() -> None:
    rendered = render_digest(sample_context())
    printed = render_digest_html_for_pdf(sample_context())
    for output in (rendered.html, rendered.text, printed):
        assert "Binhai University × Nanhu Technology" in output
        assert "滨海大学 × 南湖科技股份有限公司" in output
        assert "Strategic cooperation" in output
        assert "18 Nov 2026" in output
        assert "artificial intelligence, talent training" in output
        assert "CNY 50,000,000 (RMB 50 million)" in output
        assert "CNY 300,000,000 (3亿元)" in output
        assert "date not stated" in output
        assert "Binhai University News · 18 Nov 2026 · English" in output
        assert "滨海日报 Binhai Daily · 19 Nov 2026 · Chinese" in output
    assert "Northbridge Institute of Technology ×" not in rendered.html  # canonical order kept
    for html in (rendered.html, printed):
        links = [a.get("href") for tag, a in parse_tags(html).tags if tag == "a"]
        assert links == [
            "http://demo.invalid/binhai-university/news/2026/11/bhu-nanhu.html",
            "http://demo.invalid/binhai-daily/2026/1119/a01.html",
            "http://demo.invalid/binhai-daily/2026/1111/a02.html",
        ]
    assert "http://demo.invalid/binhai-daily/2026/1111/a02.html" in rendered.text


@pytest.mark.parametrize("start", [PERIOD_START, None])
def test_empty_digest_says_nothing_new(start: datetime | None) -> None:
    context = build_digest_context([], created_at=CREATED_AT, period_start=start)
    rendered = render_digest(context)
    expected = "No new agreements since 1 Nov 2026." if start else "No agreements have been found"
    assert expected in rendered.html
    assert expected in rendered.text
    assert "<blockquote" not in rendered.html


@pytest.mark.parametrize("medium", ["email", "print"])
def test_hostile_scraped_text_renders_as_text_not_markup(medium: str) -> None:
    context = sample_context([hostile_item()])
    html = render_digest(context).html if medium == "email" else render_digest_html_for_pdf(context)
    parsed = parse_tags(html)
    tag_names = {tag for tag, _ in parsed.tags}
    assert not tag_names & {"script", "iframe", "svg", "b"}
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert [a["src"] for a in images] == ["cid:partner-map@pactwatch.invalid"]  # only our map
    assert "<b>Greenfield</b> Energy" in (images[0]["alt"] or "")  # alt text escaped, not markup
    assert all(not name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    shown = "".join(parsed.data)
    assert '<script>alert("x")</script> & <img src=x onerror=alert(1)>' in shown
    assert "&lt;script&gt;" in html
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs == ['http://demo.invalid/a?b=1&c="><script>']  # no javascript: link


def test_text_alternative_is_not_html_escaped() -> None:
    text = render_digest(sample_context([hostile_item()])).text
    assert f"Title: {HOSTILE}" in text
    assert "&lt;" not in text
    assert "&amp;" not in text


def test_email_html_is_self_contained_and_fluid() -> None:
    html = render_digest(sample_context()).html
    parsed = parse_tags(html)
    assert ("meta", {"name": "color-scheme", "content": "light dark"}) in parsed.tags
    tag_names = {tag for tag, _ in parsed.tags}
    assert not tag_names & {"script", "link", "iframe", "object"}
    sources = [attrs["src"] for tag, attrs in parsed.tags if tag == "img"]
    assert sources == ["cid:partner-map@pactwatch.invalid"]  # inline CID part, never remote
    assert "url(" not in html
    assert "@import" not in html
    for tag, attrs in parsed.tags:
        assert attrs.get("width") in (None, "100%") or (tag == "img" and attrs["width"] == "652")
        style = attrs.get("style") or ""
        assert all(int(px) <= 375 for px in re.findall(r"(?<!max-)width:\s*(\d+)px", style))
    assert "max-width: 700px" in html
    assert "prefers-color-scheme: dark" in html  # the dark palette stays in <head>
    body_styles = [attrs["style"] for tag, attrs in parsed.tags if attrs.get("class") == "pw-card"]
    assert body_styles
    assert all("background-color" in style for style in body_styles)  # CSS was inlined


def test_print_html_has_a4_page_numbers_and_cjk_font_in_margin_boxes() -> None:
    html = render_digest_html_for_pdf(sample_context())
    page_rule = html[html.index("@page") :]
    page_rule = page_rule[: page_rule.index("\n}\n")]
    assert "size: A4" in page_rule
    assert '"page " counter(page) " of " counter(pages)' in page_rule
    bottom = page_rule[page_rule.index("@bottom-center") :]
    assert 'font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif' in bottom
    assert "滨海大学 × 南湖科技股份有限公司" in html
    assert "<script" not in html


def test_print_html_is_lean_blocks_without_tables() -> None:
    """Layout time grows with boxes: an agreement is a div, a heading, one paragraph, its links."""
    parsed = parse_tags(render_digest_html_for_pdf(sample_context()))
    names = [tag for tag, _ in parsed.tags]
    assert "table" not in names
    cards = [i for i, (tag, attrs) in enumerate(parsed.tags) if attrs.get("class") == "a"]
    assert len(cards) == 3
    ends = [*cards[1:], names.index("p", cards[-1] + 2) + 1]
    assert [names[start:end] for start, end in zip(cards, ends, strict=True)] == [
        ["div", "h2", "p", "a", "a"],
        ["div", "h2", "p", "a"],
        ["div", "h2", "p"],
    ]


def test_print_header_title_is_a_css_string_that_cannot_break_out() -> None:
    context = build_digest_context(
        [], created_at=CREATED_AT, period_start=None, title='Desk "A" </style><script>x</script>'
    )
    html = render_digest_html_for_pdf(context)
    assert "<script" not in html
    assert r'content: "Desk \22 A\22  \3c \2f style\3e \3c script\3e x' in html


def test_header_shows_cadence_and_window_in_the_profile_time_zone() -> None:
    context = build_digest_context(
        sample_items(),
        created_at=CREATED_AT,
        period_start=PERIOD_START,
        timezone="Asia/Shanghai",
        cadence="weekly",
    )
    rendered = render_digest(context)
    assert "Weekly digest · 1 Nov 2026 – 26 Nov 2026 · generated 26 Nov 2026 16:00 CST" in (
        rendered.text
    )
    assert "26 Nov 2026 16:00 CST" in rendered.html
