"""The `pactwatch` command line: demo, ingest, digest, parse, extract.

Exit codes: 0 ok; 1 some sources failed (the rest were stored); 2 usage error; 3 configuration
error; 4 other pactwatch error; 75 the database is busy (another process writes it).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from flows.cli_options import DB_OPTION, JSON_OPTION, OUT_OPTION, SOURCES_OPTION
from flows.errors import ConfigError, DatabaseBusyError, PactwatchError

EXIT_PARTIAL, EXIT_CONFIG, EXIT_ERROR, EXIT_BUSY = 1, 3, 4, 75


LOG_LEVELS = {-1: "ERROR", 0: "WARNING", 1: "INFO", 2: "DEBUG"}


def prepare_prefect_env(verbosity: int) -> None:
    """Set Prefect's environment before it is imported (STYLE.md section 8, traps 5 and 6).

    ``verbosity`` -1 (--quiet) shows errors only, 0 warnings, 1 (-v) a line per source per run,
    2 (-vv) also a line per page with its status and reason.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "flows,warehouse,reports")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", LOG_LEVELS[max(-1, min(2, verbosity))])
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    # The temporary server's first start migrates its SQLite database: slower than the 20 s default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def fail(exc: PactwatchError) -> None:
    """Print a one-line error and exit with the code for its kind; never a traceback."""
    code = EXIT_ERROR
    if isinstance(exc, ConfigError):
        code = EXIT_CONFIG
    elif isinstance(exc, DatabaseBusyError):
        code = EXIT_BUSY
    click.echo(f"pactwatch: error: {exc}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-v", "--verbose", count=True, help="-v: a log line per source; -vv: also one per page."
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no progress bars.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """pactwatch: track partnership agreements in the news.

    \b
    Examples:
      pactwatch demo                       # offline demo: bundled site -> DuckDB -> digest
      pactwatch ingest --sources sources.yaml --db warehouse/pactwatch.duckdb
      pactwatch digest --db warehouse/pactwatch.duckdb
    """
    ctx.ensure_object(dict)
    ctx.obj["progress"] = not quiet and sys.stderr.isatty()  # no bars in cron or systemd logs
    prepare_prefect_env(-1 if quiet else verbose)


@cli.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=Path("warehouse/demo.duckdb"),
    show_default=True,
    help="Demo database.",
)
@OUT_OPTION
@click.pass_context
def demo(ctx: click.Context, db_path: Path, out_dir: Path) -> None:
    """Serve the bundled demo news site on 127.0.0.1, ingest it, then make a digest.

    Runs the real pipeline (HTTP, parsing, extraction, DuckDB, HTML/PDF, mail) offline.
    A second run finds nothing new and writes no new mail.

    \b
    Example:
      pactwatch demo && ls reports/out reports/out/outbox
    """
    from flows.cli_demo import run_demo, summary_lines
    from flows.cli_progress import ingest_progress

    try:
        with ingest_progress(ctx.obj["progress"]):
            result = run_demo(db_path, out_dir)
    except PactwatchError as exc:
        fail(exc)
    for line in summary_lines(result):
        click.echo(line)


@cli.command()
@SOURCES_OPTION
@DB_OPTION
@click.option(
    "--wait",
    "wait_s",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to queue behind a running ingest or digest before giving up (exit 75).",
)
@JSON_OPTION
@click.pass_context
def ingest(
    ctx: click.Context, sources_path: Path, db_path: Path, wait_s: float, as_json: bool
) -> None:
    """Fetch every enabled source, extract agreements and load them into DuckDB.

    \b
    Example:
      pactwatch ingest --sources sources.yaml --db warehouse/pactwatch.duckdb
    """
    from rich.console import Console

    from flows.cli_progress import ingest_progress, summary_table
    from flows.config import load_sources_file
    from flows.ingest import ingest as ingest_flow
    from flows.runlock import hold_run_lock

    try:
        load_sources_file(sources_path)  # a config error exits before Prefect starts
        with (
            hold_run_lock(db_path, "manual-ingest", wait_s=wait_s),
            ingest_progress(ctx.obj["progress"] and not as_json),
        ):
            result = ingest_flow(sources_path=str(sources_path), db_path=str(db_path))
    except PactwatchError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(result, default=str, ensure_ascii=False))
    else:
        Console().print(summary_table(result))
        for row in result["sources"]:
            if row["error"]:
                click.echo(f"{row['source']}: {row['error']}", err=True)
    if result["failed_sources"]:
        sys.exit(EXIT_PARTIAL)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
def parse(files: tuple[Path, ...]) -> None:
    """Parse saved HTML files and print one JSON line per file.

    Keys: path, title, published, lang, canonical_url, text (or error).

    \b
    Example:
      pactwatch parse page.html
    """
    from flows.parse_files import parse_file

    for path in files:
        click.echo(json.dumps(parse_file(path), ensure_ascii=False))


@cli.command()
@click.argument("input_path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output",
    "output_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Predictions JSONL to write.",
)
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Take extra organisation aliases from this sources.yaml.",
)
def extract(input_path: Path, output_path: Path, sources_path: Path | None) -> None:
    """Run the extractor over a JSONL of {id, text, published?, lang?, url?}.

    Writes one prediction per line in the schema of score_extraction.py
    (id, is_signing, agreements, background_agreements).

    \b
    Example:
      pactwatch extract ../shared/corpus/dev-gold.jsonl --output /tmp/pred.jsonl
    """
    from flows.parse_files import extract_file

    try:
        count = extract_file(input_path, output_path, sources_path)
    except PactwatchError as exc:
        fail(exc)
    click.echo(f"wrote {count} predictions to {output_path}", err=True)


def _register_area_commands() -> None:
    """Each area keeps its commands in its own module (flows/cli_<area>.py)."""
    from flows import cli_digests, cli_ops, cli_sources, cli_warehouse

    for module in (cli_sources, cli_warehouse, cli_digests, cli_ops):
        for command in module.COMMANDS:
            cli.add_command(command)


_register_area_commands()


def _emit(result: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(result, default=str, ensure_ascii=False))
        return
    for line in lines:
        click.echo(line)
