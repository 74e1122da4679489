"""Digest items -> DigestContext: ordering, counts and the human labels the templates show; pure."""

from __future__ import annotations

import itertools
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flows.models import Amount, DigestItem

TOP_ORGANISATIONS = 5
MAP_NODES = 14  # the partner map shows at most this many organisations
TYPE_LABELS: dict[str, str] = {
    "strategic_cooperation": "Strategic cooperation",
    "comprehensive_cooperation": "Comprehensive cooperation",
    "framework": "Framework agreement",
    "mou": "MoU",
    "joint_venture": "Joint venture",
    "joint_lab_or_centre": "Joint lab / centre",
    "investment": "Investment agreement",
    "cooperation": "Cooperation agreement",
    "licensing": "Licensing agreement",
    "supply": "Supply agreement",
}
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese",
    "zh-cn": "Chinese",
    "zh-hans": "Chinese",
    "zh-tw": "Chinese (traditional)",
    "zh-hant": "Chinese (traditional)",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class PartnerNetwork:
    """The period's partner network: organisations as nodes, agreements as weighted edges."""

    nodes: tuple[tuple[str, int], ...] = ()  # organisation -> agreements, most first, capped
    edges: tuple[tuple[str, str, int], ...] = ()  # (a, b) with a < b, among the shown nodes
    total_organisations: int = 0

    @property
    def alt_text(self) -> str:
        """Return a one-line description of the picture for screen readers and blocked images."""
        pairs = "; ".join(f"{a} – {b} ({n})" for a, b, n in self.edges[:6])
        more = f" and {len(self.edges) - 6} more links" if len(self.edges) > 6 else ""
        return f"Partner network of {len(self.nodes)} organisations: {pairs}{more}"


@dataclass(frozen=True, slots=True)
class DigestContext:
    """Everything a digest template needs, already ordered and counted."""

    title: str
    profile: str
    created_at: datetime
    period_start: datetime | None
    items: tuple[DigestItem, ...]  # signed_on desc (None last), then parties
    counts_by_type: tuple[tuple[str, int], ...]  # type label -> count, most first
    top_organisations: tuple[tuple[str, int], ...]  # canonical party -> count, top 5
    network: PartnerNetwork = field(default_factory=PartnerNetwork)
    timezone: str = "UTC"  # IANA name the digest shows times in
    cadence: str | None = None  # "daily" | "weekly" | None (ad hoc)


def build_digest_context(
    items: Sequence[DigestItem],
    *,
    created_at: datetime,
    period_start: datetime | None,
    profile: str = "default",
    title: str = "pactwatch digest",
    timezone: str = "UTC",
    cadence: str | None = None,
) -> DigestContext:
    """Order the items and count them by agreement type and by organisation.

    Args:
        items: the agreements to report, in any order.
        created_at: when the digest is made (timezone-aware); passed in so output is reproducible.
        period_start: the previous digest's time, or None for the first digest.
        profile: the digest profile's name, shown in the footer.
        title: the digest's heading and subject prefix.
        timezone: the IANA time zone the digest shows its times in.
        cadence: the profile's period ("daily", "weekly"), shown in the header.

    Returns:
        The frozen context the renderers take.
    """
    ordered = tuple(sorted(items, key=_item_sort_key))
    types = Counter(type_label(item.agreement_type) for item in ordered)
    organisations = Counter(party for item in ordered for party in set(item.parties))
    return DigestContext(
        title=title,
        profile=profile,
        created_at=created_at,
        period_start=period_start,
        items=ordered,
        counts_by_type=_most_first(types.items()),
        top_organisations=_most_first(organisations.items())[:TOP_ORGANISATIONS],
        network=build_partner_network(ordered),
        timezone=timezone,
        cadence=cadence,
    )


def build_partner_network(items: Sequence[DigestItem], limit: int = MAP_NODES) -> PartnerNetwork:
    """Count agreements per organisation and per pair; keep the ``limit`` busiest organisations."""
    degree = Counter(party for item in items for party in set(item.parties))
    shown = _most_first(degree.items())[:limit]
    keep = {name for name, _ in shown}
    pairs = Counter(
        pair
        for item in items
        for pair in itertools.combinations(sorted(set(item.parties) & keep), 2)
    )
    edges = tuple((a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda e: (-e[1], e[0])))
    return PartnerNetwork(nodes=shown, edges=edges, total_organisations=len(degree))


def type_label(agreement_type: str) -> str:
    """Return the human label for an agreement type code ("mou" -> "MoU")."""
    known = TYPE_LABELS.get(agreement_type)
    if known is not None:
        return known
    words = agreement_type.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Agreement"


def language_name(lang: str | None) -> str:
    """Return a readable language name for a language code; empty when unknown."""
    if not lang:
        return ""
    return LANGUAGE_NAMES.get(lang.lower(), lang)


def format_date(day: date | None, missing: str = "date not stated") -> str:
    """Return ``18 Nov 2026`` (locale-independent), or ``missing`` for None."""
    if day is None:
        return missing
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_signed(item: DigestItem) -> str:
    """Return an item's signing date: ``18 Nov 2026``, ``Mar 2025`` when only the month is known."""
    if item.signed_on is not None and item.signed_on_precision == "month":
        return f"{MONTHS[item.signed_on.month - 1]} {item.signed_on.year}"
    return format_date(item.signed_on)


def format_amount(amount: Amount) -> str:
    """Return ``CNY 50,000,000 (RMB 50 million)``; the as-written text only if it adds something."""
    value = float(amount.value)
    number = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    exact = f"{amount.currency} {number}"
    written = " ".join(amount.text.split())
    return f"{exact} ({written})" if written and written != exact else exact


def written_names(item: DigestItem) -> tuple[str, ...]:
    """Return the as-written party names when they differ from the canonical ones, else ()."""
    written = tuple(
        dict.fromkeys(" ".join(n.split()) for n in item.parties_as_written if n.strip())
    )
    return written if set(written) != set(item.parties) else ()


def format_timestamp(moment: datetime, timezone: str = "UTC") -> str:
    """Return ``26 Nov 2026 08:00 UTC`` (or ``16:00 CST`` in Asia/Shanghai); naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = UTC if timezone == "UTC" else zoneinfo.ZoneInfo(timezone)
    local = moment.astimezone(zone)
    return f"{format_date(local.date())} {local:%H:%M} {local.tzname() or timezone}"


def _item_sort_key(item: DigestItem) -> tuple[int, int, tuple[str, ...], str]:
    signed = -item.signed_on.toordinal() if item.signed_on else 0
    return (item.signed_on is None, signed, item.parties, item.agreement_id)


def _most_first(pairs: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))
