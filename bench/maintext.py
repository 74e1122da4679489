"""Main-text quality and speed of parse_article vs bare trafilatura.extract on the shared pages.

usage: uv run python bench/maintext.py [--subset scrapinghub|trafilatura-eval]

Both extractors run in the same process on the same bytes; each prediction set is scored with
../shared/tools/score_maintext.py. The trafilatura-eval subset is also scored on its CJK pages
alone (a temporary corpus folder holding only their annotations). A page parse_article rejects
(ParseError, e.g. too little text) counts as nothing extracted. Speed is pages per second of
wall time, one thread. Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from flows.article import parse_article
from flows.errors import ParseError
from flows.models import Fetched

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAGES = SHARED / "corpus" / "pages"
SCORER = SHARED / "tools" / "score_maintext.py"
FETCHED_AT = datetime(2026, 11, 20, tzinfo=UTC)
Extract = Callable[[bytes, str], str | None]


def ours(body: bytes, url: str) -> str | None:
    """parse_article from the page bytes, as the ingest runs it."""
    try:
        return parse_article(Fetched(url, 200, body, {}, FETCHED_AT)).text
    except ParseError:
        return None


def plain(body: bytes, url: str) -> str | None:
    """Bare trafilatura, as the corpus README measured it."""
    result = trafilatura.extract(body, url=url or None, include_comments=False)
    return str(result) if result is not None else None


def load(subset: str) -> tuple[dict[str, tuple[bytes, str]], dict[str, dict[str, object]]]:
    gold_file = "ground-truth.json" if subset == "scrapinghub" else "segments.json"
    gold = json.loads((PAGES / subset / gold_file).read_text(encoding="utf-8"))
    pages = {
        doc_id: (
            gzip.decompress((PAGES / subset / "html" / f"{doc_id}.html.gz").read_bytes()),
            str(meta.get("url") or ""),
        )
        for doc_id, meta in gold.items()
    }
    return pages, gold


def run(
    extract: Extract, pages: dict[str, tuple[bytes, str]]
) -> tuple[dict[str, str | None], float]:
    started = time.perf_counter()
    predictions = {doc_id: extract(body, url) for doc_id, (body, url) in pages.items()}
    return predictions, len(pages) / (time.perf_counter() - started)


def score(
    subset: str, predictions: dict[str, str | None], corpus: Path = PAGES
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = Path(tmp) / "pred.json"
        pred_path.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable,
            str(SCORER),
            subset,
            str(pred_path),
            "--corpus",
            str(corpus),
            "--json",
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    return dict(result.get("result", result))


def cjk_corpus(tmp: Path, gold: dict[str, dict[str, object]]) -> Path:
    """A corpus folder with only the CJK pages' annotations (html linked, not copied)."""
    folder = tmp / "trafilatura-eval"
    folder.mkdir(parents=True)
    chosen = {k: v for k, v in gold.items() if v.get("cjk")}
    (folder / "segments.json").write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    (folder / "html").symlink_to(PAGES / "trafilatura-eval" / "html")
    return tmp


def headline(result: dict[str, float]) -> str:
    keys = [k for k in ("f1", "precision", "recall") if k in result]
    return "  ".join(f"{k} {float(result[k]):.3f}" for k in keys)


def bench(subset: str) -> None:
    pages, gold = load(subset)
    run(plain, dict(list(pages.items())[:5]))  # warm-up: trafilatura's lazy imports
    for name, extract in (("parse_article", ours), ("trafilatura.extract", plain)):
        predictions, rate = run(extract, pages)
        print(f"{subset:17} {name:20} {headline(score(subset, predictions))}  {rate:6.1f} pages/s")
        if subset == "trafilatura-eval":
            with tempfile.TemporaryDirectory() as tmp:
                corpus = cjk_corpus(Path(tmp), gold)
                cjk = {k: v for k, v in predictions.items() if gold[k].get("cjk")}
                print(f"{'  (CJK pages)':17} {name:20} {headline(score(subset, cjk, corpus))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", choices=("scrapinghub", "trafilatura-eval"), action="append")
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"skipped: {PAGES} is absent")
        return
    for subset in args.subset or ["scrapinghub", "trafilatura-eval"]:
        bench(subset)


if __name__ == "__main__":
    main()
