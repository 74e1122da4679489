"""Digest reads and the outbox: undigested agreements, stored messages, delivery marks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows.models import Amount, DigestItem, SourceLink
from warehouse.db import Connection, execute_many, fetch_all

AGREEMENT_COLUMNS = (
    "a.agreement_id, a.parties, a.parties_as_written, a.agreement_type, a.title, a.signed_on,"
    " a.location, a.fields, a.amounts, a.evidence, a.first_seen_at, a.signed_on_precision"
)

SUMMARY_KEYS = (
    "digest_id",
    "created_at",
    "profile",
    "state",
    "attempts",
    "sent_at",
    "recipients",
    "last_error",
    "items",
    "delivered",
    "refused",
)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A stored digest message waiting for (or done with) delivery."""

    digest_id: str
    profile: str
    recipients: tuple[str, ...]
    message: bytes
    state: str
    attempts: int


def upsert_sources(
    con: Connection, rows: Sequence[tuple[str, str, str, str | None]], now: datetime
) -> None:
    """Record the configured sources (name, kind, url, site name)."""
    execute_many(
        con,
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_name) DO UPDATE SET"
        " kind = excluded.kind, url = excluded.url, site_name = excluded.site_name,"
        " updated_at = excluded.updated_at",
        [(*row, now) for row in rows],
    )


def select_undigested(con: Connection, profile: str) -> list[DigestItem]:
    """Return the agreements no digest of ``profile`` has carried yet, with their sources."""
    rows = fetch_all(
        con,
        f"SELECT {AGREEMENT_COLUMNS} FROM agreements a"  # noqa: S608 - AGREEMENT_COLUMNS is a constant
        " WHERE coalesce(a.status, 'active') = 'active'"  # migration 002: no retracted ones
        " AND NOT EXISTS (SELECT 1 FROM digest_items d"
        "   WHERE d.profile = ? AND d.agreement_id = a.agreement_id)"
        " ORDER BY a.first_seen_at, a.agreement_id",
        [profile],
    )
    links = _source_links(con, [r[0] for r in rows])
    return [_item(row, links.get(row[0], ())) for row in rows]


def _source_links(con: Connection, ids: list[str]) -> dict[str, tuple[SourceLink, ...]]:
    if not ids:
        return {}
    rows = fetch_all(
        con,
        "SELECT s.agreement_id, ar.url, ar.title, coalesce(src.site_name, ar.source_name),"
        " ar.published_on, ar.lang FROM agreement_sources s"
        " JOIN articles ar USING (article_id)"
        " LEFT JOIN sources src ON src.source_name = ar.source_name"
        " WHERE s.agreement_id IN (SELECT unnest(?)) ORDER BY ar.published_on, ar.url",
        [ids],
    )
    links: dict[str, list[SourceLink]] = {}
    for agreement_id, url, title, site, published_on, lang in rows:
        links.setdefault(agreement_id, []).append(SourceLink(url, title, site, published_on, lang))
    return {key: tuple(value) for key, value in links.items()}


def _item(row: tuple[Any, ...], sources: tuple[SourceLink, ...]) -> DigestItem:
    (
        agreement_id,
        parties,
        written,
        kind,
        title,
        signed_on,
        location,
        fields,
        amounts,
        evidence,
        seen,
        precision,
    ) = row
    return DigestItem(
        agreement_id=str(agreement_id),
        parties=tuple(parties),
        parties_as_written=tuple(written),
        agreement_type=str(kind),
        title=title,
        signed_on=signed_on,
        location=location,
        fields=tuple(fields),
        amounts=tuple(Amount(**a) for a in json.loads(str(amounts))),
        evidence=str(evidence),
        first_seen_at=seen,
        sources=sources,
        signed_on_precision=str(precision or "day"),
    )


def select_last_digest_at(con: Connection, profile: str) -> datetime | None:
    """Return when the newest digest of ``profile`` was made."""
    rows = fetch_all(con, "SELECT max(created_at) FROM digests WHERE profile = ?", [profile])
    return rows[0][0] if rows else None


def insert_digest(
    con: Connection,
    *,
    digest_id: str,
    profile: str,
    created_at: datetime,
    period_start: datetime | None,
    subject: str,
    recipients: Sequence[str],
    message: bytes,
    agreement_ids: Sequence[str],
    state: str,
    paths: dict[str, str],
) -> None:
    """Store a rendered digest and claim its agreements for ``profile``, before any send."""
    con.execute(
        "INSERT INTO digests (digest_id, profile, created_at, period_start, subject, message_id,"
        " recipients, message, state, html_path, pdf_path, eml_path)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            digest_id,
            profile,
            created_at,
            period_start,
            subject,
            f"<{digest_id}@pactwatch.invalid>",
            list(recipients),
            message,
            state,
            paths.get("html"),
            paths.get("pdf"),
            paths.get("eml"),
        ],
    )
    execute_many(
        con,
        "INSERT INTO digest_items VALUES (?, ?, ?)",
        [(profile, agreement_id, digest_id) for agreement_id in agreement_ids],
    )


