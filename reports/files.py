"""Writes rendered digests to the output folder: HTML, PDF, and the .eml copy in outbox/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def write_digest_files(
    out_dir: Path, *, digest_id: str, created_at: datetime, html: str, pdf: bytes, eml: bytes
) -> dict[str, str]:
    """Write the three files; return their paths by kind ("html", "pdf", "eml")."""
    stem = f"digest-{created_at:%Y%m%d-%H%M%S}-{digest_id[:8]}"
    outbox = out_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out_dir / f"{stem}.html",
        "pdf": out_dir / f"{stem}.pdf",
        "eml": outbox / f"{stem}.eml",
    }
    paths["html"].write_text(html, encoding="utf-8")
    paths["pdf"].write_bytes(pdf)
    paths["eml"].write_bytes(eml)
    return {kind: str(path) for kind, path in paths.items()}
