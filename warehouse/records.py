"""Agreements as stored JSON and table rows, and back. Pure."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flows.models import Agreement, Amount, parse_signed_on

# (column, DuckDB type) of every agreements column a write fills, in row order.
AGREEMENT_COLUMNS = (
    ("agreement_id", "TEXT"),
    ("parties", "TEXT[]"),
    ("parties_as_written", "TEXT[]"),
    ("agreement_type", "TEXT"),
    ("title", "TEXT"),
    ("signed_on", "DATE"),
    ("reported_on", "DATE"),
    ("location", "TEXT"),
    ("fields", "TEXT[]"),
    ("amounts", "JSON"),
    ("evidence", "TEXT"),
    ("confidence", "DOUBLE"),
    ("first_seen_at", "TIMESTAMPTZ"),
    ("signatories", "TEXT[]"),
    ("status", "TEXT"),
    ("updated_at", "TIMESTAMPTZ"),
    ("extractor_version", "TEXT"),
    ("signed_on_precision", "TEXT"),
)


def amounts_json(agreement: Agreement) -> str:
    """Return the agreement's amounts as a JSON list of {currency, value, text}."""
    amounts = [
        {"currency": a.currency, "value": a.value, "text": a.text} for a in agreement.amounts
    ]
    return json.dumps(amounts, ensure_ascii=False)


def agreement_json(agreement: Agreement) -> dict[str, Any]:
    """Return every field of ``agreement`` as a JSON-ready dict (the stored form)."""
    return {
        "parties": list(agreement.parties),
        "parties_as_written": list(agreement.parties_as_written),
        "agreement_type": agreement.agreement_type,
        "signed_on": agreement.signed_on_text,
        "reported_on": agreement.reported_on.isoformat() if agreement.reported_on else None,
        "title": agreement.title,
        "location": agreement.location,
        "fields": list(agreement.fields),
        "amounts": [
            {"currency": a.currency, "value": a.value, "text": a.text} for a in agreement.amounts
        ],
        "signatories": list(agreement.signatories),
        "evidence": agreement.evidence,
        "confidence": agreement.confidence,
    }


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def agreement_from_json(data: dict[str, Any]) -> Agreement:
    """Rebuild an Agreement from :func:`agreement_json` output (or a joined table row)."""
    amounts = data.get("amounts") or []
    if isinstance(amounts, str):
        amounts = json.loads(amounts)
    signed_on, precision = parse_signed_on(data.get("signed_on"))
    precision = str(data.get("signed_on_precision") or precision)
    return Agreement(
        parties=tuple(data.get("parties") or ()),
        parties_as_written=tuple(data.get("parties_as_written") or ()),
        agreement_type=str(data.get("agreement_type") or ""),
        signed_on=signed_on,
        signed_on_precision=precision,
        reported_on=_date(data.get("reported_on")),
        title=data.get("title"),
        location=data.get("location"),
        fields=tuple(data.get("fields") or ()),
        amounts=tuple(Amount(a["currency"], float(a["value"]), a.get("text", "")) for a in amounts),
        signatories=tuple(data.get("signatories") or ()),
        evidence=str(data.get("evidence") or ""),
        confidence=float(data.get("confidence") or 0.0),
    )


def agreement_row(
    agreement_id: str, agreement: Agreement, now: object, version: str
) -> tuple[object, ...]:
    """Return the agreements row (in AGREEMENT_COLUMNS order) for a new agreement."""
    return (
        agreement_id,
        sorted(set(agreement.parties)),
        list(agreement.parties_as_written),
        agreement.agreement_type,
        agreement.title,
        agreement.signed_on,
        agreement.reported_on,
        agreement.location,
        list(agreement.fields),
        amounts_json(agreement),
        agreement.evidence,
        agreement.confidence,
        now,
        list(agreement.signatories),
        "active",
        now,
        version,
        agreement.signed_on_precision,
    )
