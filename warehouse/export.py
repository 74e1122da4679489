"""`pactwatch export`: agreements, articles or pages to JSON lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flows.errors import WarehouseError
from warehouse.db import Connection, copy_jsonl_to_parquet
from warehouse.queries import ToPrediction, select_agreements, select_articles, select_pages

WHAT = ("agreements", "articles", "pages")
FORMATS = ("jsonl", "csv", "parquet")


def json_default(value: object) -> str:
    """Serialise dates and times as ISO 8601 (json.dumps ``default``)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def export_records(con: Connection, what: str, to_prediction: ToPrediction) -> list[dict[str, Any]]:
    """Return the JSON-ready records of ``what`` (one of WHAT)."""
    if what == "agreements":
        return select_agreements(con, to_prediction)
    if what == "articles":
        return select_articles(con, to_prediction)
    if what == "pages":
        return select_pages(con)
    raise WarehouseError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")


def write_records(
    con: Connection, records: Sequence[dict[str, Any]], fmt: str, output: Path
) -> int:
    """Write ``records`` to ``output`` as ``fmt`` (one of FORMATS); return how many.

    CSV cells holding lists or objects are JSON text; Parquet keeps them nested.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        _write_jsonl(records, output)
    elif fmt == "csv":
        _write_csv(records, output)
    elif fmt == "parquet":
        staging = output.with_name(output.name + ".jsonl.tmp")
        try:
            _write_jsonl(records, staging)
            copy_jsonl_to_parquet(con, staging, output)
        finally:
            staging.unlink(missing_ok=True)
    else:
        raise WarehouseError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return len(records)


def _write_jsonl(records: Sequence[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=json_default) + "\n")


def _cell(value: object) -> object:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=json_default)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _write_csv(records: Sequence[dict[str, Any]], path: Path) -> None:
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(names))
        writer.writeheader()
        for record in records:
            writer.writerow({k: _cell(v) for k, v in record.items()})
