"""Frozen records passed between pipeline stages, and the stable ids derived from them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime


def hash_id(*parts: str, length: int = 16) -> str:
    """Return a short, stable hex id for the given parts (order matters)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Fetched:
    """A raw HTTP response: the bytes and headers exactly as received."""

    url: str  # final URL after redirects
    status: int
    body: bytes
    headers: dict[str, str]  # lower-cased names
    fetched_at: datetime  # UTC

    @property
    def content_hash(self) -> str:
        """Return the sha256 of the body, the identity of a page version."""
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One link found on a source's feed, listing or sitemap."""

    url: str
    title: str | None = None
    published_on: date | None = None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed news article."""

    url: str
    canonical_url: str
    title: str
    text: str
    published_on: date | None
    lang: str | None  # "en", "zh", ...
    source_name: str = ""
    source_owner: str | None = None  # whom "our city" / "our school" refers to on this source

    @property
    def article_id(self) -> str:
        """Same canonical URL and text give the same id."""
        return hash_id(self.canonical_url, self.text)


@dataclass(frozen=True, slots=True)
class Amount:
    """A money amount stated for an agreement."""

    currency: str  # ISO 4217: CNY, USD, EUR, ...
    value: float
    text: str  # as written: "RMB 300 million", "3亿元"


def signed_on_text(signed_on: date | None, precision: str) -> str | None:
    """Return a signing date in ISO form, cut to the month when only the month is known."""
    if signed_on is None:
        return None
    return signed_on.isoformat()[:7] if precision == "month" else signed_on.isoformat()


def parse_signed_on(value: object) -> tuple[date | None, str]:
    """Return (date, precision) from "2025-03-15", "2025-03" or a date; (None, "day") else."""
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        return date.fromisoformat(value + "-01"), "month"
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10]), "day"
    return None, "day"


@dataclass(frozen=True, slots=True)
class Agreement:
    """One signed agreement as one article reports it; the warehouse merges reports."""

    parties: tuple[str, ...]  # canonical names from aliases.normalise_party, sorted
    parties_as_written: tuple[str, ...]
    agreement_type: str  # strategic_cooperation | comprehensive_cooperation | framework | mou | ...
    signed_on: date | None  # from the text (relative dates resolved); None when unknown
    reported_on: date | None  # the article's publication date: the id's anchor without signed_on
    title: str | None = None
    location: str | None = None
    fields: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    signatories: tuple[str, ...] = ()
    evidence: str = ""
    confidence: float = 0.5
    signed_on_precision: str = "day"  # "month": the text named only the month (its 1st is kept)

    @property
    def signed_on_text(self) -> str | None:
        """Return the signing date as the text stated it: "2025-03-15", or "2025-03"."""
        return signed_on_text(self.signed_on, self.signed_on_precision)

    @property
    def agreement_id(self) -> str:
        """Same parties (any order, duplicates ignored) and same anchor date give the same id.

        The anchor is the signing date, else the report's date. Reports whose dates differ by a
        few days are joined by the warehouse's merge rule; the hash is where an agreement starts.
        """
        anchor = self.signed_on or self.reported_on
        return hash_id(anchor.isoformat() if anchor else "", *sorted(set(self.parties)))


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor found in one article."""

    is_signing: bool
    agreements: tuple[Agreement, ...] = ()
    background_agreements: tuple[Agreement, ...] = ()
    extractor_version: str = ""


@dataclass(frozen=True, slots=True)
class SourceLink:
    """One article that reports an agreement, as a digest shows it."""

    url: str
    title: str
    source_name: str
    published_on: date | None
    lang: str | None


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One agreement with every article that reports it, ready for a digest."""

    agreement_id: str
    parties: tuple[str, ...]
    parties_as_written: tuple[str, ...]
    agreement_type: str
    title: str | None
    signed_on: date | None
    location: str | None
    fields: tuple[str, ...]
    amounts: tuple[Amount, ...]
    evidence: str
    first_seen_at: datetime
    sources: tuple[SourceLink, ...] = field(default_factory=tuple)
    signed_on_precision: str = "day"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page the ingest looked at, with its outcome, as the warehouse stores it."""

    url: str
    source_name: str
    status: str  # fetched | not_modified | skipped | failed
    reason: str | None = None  # robots, too_large, not_html, not_article, duplicate, http_404, ...
    fetched: Fetched | None = None
    canonical_url: str | None = None

    @property
    def page_id(self) -> str:
        """Same URL and same bytes give the same id; a changed page is a new version."""
        return hash_id(self.url, self.fetched.content_hash if self.fetched else self.status)


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """A parsed article, the page it came from and what the extractor found in it."""

    page_id: str
    article: Article
    extraction: Extraction
