"""`pactwatch digest` and `pactwatch digests`, registered on the group in flows/cli.py."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

import click

from flows.cli_options import DB_OPTION
from flows.errors import PactwatchError

LIST_ROW = "{:<16}  {:<17}  {:<14} {:>5}  {:<8} {:>9}  {}"


@click.command()
@DB_OPTION
@click.option(
    "--out",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports/out"),
    show_default=True,
    help="Where the HTML, PDF and .eml files go.",
)
@click.option("--profile", default="default", show_default=True, help="Digest profile.")
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="sources.yaml with the `digests:` profiles [default: PACTWATCH_SOURCES_PATH].",
)
@click.option(
    "--dry-run", is_flag=True, help="Render and write files only: store and send nothing."
)
@click.option("--resend", "resend_id", metavar="DIGEST_ID", help="Send a stored digest again.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def digest(
    db_path: Path,
    out_dir: Path,
    profile: str,
    sources_path: Path | None,
    dry_run: bool,
    resend_id: str | None,
    as_json: bool,
) -> None:
    """Make a digest of the agreements new since the profile's last one and deliver it.

    With PACTWATCH_SMTP_HOST set the mail goes over SMTP; otherwise it is written to
    OUT/outbox/ as an .eml file. An agreement is never put in two digests of one profile.
    A digest is stored before it is sent; one that could not be sent is retried next run.

    \b
    Examples:
      PACTWATCH_SMTP_HOST=mail.example.org PACTWATCH_DIGEST_TO=me@example.org pactwatch digest
      pactwatch digest --profile weekly-ai --dry-run --output /tmp/preview
      pactwatch digest --resend 3f2c9a1b7d4e5f60
    """
    from flows.cli import fail
    from flows.cli_demo import digest_lines
    from flows.digest import digest as digest_flow
    from flows.digest import resend

    try:
        if resend_id:
            result: dict[str, Any] = resend(db_path=str(db_path), digest_id=resend_id)
            lines = [f"digest {resend_id}: queued again for every recipient"]
            lines += digest_lines({**result, "digest_id": None})[1:]  # the smtp: line
        else:
            _check_profile(sources_path, profile)  # a config error exits before Prefect starts
            result = digest_flow(
                db_path=str(db_path),
                out_dir=str(out_dir),
                profile=profile,
                sources_path=str(sources_path) if sources_path else None,
                dry_run=dry_run,
            )
            lines = digest_lines(result)
    except PactwatchError as exc:
        fail(exc)
    _emit(result, as_json, lines)


@click.command()
@DB_OPTION
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def digests(db_path: Path, limit: int, as_json: bool) -> None:
    """List the newest digests: when, profile, items and delivery state.

    States: queued (waiting for SMTP, retried by the next run), sent, partial (some recipients
    refused it permanently), failed (a permanent SMTP error; fix it, then --resend), written
    (no SMTP configured: .eml file only).

    \b
    Example:
      pactwatch digests --db warehouse/pactwatch.duckdb
    """
    from flows.cli import fail
    from warehouse.db import connect
    from warehouse.digest_store import select_digests

    rows: list[dict[str, Any]] = []
    try:
        if db_path.exists():  # listing never creates a database
            with connect(db_path, read_only=True) as con:
                rows = select_digests(con, limit)
    except PactwatchError as exc:
        fail(exc)
    _emit({"digests": rows}, as_json, digests_lines(rows))


def _check_profile(sources_path: Path | None, name: str) -> None:
    from flows.config_digests import load_digest_profiles, select_profile
    from flows.settings import Settings

    settings = Settings()
    select_profile(load_digest_profiles(sources_path or settings.sources_path), name)


def digests_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Return the `pactwatch digests` table, newest first."""
    if not rows:
        return ["no digests yet"]
    header = LIST_ROW.format(
        "digest", "created (UTC)", "profile", "items", "state", "delivered", ""
    )
    lines = [header.rstrip()]
    for r in rows:
        delivered = f"{r['delivered']}/{r['recipients']}"
        note = (r["last_error"] or "")[:60]
        created = f"{r['created_at'].astimezone(UTC):%Y-%m-%d %H:%M}"
        cells = (r["digest_id"], created, r["profile"], r["items"], r["state"], delivered, note)
        lines.append(LIST_ROW.format(*cells).rstrip())
    return lines


def _emit(result: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(result, default=str, ensure_ascii=False))
        return
    for line in lines:
        click.echo(line)


COMMANDS: list[click.Command] = [digest, digests]
