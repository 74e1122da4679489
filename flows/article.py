"""Fetched page -> Article via trafilatura: title, main text, date, language, canonical URL."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from trafilatura.settings import Document

from flows.decode import decode_body
from flows.errors import ParseError
from flows.models import Article, Fetched
from flows.urls import normalise_url

MIN_TEXT_CHARS = {"zh": 150, "default": 250}  # zh counts Han characters; below: a listing or stub
CJK = re.compile(r"[\u3400-\u9fff]")
CJK_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, Han, Hangul
ZH_DATE = re.compile(r"(20\d{2}|19\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
DATE_META = (
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
)


def parse_article(
    fetched: Fetched,
    *,
    encoding: str | None = None,
    language: str | None = None,
    source_name: str = "",
    owner: str | None = None,
) -> Article:
    """Return the article in ``fetched``; raise ParseError(reason) when it is not one."""
    html = decode_body(fetched, encoding)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ParseError("not_html", str(exc)) from exc
    extracted = trafilatura.bare_extraction(
        html,  # not ``tree``: trafilatura prunes the tree it gets, and its loader cleans more
        url=fetched.url,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article (and cost precision)
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,  # its dateparser fallback costs ~4 s and guesses YYYY-01-01
            "max_date": fetched.fetched_at.date().isoformat(),  # not the clock: reproducible
        },
    )
    document = extracted.as_dict() if isinstance(extracted, Document) else extracted
    if not isinstance(document, dict) or not document.get("text"):
        raise ParseError("not_article", "no main text found")
    text = str(document["text"]).strip()
    lang = detect_language(text, tree, hint=language)
    size = len(CJK_SCRIPT.findall(text)) if lang == "zh" else len(text)
    if size < MIN_TEXT_CHARS.get(lang or "", MIN_TEXT_CHARS["default"]):
        raise ParseError("not_article", f"only {len(text)} characters of text")
    return Article(
        url=fetched.url,
        canonical_url=canonical_url(tree, fetched.url),
        title=_title(document, tree),
        text=text,
        published_on=published_on(tree, document, text),
        lang=lang,
        source_name=source_name,
        source_owner=owner,
    )


def detect_language(text: str, tree: Any = None, hint: str | None = None) -> str | None:
    """Return "zh" for mostly-Chinese text, else the source's hint, the page's lang, or "en"."""
    sample = text[:2000]
    if sample and len(CJK.findall(sample)) / len(sample) > 0.2:
        return "zh"
    if hint and hint != "zh":
        return hint
    declared = tree.get("lang") if tree is not None else None
    if isinstance(declared, str) and declared.strip():
        return declared.strip().lower().split("-")[0]
    return "en"


def canonical_url(tree: Any, page_url: str) -> str:
    """Return the page's rel=canonical or og:url (made absolute), else its own URL; normalised."""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        values = [v.strip() for v in tree.xpath(xpath) if v.strip()]
        if values and values[0].startswith(("http://", "https://", "/")):
            return normalise_url(urljoin(page_url, values[0]))
    return normalise_url(page_url)


def published_on(tree: Any, document: dict[str, Any], text: str) -> date | None:
    """Return the publication date: page metadata, trafilatura, then a 年月日 date near the top."""
    fallback = None
    for name in DATE_META:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            found = _iso_date(value)
            if found and (found.month, found.day) != (1, 1):
                return found
            fallback = fallback or found
    found = _iso_date(str(document.get("date") or ""))
    if found and (found.month, found.day) != (1, 1):  # a lone YYYY-01-01 is a year, not a date
        return found
    found = fallback or found
    match = ZH_DATE.search(text[:400]) or ZH_DATE.search(tree.text_content()[:3000])
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    return found


def _iso_date(value: str) -> date | None:
    match = ISO_DATE.match(value.strip())
    return _safe_date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _title(document: dict[str, Any], tree: Any) -> str:
    title = document.get("title") or ""
    if not title:
        found = tree.xpath("//h1//text()") or tree.xpath("//title/text()")
        title = " ".join(t.strip() for t in found if t.strip())
    return str(title).strip() or "(untitled)"
