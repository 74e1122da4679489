"""Read-only queries behind `pactwatch status` and `pactwatch runs`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warehouse.db import Connection, fetch_all


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One source's last run as `pactwatch status` shows it."""

    source_name: str
    site_name: str | None
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_status: str | None
    last_error: str | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class RunRow:
    """One recorded flow run."""

    run_id: str
    flow: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int]


def select_source_status(con: Connection) -> list[SourceStatus]:
    """Return every configured source with its last outcome, in name order."""
    rows = fetch_all(
        con,
        "SELECT s.source_name, s.site_name, st.last_run_at, st.last_success_at, st.last_status,"
        " st.last_error, st.last_counts FROM sources s"
        " LEFT JOIN source_state st USING (source_name) ORDER BY s.source_name",
    )
    return [
        SourceStatus(row[0], row[1], row[2], row[3], row[4], row[5], _counts(row[6]))
        for row in rows
    ]


def select_runs(con: Connection, limit: int = 20) -> list[RunRow]:
    """Return the newest runs first."""
    rows = fetch_all(
        con,
        "SELECT run_id, flow, started_at, finished_at, status, counts FROM runs"
        " ORDER BY started_at DESC LIMIT ?",
        [limit],
    )
    return [RunRow(row[0], row[1], row[2], row[3], row[4], _counts(row[5])) for row in rows]


def select_recent_digests(con: Connection, limit: int = 5) -> list[dict[str, Any]]:
    """Return the newest digests with their delivery state."""
    rows = fetch_all(
        con,
        "SELECT d.digest_id, d.profile, d.created_at, d.state, d.attempts, d.last_error,"
        " (SELECT count(*) FROM digest_items i WHERE i.digest_id = d.digest_id)"
        " FROM digests d ORDER BY d.created_at DESC LIMIT ?",
        [limit],
    )
    keys = ("digest_id", "profile", "created_at", "state", "attempts", "last_error", "items")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _counts(raw: object) -> dict[str, int]:
    if raw is None:
        return {}
    value = json.loads(str(raw))
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}
