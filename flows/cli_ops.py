"""`pactwatch` commands for operating on a server: serve, status, runs, config show."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from flows.cli_options import DB_OPTION, JSON_OPTION, OUT_OPTION, SOURCES_OPTION
from flows.errors import PactwatchError


@click.command()
@SOURCES_OPTION
@DB_OPTION
@OUT_OPTION
def serve(sources_path: Path, db_path: Path, out_dir: Path) -> None:
    """Serve the scheduled deployments (ingest on PACTWATCH_INGEST_CRON, digests per profile).

    Needs a Prefect server (PREFECT_API_URL); runs until stopped with SIGTERM or Ctrl-C.
    Schedules are not paused when it stops, so a restart picks them up again.

    \b
    Example:
      prefect server start &   # once, or as a systemd service
      PREFECT_API_URL=http://127.0.0.1:4200/api pactwatch serve --sources sources.yaml
    """
    from flows.cli import fail
    from flows.config import load_sources_file
    from flows.serve import build_deployments, serve_deployments
    from flows.settings import Settings

    try:
        load_sources_file(sources_path)  # fail fast on a bad config, before Prefect starts
        deployments = build_deployments(sources_path, db_path, out_dir, Settings())
    except PactwatchError as exc:
        fail(exc)
    serve_deployments(deployments)


@click.command()
@DB_OPTION
@JSON_OPTION
def status(db_path: Path, as_json: bool) -> None:
    """Show every source's last run, last success, counts and error, and the last digests.

    With PREFECT_API_URL set, also the next scheduled run of each deployment.

    \b
    Example:
      pactwatch status --db warehouse/pactwatch.duckdb
    """
    from flows.cli import fail
    from warehouse.db import connect
    from warehouse.status_store import select_recent_digests, select_source_status

    try:
        with connect(db_path) as con:
            sources = select_source_status(con)
            digests = select_recent_digests(con)
    except PactwatchError as exc:
        fail(exc)
    upcoming = _next_runs()
    if as_json:
        payload: dict[str, Any] = {"sources": [_row(s) for s in sources], "digests": digests}
        payload["next_runs"] = upcoming
        click.echo(json.dumps(payload, default=str, ensure_ascii=False))
        return
    console = Console()
    table = Table(title=f"sources in {db_path}")
    for column in ("source", "last run", "last success", "new pages", "failed", "status", "error"):
        table.add_column(column)
    for s in sources:
        table.add_row(
            s.source_name,
            _when(s.last_run_at),
            _when(s.last_success_at),
            str(s.counts.get("new_pages", "")),
            str(s.counts.get("failed", "")),
            s.last_status or "never run",
            (s.last_error or "")[:80],
        )
    console.print(table)
    _print_digests(console, digests)
    for name, when in upcoming.items():
        console.print(f"next run of {name}: {_when(when)}")


@click.command()
@DB_OPTION
@click.option("--limit", default=20, show_default=True, help="How many runs.")
@JSON_OPTION
def runs(db_path: Path, limit: int, as_json: bool) -> None:
    """List recent ingest runs with their counts and durations.

    \b
    Example:
      pactwatch runs --limit 5
    """
    from flows.cli import fail
    from warehouse.db import connect
    from warehouse.status_store import select_runs

    try:
        with connect(db_path) as con:
            rows = select_runs(con, limit)
    except PactwatchError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps([_row(r) for r in rows], default=str))
        return
    table = Table(title="recent runs")
    for column in (
        "started",
        "flow",
        "status",
        "duration",
        "entries",
        "new pages",
        "new agreements",
    ):
        table.add_column(column)
    for r in rows:
        duration = (
            f"{(r.finished_at - r.started_at).total_seconds():.1f}s" if r.finished_at else "-"
        )
        table.add_row(
            _when(r.started_at),
            r.flow,
            r.status,
            duration,
            str(r.counts.get("entries", "")),
            str(r.counts.get("new_pages", "")),
            str(r.counts.get("new_agreements", "")),
        )
    Console().print(table)


@click.group(name="config")
def config_group() -> None:
    """Inspect pactwatch's configuration.

    \b
    Example:
      pactwatch config show --json
    """


@config_group.command(name="show")
@JSON_OPTION
def config_show(as_json: bool) -> None:
    """Print the effective settings (environment and defaults), secrets masked.

    \b
    Example:
      PACTWATCH_SMTP_PASSWORD=secret pactwatch config show
    """
    from flows.settings import Settings

    settings = Settings()
    values = {key: _masked(key, value) for key, value in settings.model_dump().items()}
    if as_json:
        click.echo(json.dumps({**values, "user_agent": settings.user_agent}, default=str))
        return
    for key, value in values.items():
        click.echo(f"PACTWATCH_{key.upper():<22} {value}")
    click.echo(f"{'(derived) User-Agent':<32} {settings.user_agent}")


def _masked(key: str, value: Any) -> Any:
    if "password" in key:
        return "***" if value else None
    return str(value) if isinstance(value, Path) else value


def _next_runs() -> dict[str, datetime]:
    import os

    if not os.environ.get("PREFECT_API_URL"):  # no server: asking would start a temporary one
        return {}
    from flows.serve import next_scheduled_runs

    try:
        return next_scheduled_runs()
    except Exception as exc:  # any client error: status must still print when Prefect is down
        click.echo(f"(Prefect API not reachable: {type(exc).__name__})", err=True)
        return {}


def _print_digests(console: Console, digests: list[dict[str, Any]]) -> None:
    table = Table(title="last digests")
    for column in ("created", "profile", "items", "state", "attempts", "error"):
        table.add_column(column)
    for d in digests:
        table.add_row(
            _when(d["created_at"]),
            d["profile"],
            str(d["items"]),
            d["state"],
            str(d["attempts"]),
            (d["last_error"] or "")[:60],
        )
    console.print(table)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _row(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


COMMANDS: list[click.Command] = [serve, status, runs, config_group]
