"""Score RuleExtractor on the gold corpora, overall and per language; print throughput.

The corpora are ../shared's (seeds, dev) and our own in tests/fixtures/extraction (own-a, own-b
were written blind to the rules and then used to develop rules-3; own-c was scored blind once).

usage: uv run python bench/extraction.py [--show-errors]

Throughput is articles per second of one core's CPU time (time.process_time, so other processes
on a busy machine do not lower it): the corpus is extracted at least MIN_BATCH times after one
warm-up pass (compiled patterns and the alias table are built once), best of ROUNDS rounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.extract import EXTRACTOR_VERSION, RuleExtractor
from flows.extract_io import predict_record

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
OWN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "extraction"
CORPORA = (
    SHARED / "corpus" / "seeds-gold.jsonl",
    SHARED / "corpus" / "dev-gold.jsonl",
    *sorted(OWN.glob("*.jsonl")),
)
REPEAT = 10  # the corpora are small; repeat them for a stable throughput figure
ROUNDS = 3  # best of: a busy machine only ever makes a round slower
MIN_BATCH = 200  # seeds has five articles: repeat small corpora up to this many extractions
HEADLINE = (
    ("detection F1", ("detection", "f1")),
    ("match F1", ("agreement_match", "f1")),
    ("parties F1", ("parties", "f1")),
    ("signed_on", ("signed_on_accuracy",)),
    ("type", ("type_accuracy",)),
    ("location", ("location_accuracy",)),
    ("fields F1", ("fields", "f1")),
    ("amounts F1", ("amounts", "f1")),
)


def _throughput(records: list[dict[str, object]], extractor: RuleExtractor) -> float:
    """Return articles per second over at least MIN_BATCH extractions, best of ROUNDS."""
    repeat = max(REPEAT, -(-MIN_BATCH // max(1, len(records))))
    best = 0.0
    for _ in range(ROUNDS):
        start = time.process_time()  # CPU time of this process: other load does not count
        for _ in range(repeat):
            for record in records:
                predict_record(record, extractor)
        best = max(best, len(records) * repeat / max(1e-9, time.process_time() - start))
    return best


def _score(gold: list[dict[str, object]], preds: list[dict[str, object]], errors: bool) -> dict:
    """Run the shared scorer on ``gold`` and ``preds`` (written to temporary files)."""
    with tempfile.TemporaryDirectory() as tmp:
        gold_path, pred_path = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        for path, rows in ((gold_path, gold), (pred_path, preds)):
            path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
            )
        flags = ["--json", *(["--show-errors"] if errors else [])]
        result = subprocess.run(
            [sys.executable, str(SCORER), str(gold_path), str(pred_path), *flags],
            capture_output=True,
            text=True,
            check=True,
        )
    metrics: dict = json.loads(result.stdout)
    return metrics


def _headline(metrics: dict) -> str:
    """Return the main figures of one scorer result on one line."""
    parts = []
    for label, path in HEADLINE:
        value: object = metrics
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        parts.append(f"{label} {value if value is not None else '-'}")
    return "  ".join(parts)


def run_corpus(gold_path: Path, show_errors: bool) -> None:
    """Extract, score and time one gold corpus; print overall, per-language and error lines."""
    records = [
        json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line
    ]
    extractor = RuleExtractor()
    predictions = [predict_record(r, extractor) for r in records]  # also the warm-up pass
    rate = _throughput(records, extractor)
    metrics = _score(records, predictions, show_errors)
    errors = metrics.pop("errors", [])
    print(f"== {gold_path.name}  {len(records)} docs  {rate:.0f} articles/s  ({EXTRACTOR_VERSION})")
    print(f"  all: {_headline(metrics)}")
    for lang in sorted({str(r.get("lang")) for r in records}):
        ids = {r["id"] for r in records if str(r.get("lang")) == lang}
        part = _score(
            [r for r in records if r["id"] in ids],
            [p for p in predictions if p["id"] in ids],
            errors=False,
        )
        print(f"  {lang} ({len(ids)}): {_headline(part)}")
    if show_errors:
        print(json.dumps(metrics, indent=1))
        for err in errors:
            print("  " + err)


def main(argv: list[str]) -> int:
    """Score every corpus that is present."""
    if not SCORER.is_file():
        print(f"skipped: {SCORER} is absent")
        return 0
    for gold in CORPORA:
        if not gold.is_file():
            print(f"skipped {gold.name}: {gold} is absent")
            continue
        run_corpus(gold, "--show-errors" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
