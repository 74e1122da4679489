"""File-based evaluation helpers behind `pactwatch parse` and `pactwatch extract`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.aliases import AliasTable
from flows.article import parse_article
from flows.config import load_sources_file
from flows.errors import ConfigError, ParseError
from flows.extract import RuleExtractor
from flows.extract_io import predict_record
from flows.models import Fetched


def parse_file(path: Path) -> dict[str, Any]:
    """Parse one saved HTML file from its bytes; return the parse keys or an ``error``."""
    fetched = Fetched(path.resolve().as_uri(), 200, path.read_bytes(), {}, datetime.now(UTC))
    try:
        article = parse_article(fetched)
    except ParseError as exc:
        return {"path": str(path), "error": exc.reason, "detail": str(exc)}
    return {
        "path": str(path),
        "title": article.title,
        "published": article.published_on.isoformat() if article.published_on else None,
        "lang": article.lang,
        "canonical_url": article.canonical_url,
        "text": article.text,
    }


def extract_file(input_path: Path, output_path: Path, sources_path: Path | None = None) -> int:
    """Write one prediction line per input line; return how many were written."""
    aliases = AliasTable.bundled()
    if sources_path is not None:
        aliases = aliases.extended(load_sources_file(sources_path).aliases)
    extractor = RuleExtractor(aliases)
    count = 0
    with (
        input_path.open(encoding="utf-8") as source,
        output_path.open("w", encoding="utf-8") as sink,
    ):
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{input_path}:{number}: not JSON: {exc.msg}") from exc
            if not isinstance(record, dict) or "text" not in record:
                raise ConfigError(f"{input_path}:{number}: expected an object with 'id' and 'text'")
            prediction = predict_record(record, extractor)
            sink.write(json.dumps(prediction, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count
