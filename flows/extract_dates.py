"""Signing dates in English and Chinese sentences, relative dates resolved against publication."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, timedelta

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_EN_MONTH_DAY = re.compile(
    rf"\b{_MONTH_RE}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?", re.I
)
_EN_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
    re.I,
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_EN_THE_DAY = re.compile(r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b", re.I)
_ZH_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
)
# every _REPORTING match contains one of these
_REPORTING_STEMS = (
    "said", "says", "told", "reported", "confirmed", "disclosed", "stated", "今天", "今日", "昨天",
    "昨日",
)  # fmt: skip
_ZH_THIS_MONTH_DAY = re.compile(
    r"(?:本月|昨\s*[(（]|今\s*[(（])\s*(?P<d>\d{1,2})\s*[)）]?\s*[日号]"
)
_ZH_DAY = re.compile(r"(?<![\d月])(?P<d>\d{1,2})\s*[日号](?![前后])")
_EN_RELATIVE = re.compile(
    r"\b(?P<w>today|yesterday|this (?:morning|afternoon|evening)|tonight|"
    r"(?:on |last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.I,
)
# dates that say when something was reported, not when it was signed: a dateline
# ("JAKARTA, Aug 5 (Wire) -") and "the companies said on Monday"
_DATELINE = re.compile(
    r"\s*[A-Z]{2}[A-Z/ .'-]{0,40},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b(?:\s*\([^)]{1,40}\))?"
    r"|\s*[A-Z][A-Za-z/ .'-]{1,40},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*\([^)]{1,40}\)\s*[-–—]"
)
_REPORTING = re.compile(
    # "announced on Monday" stays: an announcement of a deal is usually the day it is made
    r"\b(?i:(?:said|says|told \w+|reported|confirmed|disclosed|stated)"
    r"(?:\s+in a (?:statement|filing))?\s+(?:on\s+)?(?:today|yesterday|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}(?:st|nd|rd|th)?))\b"
    r"|(?:今天|今日|昨天|昨日)(?=发布|發布|宣布|宣佈|公告|表示|透露|披露)",  # "今天发布公告指出"
)
_ZH_RELATIVE = re.compile(
    r"(?P<w>今天|今日|昨天|昨日|前天|(?P<last>上)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天]))"
)
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ZH_WEEKDAYS = "一二三四五六日"
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)(?![\d-])")
_FUTURE_SLACK = timedelta(days=7)  # a month-day more than a week after publication is last year's


def month_number(name: str) -> int | None:
    """Return the month an English month name ("Jan", "january") or a number ("3") means."""
    if name.isdigit():
        return int(name) if 1 <= int(name) <= 12 else None
    return _MONTHS.get(name.lower()[:3])


def _safe_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when the parts do not make one."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(month: int, day: int, year: int | None, published: date | None) -> date | None:
    """Resolve a month and day, taking the year from the text or else from publication."""
    if year is not None:
        return _safe_date(year, month, day)
    if published is None:
        return None
    found = _safe_date(published.year, month, day)
    if found is not None and found > published + _FUTURE_SLACK:
        return _safe_date(published.year - 1, month, day)
    return found


def _day_only(day: int, published: date | None) -> date | None:
    """Resolve "the 23rd" / "15日" to the publication month, or the month before it."""
    if published is None:
        return None
    if day <= published.day:
        return _safe_date(published.year, published.month, day)
    before = published.replace(day=1) - timedelta(days=1)
    return _safe_date(before.year, before.month, day)


def _weekday(index: int, published: date | None, last_week: bool = False) -> date | None:
    """Resolve a weekday to the latest such day on or before publication (or the week before)."""
    if published is None:
        return None
    if last_week:
        monday = published - timedelta(days=published.weekday() + 7)
        return monday + timedelta(days=index)
    return published - timedelta(days=(published.weekday() - index) % 7)


def _relative(word: str, published: date | None) -> date | None:
    """Resolve an English or Chinese relative day word."""
    if published is None:
        return None
    word = word.lower().removeprefix("on ")
    if word.startswith("last "):  # the latest such day before publication, never that day
        index = _EN_WEEKDAYS.index(word.removeprefix("last "))
        return _weekday(index, published - timedelta(days=1))
    if word in {"yesterday", "昨天", "昨日"}:
        return published - timedelta(days=1)
    if word == "前天":
        return published - timedelta(days=2)
    if word in _EN_WEEKDAYS:
        return _weekday(_EN_WEEKDAYS.index(word), published)
    return published


def _explicit(text: str, published: date | None) -> Iterator[tuple[int, date | None]]:
    """Yield (position, date) for dates that name a month."""
    for pattern in (_EN_MONTH_DAY, _EN_DAY_MONTH):
        for m in pattern.finditer(text):
            month = _MONTHS[m["m"].lower()[:3]]
            year = int(m["y"]) if m["y"] else None
            yield m.start(), _month_day(month, int(m["d"]), year, published)
    for m in _ISO.finditer(text):
        yield m.start(), _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    for m in _ZH_DATE.finditer(text):
        year = int(m["y"]) if m["y"] else None
        yield m.start(), _month_day(int(m["m"]), int(m["d"]), year, published)


def _vague(text: str, published: date | None) -> Iterator[tuple[int, date | None]]:
    """Yield (position, date) for day-only and relative dates."""
    for pattern in (_EN_THE_DAY, _ZH_DAY):
        for m in pattern.finditer(text):
            yield m.start(), _day_only(int(m["d"]), published)
    yield from _relatives(text, published)


def _relatives(text: str, published: date | None) -> Iterator[tuple[int, date | None]]:
    """Yield (position, date) for relative day words ("yesterday", "上周五")."""
    for m in _EN_RELATIVE.finditer(text):
        yield m.start(), _relative(m["w"], published)
    for m in _ZH_RELATIVE.finditer(text):
        if m["wd"]:
            yield (
                m.start(),
                _weekday(
                    _ZH_WEEKDAYS.index(m["wd"].replace("天", "日")), published, bool(m["last"])
                ),
            )
        else:
            yield m.start(), _relative(m["w"], published)


def has_date(text: str) -> bool:
    """Tell whether ``text`` states any day (explicit or relative), resolvable or not."""
    text = unicodedata.normalize("NFKC", text)
    return any(True for _ in _explicit(text, None)) or any(True for _ in _vague(text, None))


def find_date(text: str, published: date | None) -> date | None:
    """Return the first date ``text`` states, preferring explicit dates over relative ones.

    Args:
        text: one sentence (English or Chinese).
        published: the article's publication date, the anchor of relative dates.

    Returns:
        The resolved date, or None when the text names none or it cannot be resolved.
    """
    text = unicodedata.normalize("NFKC", text)
    if dateline := _DATELINE.match(text):
        text = " " * dateline.end() + text[dateline.end() :]
    lower = text.lower()
    if any(stem in lower for stem in _REPORTING_STEMS):  # cheap test first
        text = _REPORTING.sub(lambda m: " " * len(m[0]), text)
    text = _ZH_THIS_MONTH_DAY.sub(r"  \g<d>日", text)  # "本月18日", Taiwan's "昨(12)日": the 18th
    search: tuple[Callable[[str, date | None], Iterator[tuple[int, date | None]]], ...]
    search = (_explicit, _vague) if _DIGIT.search(text) else (_relatives,)  # dates need digits
    for finder in search:
        found = sorted((pos, when) for pos, when in finder(text, published) if when is not None)
        if found:
            return found[0][1]
    return None


_EN_MONTH_YEAR = re.compile(rf"\b{_MONTH_RE}\s*,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_ZH_MONTH_YEAR = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"
)
_ZH_THIS_YEAR_MONTH = re.compile(r"今年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")


def find_month(text: str, published: date | None) -> date | None:
    """Return the first day of a month the text names without a day, or None.

    "in March 2021", "2025年3月", "今年3月"; meant for texts where :func:`find_date` found no day.
    """
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, date | None]] = []
    for m in _EN_MONTH_YEAR.finditer(text):
        found.append((m.start(), _safe_date(int(m["y"]), _MONTHS[m["m"].lower()[:3]], 1)))
    for m in _ZH_MONTH_YEAR.finditer(text):
        found.append((m.start(), _safe_date(int(m["y"]), int(m["m"]), 1)))
    if published is not None:
        for m in _ZH_THIS_YEAR_MONTH.finditer(text):
            found.append((m.start(), _safe_date(published.year, int(m["m"]), 1)))
    dated = sorted((pos, day) for pos, day in found if day is not None)
    return dated[0][1] if dated else None


def years_in(text: str) -> list[int]:
    """Return the four-digit years (1900-2099) that ``text`` mentions."""
    return [int(m["y"]) for m in _YEAR.finditer(unicodedata.normalize("NFKC", text))]
