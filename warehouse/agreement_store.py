"""Agreement writes shared by ingest and re-extract: each report joins or starts one agreement."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flows.models import Agreement
from warehouse.db import Connection, append_rows, fetch_all, insert_columns
from warehouse.merge import StoredAgreement, find_same_signing
from warehouse.records import AGREEMENT_COLUMNS, agreement_json, agreement_row, amounts_json

SOURCE_COLUMNS = (
    ("agreement_id", "TEXT"),
    ("article_id", "TEXT"),
    ("evidence", "TEXT"),
    ("confidence", "DOUBLE"),
    ("added_at", "TIMESTAMPTZ"),
    ("reported", "JSON"),
)
REFRESH_COLUMNS = (
    ("agreement_id", "TEXT"),
    ("parties_as_written", "TEXT[]"),
    ("agreement_type", "TEXT"),
    ("title", "TEXT"),
    ("signed_on", "DATE"),
    ("location", "TEXT"),
    ("fields", "TEXT[]"),
    ("amounts", "JSON"),
    ("signatories", "TEXT[]"),
    ("evidence", "TEXT"),
    ("confidence", "DOUBLE"),
    ("extractor_version", "TEXT"),
    ("signed_on_precision", "TEXT"),
)
REPLACE_SOURCE = (
    "ON CONFLICT DO UPDATE SET evidence = excluded.evidence, confidence = excluded.confidence,"
    " reported = excluded.reported RETURNING agreement_id"
)


@dataclass(frozen=True, slots=True)
class Report:
    """One agreement as one article reports it; ``previous``: ids the article supported before."""

    article_id: str
    agreement: Agreement
    extractor_version: str
    previous: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What linking a set of reports did."""

    new_agreements: int
    new_sources: int
    links: frozenset[tuple[str, str]]  # (agreement_id, article_id)


def party_key(agreement: Agreement) -> tuple[str, ...]:
    """Return the canonical party set the merge rule compares, as a sorted tuple."""
    return tuple(sorted(set(agreement.parties)))


@dataclass(slots=True)
class _Plan:
    """The rows one call of link_reports writes."""

    created: dict[str, tuple[object, ...]] = field(default_factory=dict)
    refresh: dict[str, tuple[object, ...]] = field(default_factory=dict)
    links: dict[tuple[str, str], tuple[object, ...]] = field(default_factory=dict)


def link_reports(
    con: Connection, reports: Sequence[Report], now: datetime, refreshed: set[str] | None = None
) -> LinkResult:
    """Merge each report into its agreement (new ones inserted) and store the source links.

    Without ``refreshed`` (ingest) the reports' articles must be new, so are their links.
    With ``refreshed`` (re-extract), an existing agreement's descriptive fields are rewritten from
    the first report that reaches it in this run, its id kept; the ids are added to the set.
    """
    if not reports:
        return LinkResult(0, 0, frozenset())
    by_parties, retracted = _candidates(con, reports)
    plan = _Plan()
    for report in reports:
        agreement_id = _place(report, by_parties, plan, now)
        if refreshed is not None:
            if agreement_id not in refreshed and agreement_id not in plan.created:
                plan.refresh[agreement_id] = _refresh_row(agreement_id, report)
            refreshed.add(agreement_id)
        a = report.agreement
        reported = json.dumps(agreement_json(a), ensure_ascii=False)
        row = (agreement_id, report.article_id, a.evidence, a.confidence, now, reported)
        plan.links.setdefault((agreement_id, report.article_id), row)
    new = append_rows(con, "agreements", AGREEMENT_COLUMNS, list(plan.created.values()))
    _refresh(con, list(plan.refresh.values()), now)
    rows = list(plan.links.values())
    if refreshed is None:  # ingest: the articles are new, so are their links
        linked = append_rows(con, "agreement_sources", SOURCE_COLUMNS, rows)
    else:
        linked = len(insert_columns(con, "agreement_sources", SOURCE_COLUMNS, rows, REPLACE_SOURCE))
    reactivate(con, sorted({agreement_id for agreement_id, _ in plan.links} & retracted))
    return LinkResult(new, linked, frozenset(plan.links))


