"""Writes rendered digests to the output folder: HTML (+ its images), PDF, the .eml in outbox/."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path


def write_digest_files(
    out_dir: Path,
    *,
    digest_id: str,
    created_at: datetime,
    html: str,
    pdf: bytes,
    eml: bytes,
    images: Mapping[str, bytes] | None = None,
) -> dict[str, str]:
    """Write the files; return their paths by kind ("html", "pdf", "eml", "image-N").

    The mail's HTML points at its pictures with ``cid:`` URLs, which only a mail client resolves;
    the written copy gets each picture as a PNG beside it and points there, so it opens anywhere.
    """
    stem = f"digest-{created_at:%Y%m%d-%H%M%S}-{digest_id[:8]}"
    outbox = out_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out_dir / f"{stem}.html",
        "pdf": out_dir / f"{stem}.pdf",
        "eml": outbox / f"{stem}.eml",
    }
    for number, (cid, png) in enumerate((images or {}).items(), start=1):
        image_path = out_dir / f"{stem}-image{number}.png"
        image_path.write_bytes(png)
        html = html.replace(f"cid:{cid}", image_path.name)
        paths[f"image-{number}"] = image_path
    paths["html"].write_text(html, encoding="utf-8")
    paths["pdf"].write_bytes(pdf)
    paths["eml"].write_bytes(eml)
    return {kind: str(path) for kind, path in paths.items()}
