"""`pactwatch` commands for the warehouse area, registered on the group in flows/cli.py."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from flows.cli_options import DB_OPTION
from flows.errors import PactwatchError

RATIOS = {"type": 1, "parties": 2}  # the table's wrapping columns share the width left
WAIT_HELP = "Wait up to SECONDS for another process to release the database (default: exit 75)."


WAIT_OPTION = click.option(
    "--wait", "wait_s", type=click.FloatRange(min=0), default=0.0, help=WAIT_HELP
)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command()
@DB_OPTION
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only pages fetched on or after this day (YYYY-MM-DD).",
)
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="sources.yaml whose aliases and per-source language/encoding/owner to use.",
)
@click.option(
    "--workers", type=click.IntRange(min=0), default=0, help="Parser processes (0: one per CPU)."
)
@WAIT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def reextract(
    db_path: Path,
    since: datetime | None,
    sources_path: Path | None,
    workers: int,
    wait_s: float,
    as_json: bool,
) -> None:
    """Rebuild articles and agreements from the stored raw pages, offline.

    Runs the current parser and extractor over every stored page (or those fetched since
    --since). An agreement found again keeps its id, so no digest sends it twice; one no
    article supports any more is marked retracted if a digest carried it, else deleted.

    \b
    Example:
      pactwatch reextract --db warehouse/pactwatch.duckdb --sources sources.yaml
    """
    from flows.cli import fail
    from flows.reextract import reextract as run_reextract

    try:
        result = run_reextract(
            db_path,
            now=datetime.now(UTC),
            since=_day(since),
            sources_path=sources_path,
            workers=workers or os.cpu_count() or 1,
            wait_s=wait_s,
        )
    except PactwatchError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(" ".join(f"{key}={value}" for key, value in result.items()))


@click.command()
@DB_OPTION
@click.option(
    "--what",
    type=click.Choice(["agreements", "articles", "pages"]),
    required=True,
    help="What to export.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
    help="File format.",
)
@click.option("--output", "output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@WAIT_OPTION
def export(db_path: Path, what: str, fmt: str, output: Path, wait_s: float) -> None:
    """Export agreements, articles or pages to JSON lines, CSV or Parquet.

    An articles line: id, url, title, published, lang, is_signing, agreements and
    background_agreements in the schema of score_extraction.py, each agreement with the
    agreement_id it was merged into. An agreements line: agreement_id, its fields and
    sources (url, site, published, lang per reporting article).

    \b
    Example:
      pactwatch export --db warehouse/pactwatch.duckdb --what articles --output a.jsonl
    """
    from flows.cli import fail
    from flows.extract_io import agreement_to_prediction
    from warehouse.db import connect
    from warehouse.export import export_records, write_records

    try:
        with connect(db_path, read_only=True, wait_s=wait_s) as con:
            count = write_records(
                con, export_records(con, what, agreement_to_prediction), fmt, output
            )
    except PactwatchError as exc:
        fail(exc)
    click.echo(f"wrote {count} {what} to {output}", err=True)


@click.command()
@DB_OPTION
@click.option(
    "--party", default=None, help="Only agreements with a party whose name contains this."
)
@click.option("--type", "agreement_type", default=None, help="Only this type, e.g. mou.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only agreements signed (else reported) on or after this day (YYYY-MM-DD).",
)
@click.option("--all", "include_retracted", is_flag=True, help="Include retracted agreements.")
@WAIT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def agreements(
    db_path: Path,
    party: str | None,
    agreement_type: str | None,
    since: datetime | None,
    include_retracted: bool,
    wait_s: float,
    as_json: bool,
) -> None:
    """List stored agreements, newest first, as a table (or JSON).

    \b
    Example:
      pactwatch agreements --db warehouse/demo.duckdb --party "Binhai University" --since 2026-11-01
    """
    from flows.cli import fail
    from flows.extract_io import agreement_to_prediction
    from warehouse.db import connect
    from warehouse.export import json_default
    from warehouse.queries import AgreementFilter, select_agreements

    flt = AgreementFilter(party, agreement_type, _day(since), include_retracted)
    try:
        with connect(db_path, read_only=True, wait_s=wait_s) as con:
            rows = select_agreements(con, agreement_to_prediction, flt)
    except PactwatchError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, default=json_default))
        return
    _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{len(rows)} agreements", title_justify="left", box=box.SIMPLE, expand=True
    )
    for name in ("signed", "type", "parties", "reports", "id"):
        table.add_column(name, overflow="fold", no_wrap=name not in RATIOS, ratio=RATIOS.get(name))
    for row in rows:
        signed = row["signed_on"] or f"~{row['reported_on'] or '?'}"
        status = "" if row["status"] == "active" else f" ({row['status']})"
        table.add_row(
            str(signed),
            f"{row['agreement_type'].replace('_', ' ')}{status}",
            "\n".join(row["parties_canonical"]),
            str(len(row["sources"])),
            row["agreement_id"],
        )
    Console(soft_wrap=False).print(table)


COMMANDS: list[click.Command] = [reextract, export, agreements]