def select_outbox(con: Connection, digest_id: str | None = None) -> list[OutboxMessage]:
    """Return the queued digests (or just ``digest_id``), oldest first, with pending recipients.

    A recipient is pending until a delivery row says it was sent or permanently refused.
    """
    rows = fetch_all(
        con,
        "SELECT d.digest_id, d.profile, d.recipients, d.message, d.state, d.attempts,"
        " (SELECT list(r.recipient) FROM digest_deliveries r WHERE r.digest_id = d.digest_id"
        "   AND r.state IN ('sent', 'refused'))"
        " FROM digests d WHERE d.state = 'queued' AND (CAST(? AS TEXT) IS NULL OR d.digest_id = ?)"
        " ORDER BY d.created_at, d.digest_id",
        [digest_id, digest_id],
    )
    return [
        OutboxMessage(
            r[0], r[1], tuple(x for x in r[2] if x not in (r[6] or [])), bytes(r[3]), r[4], r[5]
        )
        for r in rows
    ]


def mark_recipients(
    con: Connection,
    digest_id: str,
    *,
    attempted: Sequence[str],
    refused: dict[str, str],
    deferred: dict[str, str],
    now: datetime,
) -> str:
    """Record one accepted SMTP transaction; return the digest's new state.

    ``attempted`` recipients not in ``refused`` (5xx) or ``deferred`` (4xx) were accepted. The
    digest stays ``queued`` while a recipient is deferred, else becomes ``sent`` or ``partial``.
    """
    outcome: dict[str, tuple[str, str | None]] = {r: ("sent", None) for r in attempted}
    outcome.update({r: ("refused", e) for r, e in refused.items()})
    outcome.update({r: ("deferred", e) for r, e in deferred.items()})
    execute_many(
        con,
        "INSERT INTO digest_deliveries VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
        " state = excluded.state, error = excluded.error, attempted_at = excluded.attempted_at",
        [(digest_id, r, state, error, now) for r, (state, error) in outcome.items()],
    )
    pending = select_outbox(con, digest_id)
    if pending and pending[0].recipients:
        state = "queued"
    else:
        state = "partial" if _any_refused(con, digest_id) else "sent"
    errors = "; ".join(f"{k}: {v}" for k, v in {**refused, **deferred}.items()) or None
    con.execute(
        "UPDATE digests SET state = ?, attempts = attempts + 1, last_error = ?,"
        " sent_at = coalesce(sent_at, ?) WHERE digest_id = ?",
        [state, errors, now, digest_id],
    )
    return state


def mark_failed_attempt(con: Connection, digest_id: str, error: str, *, permanent: bool) -> None:
    """Record a failed attempt: temporary keeps the digest queued, permanent marks it failed."""
    con.execute(
        "UPDATE digests SET attempts = attempts + 1, last_error = ?,"
        " state = CASE WHEN ? THEN 'failed' ELSE state END WHERE digest_id = ?",
        [error, permanent, digest_id],
    )


def mark_resend(con: Connection, digest_id: str) -> bool:
    """Queue a stored digest again for every recipient; False when no such digest exists."""
    if not fetch_all(con, "SELECT 1 FROM digests WHERE digest_id = ?", [digest_id]):
        return False
    con.execute("DELETE FROM digest_deliveries WHERE digest_id = ?", [digest_id])
    con.execute("UPDATE digests SET state = 'queued' WHERE digest_id = ?", [digest_id])
    return True


def select_digests(con: Connection, limit: int = 50) -> list[dict[str, Any]]:
    """Return the newest digests: when, profile, items, delivery state and per-recipient counts."""
    rows = fetch_all(
        con,
        "SELECT d.digest_id, d.created_at, d.profile, d.state, d.attempts, d.sent_at,"
        " len(d.recipients), d.last_error,"
        " (SELECT count(*) FROM digest_items i WHERE i.digest_id = d.digest_id),"
        " (SELECT count(*) FROM digest_deliveries r WHERE r.digest_id = d.digest_id"
        "   AND r.state = 'sent'),"
        " (SELECT count(*) FROM digest_deliveries r WHERE r.digest_id = d.digest_id"
        "   AND r.state = 'refused')"
        " FROM digests d ORDER BY d.created_at DESC, d.digest_id LIMIT ?",
        [limit],
    )
    return [dict(zip(SUMMARY_KEYS, row, strict=True)) for row in rows]


def _any_refused(con: Connection, digest_id: str) -> bool:
    return bool(
        fetch_all(
            con,
            "SELECT 1 FROM digest_deliveries WHERE digest_id = ? AND state = 'refused'",
            [digest_id],
        )
    )