def _place(
    report: Report,
    by_parties: dict[tuple[str, ...], list[StoredAgreement]],
    plan: _Plan,
    now: datetime,
) -> str:
    """Return the agreement ``report`` belongs to; plan a new one when none matches."""
    agreement = report.agreement
    key = party_key(agreement)
    candidates = by_parties.setdefault(key, [])
    agreement_id = _choose(report, candidates)
    if agreement_id is not None:
        return agreement_id
    agreement_id = agreement.agreement_id
    if any(c.agreement_id == agreement_id for c in candidates):
        return agreement_id  # same parties and anchor: the same id, never a duplicate row
    candidates.append(
        StoredAgreement(
            agreement_id,
            key,
            agreement.signed_on,
            agreement.reported_on,
            agreement.signed_on_precision,
        )
    )
    plan.created[agreement_id] = agreement_row(
        agreement_id, agreement, now, report.extractor_version
    )
    return agreement_id


def _choose(report: Report, candidates: list[StoredAgreement]) -> str | None:
    """Prefer an agreement this article supported before, so re-extraction keeps its id."""
    before = [c for c in candidates if c.agreement_id in report.previous]
    return find_same_signing(report.agreement, before) or find_same_signing(
        report.agreement, candidates
    )


def _candidates(
    con: Connection, reports: Sequence[Report]
) -> tuple[dict[tuple[str, ...], list[StoredAgreement]], set[str]]:
    """Return the stored agreements with the reports' party sets, and which are retracted."""
    keys = sorted({party_key(r.agreement) for r in reports})
    rows = fetch_all(
        con,
        "SELECT agreement_id, parties, signed_on, reported_on, status, signed_on_precision"
        " FROM agreements"
        " WHERE list_sort(list_distinct(parties)) IN (SELECT unnest(?::TEXT[][]))"
        " ORDER BY first_seen_at, agreement_id",
        [[list(k) for k in keys]],
    )
    found: dict[tuple[str, ...], list[StoredAgreement]] = {}
    retracted: set[str] = set()
    for agreement_id, parties, signed_on, reported_on, status, precision in rows:
        key = tuple(sorted(set(parties)))
        stored = StoredAgreement(agreement_id, key, signed_on, reported_on, precision or "day")
        found.setdefault(key, []).append(stored)
        if status == "retracted":
            retracted.add(agreement_id)
    return found, retracted


def _refresh_row(agreement_id: str, report: Report) -> tuple[object, ...]:
    a = report.agreement
    return (
        agreement_id,
        list(a.parties_as_written),
        a.agreement_type,
        a.title,
        a.signed_on,
        a.location,
        list(a.fields),
        amounts_json(a),
        list(a.signatories),
        a.evidence,
        a.confidence,
        report.extractor_version,
        a.signed_on_precision,
    )


def _refresh(con: Connection, rows: list[tuple[object, ...]], now: datetime) -> None:
    if not rows:
        return
    picks = ", ".join(f"unnest(?::{kind}[]) AS {name}" for name, kind in REFRESH_COLUMNS)
    kept = {  # a report that states no date keeps the stored one, and its precision
        "signed_on": "coalesce(n.signed_on, a.signed_on)",
        "signed_on_precision": "CASE WHEN n.signed_on IS NULL THEN a.signed_on_precision"
        " ELSE n.signed_on_precision END",
    }
    sets = ", ".join(f"{name} = {kept.get(name, f'n.{name}')}" for name, _ in REFRESH_COLUMNS[1:])
    con.execute(
        f"UPDATE agreements AS a SET {sets}, updated_at = ? FROM (SELECT {picks}) AS n"  # noqa: S608 - constants
        " WHERE a.agreement_id = n.agreement_id",
        [now, *(list(column) for column in zip(*rows, strict=True))],
    )


def reactivate(con: Connection, agreement_ids: Sequence[str]) -> None:
    """Mark retracted agreements that are reported again as active."""
    if agreement_ids:
        con.execute(
            "UPDATE agreements SET status = 'active', retracted_at = NULL"
            " WHERE status = 'retracted' AND agreement_id IN (SELECT unnest(?::TEXT[]))",
            [list(agreement_ids)],
        )
