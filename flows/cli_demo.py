"""The offline demo (bundled site on loopback -> ingest -> digest) and the CLI's summary lines."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flows.digest import digest
from flows.ingest import ingest
from flows.local_site import serve_folder

ROW = "{:<22} {:>7} {:>9} {:>7} {:>6} {:>14}"
DEMO_HOST = "demo.invalid"  # the demo pages' own host name; mapped to the loopback server


def run_demo(db_path: Path, out_dir: Path) -> dict[str, Any]:
    """Serve the demo site, ingest it into ``db_path`` and write a digest to ``out_dir``."""
    package = resources.files("flows") / "demo_site"
    with resources.as_file(package) as folder, serve_folder(folder / "site") as base_url:
        netloc = urlsplit(base_url).netloc
        ingested = ingest(
            sources_path=str(folder / "sources.yaml"),
            db_path=str(db_path),
            host_overrides={DEMO_HOST: netloc},
        )
    digested = digest(db_path=str(db_path), out_dir=str(out_dir))
    return {"site": base_url, "db_path": str(db_path), "ingest": ingested, "digest": digested}


def ingest_lines(result: dict[str, Any]) -> list[str]:
    """Return the human summary of an ingest result: a line per source and the totals."""
    lines = [ROW.format("source", "entries", "new pages", "skipped", "failed", "new agreements")]
    for s in result["sources"]:
        keys = ("entries", "new_pages", "skipped", "failed", "new_agreements")
        lines.append(ROW.format(s["source"], *(s[k] for k in keys)))
        if s["error"]:
            lines.append(f"  ! {s['error']}")
    lines.append(f"new agreements: {result['new_agreements']}")
    return lines


def digest_lines(result: dict[str, Any]) -> list[str]:
    """Return the human summary of a digest result."""
    profile = result.get("profile", "default")
    if not result["digest_id"]:
        lines = [f"digest ({profile}): no new agreements since the last digest; no mail"]
    else:
        dry = " (dry run: not stored, not sent)" if result.get("dry_run") else ""
        lines = [
            f"digest {result['digest_id']} ({profile}): {result['agreements']} agreements{dry}"
        ]
        lines += [f"  {kind:<4} {path}" for kind, path in result["files"].items()]
    delivery = result.get("delivery")
    if delivery:
        failed = f", failed {delivery['failed']}" if delivery.get("failed") else ""
        lines.append(f"smtp: sent {delivery['sent']}, still queued {delivery['queued']}{failed}")
    return lines


def summary_lines(result: dict[str, Any]) -> list[str]:
    """Return what the demo did and where its files are."""
    return [
        f"demo site served at {result['site']} (as http://{DEMO_HOST}/)",
        *ingest_lines(result["ingest"]),
        *digest_lines(result["digest"]),
        f"database: {result['db_path']}  (see README, Data model, for queries)",
    ]
