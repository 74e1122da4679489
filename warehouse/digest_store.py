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
    " a.location, a.fields, a.amounts, a.evidence, a.first_seen_at"
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
        " WHERE NOT EXISTS (SELECT 1 FROM digest_items d"
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


def select_outbox(con: Connection) -> list[OutboxMessage]:
    """Return digests still queued for SMTP delivery, oldest first."""
    rows = fetch_all(
        con,
        "SELECT digest_id, profile, recipients, message, state, attempts FROM digests"
        " WHERE state = 'queued' ORDER BY created_at",
    )
    return [OutboxMessage(r[0], r[1], tuple(r[2]), bytes(r[3]), r[4], r[5]) for r in rows]


def mark_delivery(
    con: Connection, digest_id: str, refused: dict[str, str], error: str | None, now: datetime
) -> None:
    """Record one delivery attempt: sent (maybe with refused recipients) or still queued."""
    if error is not None:
        con.execute(
            "UPDATE digests SET attempts = attempts + 1, last_error = ? WHERE digest_id = ?",
            [error, digest_id],
        )
        return
    state = "partial" if refused else "sent"
    con.execute(
        "UPDATE digests SET state = ?, attempts = attempts + 1, sent_at = ?, last_error = ?"
        " WHERE digest_id = ?",
        [state, now, "; ".join(f"{k}: {v}" for k, v in refused.items()) or None, digest_id],
    )
    recipients = fetch_all(con, "SELECT recipients FROM digests WHERE digest_id = ?", [digest_id])
    execute_many(
        con,
        "INSERT INTO digest_deliveries VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (digest_id, r, "refused" if r in refused else "sent", refused.get(r), now)
            for r in (recipients[0][0] if recipients else [])
        ],
    )
