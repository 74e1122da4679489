"""Reads for people and exports: agreements with their sources, articles with their reports."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.models import Agreement
from warehouse.db import Connection, fetch_all
from warehouse.records import agreement_from_json

ToPrediction = Callable[[Agreement], dict[str, object]]
AGREEMENT_FIELDS = (
    "agreement_id",
    "parties",
    "parties_as_written",
    "agreement_type",
    "title",
    "signed_on",
    "reported_on",
    "location",
    "fields",
    "amounts",
    "signatories",
    "evidence",
    "confidence",
    "status",
    "first_seen_at",
    "retracted_at",
    "extractor_version",
    "signed_on_precision",
)
AGREEMENT_SELECT = ", ".join("a." + f for f in AGREEMENT_FIELDS)
SELECT_AGREEMENTS = f"SELECT {AGREEMENT_SELECT} FROM agreements a"  # noqa: S608 - constants
FILTERS = {
    "party": "EXISTS (SELECT 1 FROM unnest(list_concat(a.parties, a.parties_as_written)) AS t(p)"
    " WHERE p ILIKE ?)",
    "agreement_type": "a.agreement_type = ?",
    "since": "coalesce(a.signed_on, a.reported_on) >= ?",
}


@dataclass(frozen=True, slots=True)
class AgreementFilter:
    """Which agreements to list; retracted ones only on request."""

    party: str | None = None
    agreement_type: str | None = None
    since: date | None = None
    include_retracted: bool = False


def _where(flt: AgreementFilter) -> tuple[str, list[Any]]:
    clauses = [] if flt.include_retracted else ["a.status = 'active'"]
    params: list[Any] = []
    for key, value in (
        ("party", f"%{flt.party}%" if flt.party else None),
        ("agreement_type", flt.agreement_type),
        ("since", flt.since),
    ):
        if value is not None:
            clauses.append(FILTERS[key])
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def select_agreements(
    con: Connection, to_prediction: ToPrediction, flt: AgreementFilter | None = None
) -> list[dict[str, Any]]:
    """Return agreements (newest signing first) as JSON-ready dicts with their ``sources``.

    Each dict is ``agreement_id``, the prediction-schema fields ``to_prediction`` gives, then
    ``reported_on, status, first_seen_at, retracted_at, extractor_version`` and ``sources``
    (one entry per reporting article: url, site, published, lang, title, article_id).
    """
    where, params = _where(flt or AgreementFilter())
    rows = fetch_all(
        con,
        SELECT_AGREEMENTS
        + where
        + " ORDER BY coalesce(a.signed_on, a.reported_on) DESC NULLS LAST,"
        " a.agreement_id",
        params,
    )
    sources = select_sources(con, [r[0] for r in rows])
    return [
        _agreement_line(dict(zip(AGREEMENT_FIELDS, r, strict=True)), to_prediction, sources)
        for r in rows
    ]


def _agreement_line(
    row: dict[str, Any], to_prediction: ToPrediction, sources: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    line: dict[str, Any] = {"agreement_id": row["agreement_id"]}
    line.update(to_prediction(agreement_from_json(row)))
    for key in ("reported_on", "status", "first_seen_at", "retracted_at", "extractor_version"):
        line[key] = row[key]
    line["sources"] = sources.get(row["agreement_id"], [])
    return line


def select_sources(
    con: Connection, agreement_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Return, per agreement id, the articles that report it (oldest publication first)."""
    if not agreement_ids:
        return {}
    rows = fetch_all(
        con,
        "SELECT s.agreement_id, ar.url, coalesce(src.site_name, ar.source_name), ar.published_on,"
        " ar.lang, ar.title, ar.article_id FROM agreement_sources s"
        " JOIN articles ar USING (article_id)"
        " LEFT JOIN sources src ON src.source_name = ar.source_name"
        " WHERE s.agreement_id IN (SELECT unnest(?::TEXT[]))"
        " ORDER BY ar.published_on NULLS LAST, ar.url",
        [list(agreement_ids)],
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for agreement_id, url, site, published, lang, title, article_id in rows:
        found.setdefault(agreement_id, []).append(
            {
                "url": url,
                "site": site,
                "published": published,
                "lang": lang,
                "title": title,
                "article_id": article_id,
            }
        )
    return found


def select_articles(con: Connection, to_prediction: ToPrediction) -> list[dict[str, Any]]:
    """Return every article as a JSON-ready line in the scorer's prediction schema.

    Keys: ``id`` (the article id), url, title, published, lang, is_signing, ``agreements`` (each
    as this article reported it, plus the ``agreement_id`` it was merged into),
    ``background_agreements`` (``agreement_id`` null: never merged), source, extractor_version.
    """
    rows = fetch_all(
        con,
        "SELECT article_id, url, title, published_on, lang, is_signing, background, source_name,"
        " extractor_version FROM articles ORDER BY published_on NULLS LAST, url, article_id",
    )
    reports = _reports(con, to_prediction)
    return [
        {
            "id": r[0],
            "url": r[1],
            "title": r[2],
            "published": r[3],
            "lang": r[4],
            "is_signing": r[5],
            "agreements": reports.get(r[0], []),
            "background_agreements": [
                {"agreement_id": None, **to_prediction(agreement_from_json(b))}
                for b in json.loads(r[6] or "[]")
            ],
            "source": r[7],
            "extractor_version": r[8],
        }
        for r in rows
    ]


def _reports(con: Connection, to_prediction: ToPrediction) -> dict[str, list[dict[str, Any]]]:
    rows = fetch_all(
        con,
        f"SELECT s.article_id, s.reported, {AGREEMENT_SELECT}"  # noqa: S608 - constant
        " FROM agreement_sources s JOIN agreements a USING (agreement_id)"
        " ORDER BY s.article_id, s.confidence DESC, s.agreement_id",
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for article_id, reported, *stored in rows:
        row = json.loads(reported) if reported else dict(zip(AGREEMENT_FIELDS, stored, strict=True))
        line = {"agreement_id": stored[0], **to_prediction(agreement_from_json(row))}
        found.setdefault(article_id, []).append(line)
    return found


def select_pages(con: Connection) -> list[dict[str, Any]]:
    """Return every stored page version's metadata (the raw bytes stay in the database)."""
    columns = (
        "page_id, url, canonical_url, source_name, fetched_at, http_status, status, reason,"
        " content_hash, octet_length(body_gz) AS stored_bytes, headers"
    )
    result = fetch_all(con, f"SELECT {columns} FROM pages ORDER BY fetched_at, url, page_id")  # noqa: S608 - constant
    names = [c.strip().split(" AS ")[-1] for c in columns.split(",")]
    return [
        {**dict(zip(names, r, strict=True)), "headers": json.loads(r[-1]) if r[-1] else None}
        for r in result
    ]
