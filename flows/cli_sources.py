"""`pactwatch` commands for the sources area, registered on the group in flows/cli.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from flows.cli_options import SOURCES_OPTION
from flows.errors import PactwatchError

if TYPE_CHECKING:
    from flows.discover_probe import Probe


@click.group(name="sources")
def sources_group() -> None:
    """Inspect the sources configured in sources.yaml.

    \b
    Example:
      pactwatch sources check --sources sources.yaml
    """


@sources_group.command(name="check")
@SOURCES_OPTION
@click.option("--all", "include_disabled", is_flag=True, help="Probe disabled sources too.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per source.")
def check(sources_path: Path, include_disabled: bool, as_json: bool) -> None:
    """Validate sources.yaml and probe each source, storing nothing.

    For every enabled source: is its index reachable, does robots.txt allow it, and how many
    entries does it list? Exit code 0 when every probed source is ok, 1 otherwise, 3 for an
    invalid file.

    \b
    Example:
      pactwatch sources check --sources sources.yaml
      pactwatch sources check --all --json
    """
    from flows.cli import fail
    from flows.collect import run_by_host
    from flows.config import load_sources_file
    from flows.discover_probe import probe_source
    from flows.fetch import HttpFetcher
    from flows.politeness import PoliteFetcher
    from flows.settings import Settings

    try:
        config = load_sources_file(sources_path)
    except PactwatchError as exc:
        fail(exc)
        return
    settings = Settings()
    http = HttpFetcher(settings.user_agent, max_bytes=settings.max_page_bytes, retries=1)
    fetcher = PoliteFetcher(http, settings.user_agent)
    chosen = list(config.sources) if include_disabled else config.enabled
    work = lambda s: probe_source(s, fetcher.with_delay(s.min_delay_s))  # noqa: E731 - closure
    order = [s.name for s in chosen]
    probes = sorted(run_by_host(chosen, work), key=lambda p: order.index(p.source))
    if as_json:
        for probe in probes:
            click.echo(json.dumps(probe.as_dict(), ensure_ascii=False))
    else:
        _print_table(sources_path, probes, skipped=len(config.sources) - len(chosen))
    sys.exit(0 if all(p.ok for p in probes) else 1)


def _print_table(path: Path, probes: list[Probe], skipped: int) -> None:
    table = Table(title=f"{path}: {len(probes)} probed, {skipped} disabled not probed")
    for column in ("source", "kind", "reachable", "robots", "entries", "note"):
        table.add_column(column, justify="right" if column == "entries" else "left")
    for probe in probes:
        row = probe.as_dict()
        robots = {True: "allowed", False: "disallowed", None: "?"}[row["robots_allowed"]]
        table.add_row(
            row["source"],
            row["kind"],
            "yes" if row["reachable"] else "no",
            robots,
            str(row["entries"]),
            row["error"] or "",
        )
    Console(soft_wrap=True).print(table)


COMMANDS: list[click.Command] = [sources_group]
